import { OutboxEventType, OutboxJobData } from './job-catalog';

/**
 * Handles one kind of outbox event in the worker. The handler opens its own transaction, re-reads
 * state, does nothing when the work is already done, and marks the outbox row processed in the
 * same transaction as its effect. Throwing makes BullMQ retry with the event's backoff.
 */
export interface OutboxJobHandler<Type extends OutboxEventType = OutboxEventType> {
  readonly eventType: Type;
  handle(job: OutboxJobData<Type>): Promise<void>;
}

/** Thrown for work that can never succeed: BullMQ gives up at once. */
export { UnrecoverableError } from 'bullmq';

/**
 * Thrown when the work is fine but someone else holds it right now (a lease another worker keeps
 * for a few seconds): the job runs again after `afterMs`, without using up one of its attempts, so
 * that waiting in line never pushes it into the long back-off meant for real failures.
 */
export class RetryShortly extends Error {
  constructor(
    message: string,
    readonly afterMs: number,
  ) {
    super(message);
  }
}
