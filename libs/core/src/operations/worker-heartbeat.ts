/**
 * Where workers say they are alive: one Redis key per environment (queue prefix) that every worker
 * sets, with a TTL, every third of that TTL. /health/ready fails when it has expired, i.e. no worker
 * beat within WORKER_HEARTBEAT_TTL_SECONDS.
 */
export function workerHeartbeatKey(queuePrefix: string): string {
  return `${queuePrefix}:worker-heartbeat`;
}
