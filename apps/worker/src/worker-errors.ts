import { Logger } from '@nestjs/common';
import { throttledWarning } from '@gongxiao/core';

/**
 * A handler for a BullMQ worker's 'error' events (Redis away, a Redis Cluster failing over): one
 * warning at most every 10 s, since BullMQ retries by itself; without a listener BullMQ prints each one.
 */
export function workerErrorWarning(logger: Logger, queue: string): (error: Error) => void {
  const warn = throttledWarning(logger, 10_000);
  return (error) => warn({ queue, err: error.message }, 'worker cannot reach Redis; retrying');
}
