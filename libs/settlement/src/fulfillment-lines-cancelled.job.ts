import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JOB_ROUTES, OutboxJobData, OutboxJobHandler, OutboxService, sqlRows, UnrecoverableError } from '@gongxiao/core';
import { HoldMove, resolveHolds } from './hold-moves';

const BATCH = JOB_ROUTES['fulfillment_lines.cancelled'].group ?? 1;

/**
 * Units were cancelled before they shipped (fulfillment's `fulfillment_lines.cancelled`): their
 * holds are voided at every hop, so the buyers' funds are free again. Cancelled units accrue nothing.
 */
@Injectable()
export class FulfillmentLinesCancelledJob implements OutboxJobHandler<'fulfillment_lines.cancelled'> {
  readonly eventType = 'fulfillment_lines.cancelled' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  async handle(job: OutboxJobData<'fulfillment_lines.cancelled'>): Promise<void> {
    await this.outbox.processBatch(this.em, job, BATCH, async (em, payloads) => {
      for (const payload of payloads) {
        if (!payload?.cancellationKey || !Array.isArray(payload.lines)) throw new UnrecoverableError(`Malformed fulfillment_lines.cancelled payload: ${JSON.stringify(payload).slice(0, 200)}`);
      }
      const lines = payloads.flatMap((payload) => payload.lines.map((line) => ({ ...line, key: payload.cancellationKey })));
      const hops = await sqlRows<{ channel_order_line_id: string; hop_index: number }>(
        em,
        `select channel_order_line_id::text, hop_index from settlement_hold where channel_order_line_id = any(?::bigint[])`,
        [[...new Set(lines.map((line) => line.channelOrderLineId))]],
      );
      const moves: HoldMove[] = lines.flatMap((line) =>
        hops
          .filter((hop) => hop.channel_order_line_id === String(line.channelOrderLineId))
          .map((hop) => ({
            sourceKey: `${line.key}:line:${line.fulfillmentOrderLineId}:hop:${hop.hop_index}`,
            channelOrderLineId: hop.channel_order_line_id,
            hopIndex: hop.hop_index,
            quantity: line.quantity,
            trialQuantity: line.trialUnits?.find((trial) => trial.hopIndex === hop.hop_index)?.units ?? 0,
          })),
      );
      await resolveHolds(em, 'voided', moves);
    });
  }
}
