import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { JOB_ROUTES, OutboxJobData, OutboxJobHandler, OutboxService, UnrecoverableError } from '@gongxiao/core';
import { shipmentAccruals } from './accruals';
import { resolveHolds } from './hold-moves';
import { postEntries } from './ledger-postings';

const BATCH = JOB_ROUTES['shipment.recorded'].group ?? 1;

/**
 * A parcel shipped (fulfillment's `shipment.recorded`): every hop of its lines accrues what the
 * buyer owes the seller, the shipping fees are charged, and the holds of those units are posted, in
 * one transaction with the outbox row marked done. Exactly once: the row is taken once, and every
 * entry and hold move is keyed on (shipment, line, hop).
 */
@Injectable()
export class ShipmentRecordedJob implements OutboxJobHandler<'shipment.recorded'> {
  readonly eventType = 'shipment.recorded' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  async handle(job: OutboxJobData<'shipment.recorded'>): Promise<void> {
    await this.outbox.processBatch(this.em, job, BATCH, async (em, payloads) => {
      for (const payload of payloads) {
        if (!payload?.shipmentId || !Array.isArray(payload.lines)) throw new UnrecoverableError(`Malformed shipment.recorded payload: ${JSON.stringify(payload).slice(0, 200)}`);
      }
      const accruals = payloads.map(shipmentAccruals);
      await postEntries(
        em,
        accruals.flatMap((accrual) => accrual.entries),
      );
      await resolveHolds(
        em,
        'posted',
        accruals.flatMap((accrual) => accrual.holdPosts),
      );
    });
  }
}
