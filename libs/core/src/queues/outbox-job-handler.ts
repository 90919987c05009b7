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
