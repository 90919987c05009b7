import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { OutboxJobData, OutboxJobHandler, OutboxService, UnrecoverableError } from '@gongxiao/core';
import { retryFundsExceptions } from '@gongxiao/orders';
import { payloadId } from './payload-ids';

/**
 * A buyer's funds with a seller grew (a top-up, a payment, a higher credit limit): the orders held
 * because that partnership's funds fell short go back to routing, in the same transaction that marks
 * the event done. Running twice finds nothing left to retry.
 */
@Injectable()
export class FundsAddedJob implements OutboxJobHandler<'funds.added'> {
  readonly eventType = 'funds.added' as const;

  constructor(
    private readonly em: EntityManager,
    private readonly outbox: OutboxService,
  ) {}

  async handle(job: OutboxJobData<'funds.added'>): Promise<void> {
    const sellerMerchantId = payloadId(job.payload.sellerMerchantId, 'sellerMerchantId', this.eventType);
    const buyerMerchantId = payloadId(job.payload.buyerMerchantId, 'buyerMerchantId', this.eventType);
    const currency = job.payload.currency;
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) throw new UnrecoverableError(`${this.eventType}: currency ${String(currency)} is not a currency code`);
    await this.em.transactional(async (em) => {
      await retryFundsExceptions(em, { sellerMerchantId, buyerMerchantId, currency });
      await this.outbox.markProcessed(em, job.eventId);
    });
  }
}
