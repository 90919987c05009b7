import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ActorContext, ConflictError, decodeIdCursor, DomainError, Page, sqlOne, sqlRows, toPage, ValidationFailedError } from '@gongxiao/core';
import { PartnershipsService } from '@gongxiao/partnerships';
import { LedgerEntryRow } from './ledger-entry.types';
import { openPeriodFor, postEntries } from './ledger-postings';
import { closedPeriodsOf, landingPeriod, lockPeriodsShared } from './periods';
import { monthOf, periodFromMonth } from './statement-access';
import { AdjustmentDto, EntryResponseDto } from './settlement.dto';
import { ENTRY_COLUMNS, presentEntries } from './statement-entries';

/**
 * Manual corrections by the payee: a charge or a credit to one buyer, with the reason and the
 * member who made it kept on the entry. It lands in the payee's open month (a closed month never
 * changes); naming a closed month is refused.
 */
@Injectable()
export class AdjustmentsService {
  constructor(
    private readonly em: EntityManager,
    private readonly partnerships: PartnershipsService,
  ) {}

  async post(actor: ActorContext, input: AdjustmentDto): Promise<EntryResponseDto> {
    const buyerMerchantId = (input.buyerMerchantId ?? input.counterpartyMerchantId)!;
    if (input.buyerMerchantId && input.counterpartyMerchantId && input.buyerMerchantId !== input.counterpartyMerchantId) {
      throw ValidationFailedError.field('counterpartyMerchantId', 'differs from buyerMerchantId: send one of them');
    }
    const partnership = (await this.partnerships.partnershipsOfPairs([{ upstreamMerchantId: actor.merchantId, downstreamMerchantId: buyerMerchantId }])).get(`${actor.merchantId}:${buyerMerchantId}`);
    if (!partnership)
      throw new DomainError('not_found', 'partner_not_found', `Merchant ${buyerMerchantId} is not a buyer of yours: only the payee makes adjustments.`, [
        { field: 'buyerMerchantId', reason: 'no partnership where you sell to it' },
      ]);
    if (partnership.currency !== input.amount.currency) throw ValidationFailedError.field('amount.currency', `must be the partnership's currency ${partnership.currency}`, 'currency_mismatch');
    const rows = await this.em.transactional(async (em) => {
      if (input.referencesEntryId) await this.assertReference(em, actor.merchantId, buyerMerchantId, input.referencesEntryId);
      const now = new Date();
      // The payee's month cannot close between the check and the entry: the period lock is held from here.
      await lockPeriodsShared(em, [actor.merchantId]);
      if (input.period) await this.assertLandsIn(em, actor.merchantId, periodFromMonth(input.period), now);
      return postEntries(em, [
        {
          sourceKey: `adjustment:${randomUUID()}`,
          kind: 'adjustment',
          direction: input.direction,
          sellerMerchantId: actor.merchantId,
          buyerMerchantId,
          currency: input.amount.currency,
          amount: BigInt(input.amount.amount),
          occurredAt: now,
          referencesEntryId: input.referencesEntryId ?? null,
          reason: input.reason,
          memberId: actor.memberId,
        },
      ]);
    });
    return (await presentEntries(this.em, actor.merchantId, rows))[0];
  }

  async list(actor: ActorContext, query: { limit?: number; cursor?: string }): Promise<Page<EntryResponseDto>> {
    const limit = query.limit ?? 50;
    const before = decodeIdCursor(query.cursor);
    const rows = await sqlRows<LedgerEntryRow>(
      this.em,
      `select ${ENTRY_COLUMNS} from ledger_entry e
        where e.kind = 'adjustment' and ? in (e.seller_merchant_id, e.buyer_merchant_id) and (?::bigint is null or e.id < ?::bigint) order by e.id desc limit ?`,
      [actor.merchantId, before, before, limit + 1],
    );
    const presented = new Map((await presentEntries(this.em, actor.merchantId, rows)).map((entry) => [entry.id, entry]));
    return toPage(rows, limit, (row) => presented.get(row.id)!);
  }

  private async assertReference(em: EntityManager, sellerMerchantId: string, buyerMerchantId: string, entryId: string): Promise<void> {
    const found = await sqlOne(em, `select 1 from ledger_entry where id = ? and seller_merchant_id = ? and buyer_merchant_id = ?`, [entryId, sellerMerchantId, buyerMerchantId]);
    if (!found) throw ValidationFailedError.field('referencesEntryId', 'is not an entry between you and this buyer');
  }

  private async assertLandsIn(em: EntityManager, merchantId: string, period: string, now: Date): Promise<void> {
    const current = await openPeriodFor(em, merchantId, now);
    const closed = (await closedPeriodsOf(em, [merchantId], period < current.period ? period : current.period)).get(merchantId)!;
    if (closed.has(period)) throw new ConflictError('period_closed', `${monthOf(period)} is closed: adjustments land in the next open month.`, [{ field: 'period', reason: 'closed' }]);
    if (landingPeriod(current.period, closed) !== period) throw ValidationFailedError.field('period', `an adjustment made now lands in ${monthOf(landingPeriod(current.period, closed))}`);
  }
}
