import { Logger } from '@nestjs/common';

/**
 * A warning for something that repeats while it lasts (Redis away, a replica lagging): logged at most
 * once per `everyMs`, so a burst of failures gives one line instead of thousands.
 */
export function throttledWarning(logger: Logger, everyMs: number): (fields: object, message: string) => void {
  let last = 0;
  return (fields, message) => {
    if (Date.now() - last < everyMs) return;
    last = Date.now();
    logger.warn(fields, message);
  };
}
