import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, sqlExec, sqlOne, sqlRows, ValidationFailedError } from '@gongxiao/core';
import { lockPeriodsExclusive, nextPeriod, periodOf, timeZonesOf } from './periods';
import { monthOf, periodFromMonth } from './statement-access';
import { PERIOD_PATTERN } from './settlement.dto';
import { ENTRY_SUMS_SQL } from './statement-totals';
import { startOfPeriod } from './zoned-time';

/** Days after a month ends that it closes by itself when the merchant chose nothing. */
export const DEFAULT_AUTO_CLOSE_AFTER_DAYS = 5;

/**
 * Closing a payee's month (月结): no entry lands in it afterwards (late ones go to the next open
 * month), and the totals of every statement of that payee and month are frozen in one set-based
 * statement. Months close in order, so that each statement opens with the closing balance of the
 * one before it.
 */
@Injectable()
export class ClosePeriodService {
  constructor(private readonly em: EntityManager) {}

  async close(actor: ActorContext, month: string): Promise<{ period: string; statements: number }> {
    if (!PERIOD_PATTERN.test(month)) throw ValidationFailedError.field('period', 'must be a month as YYYY-MM, e.g. 2026-11');
    const period = periodFromMonth(month);
    return this.em.transactional(async (em) => ({ period: month, statements: await closePeriod(em, actor.merchantId, period, actor.memberId, false) }));
  }

  /**
   * Closes, for every payee, its oldest open month with statements once that month's end plus its
   * auto-close delay has passed (one month per payee per sweep; the next sweep takes the next).
   * Runs once at a time across all workers, and each close takes the payee's period lock and skips
   * a month already closed.
   */
  async closeDue(now = new Date()): Promise<number> {
    // One pass at a time across every worker: the others skip theirs while one runs (its transaction
    // holds the lock; each close runs in a transaction of its own).
    return (this.em.fork() as EntityManager).transactional(async (guard) => {
      const [{ taken }] = await sqlRows<{ taken: boolean }>(guard, `select pg_try_advisory_xact_lock(hashtextextended('settlement:auto-close', 0)) as taken`);
      return taken ? this.closeDueOnce(now) : 0;
    });
  }

  private async closeDueOnce(now: Date): Promise<number> {
    const candidates = await sqlRows<{ merchant_id: string; period: string; auto_close_after_days: number | null; has_settings: boolean }>(
      this.em.fork() as EntityManager,
      `select s.seller_merchant_id::text as merchant_id, to_char(min(s.period), 'YYYY-MM-DD') as period,
              max(st.auto_close_after_days) as auto_close_after_days, bool_or(st.merchant_id is not null) as has_settings
         from statement s
         left join settlement_settings st on st.merchant_id = s.seller_merchant_id
        where not exists (select 1 from closed_period c where c.merchant_id = s.seller_merchant_id and c.period = s.period)
        group by s.seller_merchant_id`,
    );
    let closed = 0;
    for (const candidate of candidates) {
      const days = candidate.has_settings ? candidate.auto_close_after_days : DEFAULT_AUTO_CLOSE_AFTER_DAYS;
      if (days === null) continue;
      const zone = (await timeZonesOf(this.em.fork() as EntityManager, [candidate.merchant_id])).get(candidate.merchant_id)!;
      const due = startOfPeriod(nextPeriod(candidate.period), zone).getTime() + days * 86_400_000;
      if (due > now.getTime()) continue;
      closed += await (this.em.fork() as EntityManager).transactional(async (em) => {
        // Another worker may have closed it meanwhile: the period lock orders us after it, and a closed month stays closed.
        await lockPeriodsExclusive(em, candidate.merchant_id);
        if (await sqlOne(em, `select 1 from closed_period where merchant_id = ? and period = ?::date`, [candidate.merchant_id, candidate.period])) return 0;
        await closePeriod(em, candidate.merchant_id, candidate.period, null, true, now);
        return 1;
      });
    }
    return closed;
  }
}

/** Closes `period` of the payee in the caller's transaction; returns how many statements it froze. */
export async function closePeriod(em: EntityManager, merchantId: string, period: string, memberId: string | null, automatically: boolean, now = new Date()): Promise<number> {
  await lockPeriodsExclusive(em, merchantId);
  const zone = (await timeZonesOf(em, [merchantId])).get(merchantId)!;
  // The current month may be closed early (a cut-off before month end, as many finance teams keep):
  // whatever arrives for it afterwards lands in the next month. A month that has not begun cannot close.
  if (period > periodOf(now, zone)) throw ValidationFailedError.field('period', `${monthOf(period)} has not begun yet in your time zone (${zone})`, 'period_not_started');
  const earlier = await sqlOne<{ period: string }>(
    em,
    `select to_char(min(s.period), 'YYYY-MM') as period from statement s
      where s.seller_merchant_id = ? and s.period < ?::date
        and not exists (select 1 from closed_period c where c.merchant_id = s.seller_merchant_id and c.period = s.period)
     having count(*) > 0`,
    [merchantId, period],
  );
  if (earlier) throw new ConflictError('earlier_period_open', `Close ${earlier.period} first: months close in order.`, [{ field: 'period', reason: `${earlier.period} is still open` }]);
  const inserted = await sqlExec(em, `insert into closed_period (merchant_id, period, closed_by_member_id, closed_automatically) values (?, ?::date, ?, ?) on conflict do nothing`, [
    merchantId,
    period,
    memberId,
    automatically,
  ]);
  if (inserted === 0) throw new ConflictError('period_closed', `${monthOf(period)} is already closed.`, [{ field: 'period', reason: 'already closed' }]);
  return freezeTotals(em, merchantId, period);
}

/** One statement: every statement of the payee × month takes its totals from its entries and the previous closing balance. */
async function freezeTotals(em: EntityManager, merchantId: string, period: string): Promise<number> {
  return sqlExec(
    em,
    `with sums as (
       select s.id,
              coalesce((select p.closing_balance_amount from statement p
                         where p.seller_merchant_id = s.seller_merchant_id and p.buyer_merchant_id = s.buyer_merchant_id and p.currency = s.currency
                           and p.period < s.period and p.closing_balance_amount is not null order by p.period desc limit 1), 0) as opening,
              t.*
         from statement s cross join lateral (select ${ENTRY_SUMS_SQL} from ledger_entry e where e.statement_id = s.id) t
        where s.seller_merchant_id = ? and s.period = ?::date
     )
     update statement s
        set opening_balance_amount = x.opening, goods_amount = x.goods, shipping_amount = x.shipping, refund_amount = x.refunds,
            adjustment_amount = x.adjustments, payment_amount = x.payments,
            due_amount = x.goods + x.shipping - x.refunds + x.adjustments,
            closing_balance_amount = x.opening + x.goods + x.shipping - x.refunds + x.adjustments - x.payments,
            updated_at = now()
       from sums x where s.id = x.id`,
    [merchantId, period],
  );
}
