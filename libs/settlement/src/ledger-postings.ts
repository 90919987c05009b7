import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import { lockBalances } from './balances';
import { ACCOUNTS_OF, LedgerEntryRow, NewEntry } from './ledger-entry.types';
import { closedPeriodsOf, landingPeriod, lockPeriodsShared, Period, periodOf, timeZonesOf } from './periods';

/** Columns written per entry, in the order of the unnest below. */
const COLUMNS = [
  ['source_key', 'text'],
  ['seller_merchant_id', 'bigint'],
  ['buyer_merchant_id', 'bigint'],
  ['currency', 'text'],
  ['debit_account', 'text'],
  ['credit_account', 'text'],
  ['amount', 'bigint'],
  ['kind', 'text'],
  ['period', 'date'],
  ['original_period', 'date'],
  ['occurred_at', 'timestamptz'],
  ['channel_order_id', 'bigint'],
  ['external_order_id', 'text'],
  ['fulfillment_order_id', 'bigint'],
  ['fulfillment_order_line_id', 'bigint'],
  ['channel_order_line_id', 'bigint'],
  ['shipment_id', 'bigint'],
  ['return_request_id', 'bigint'],
  ['sku_id', 'bigint'],
  ['sku_code', 'text'],
  ['quantity', 'int'],
  ['unit_price_amount', 'bigint'],
  ['references_entry_id', 'bigint'],
  ['reason', 'text'],
  ['member_id', 'bigint'],
] as const;

/**
 * Posts entries, each exactly once (by its source key), in the caller's transaction: each lands in
 * its payee's month (the seller's time zone), or in the first open month after it when that month is
 * closed (`original_period` then names the month it belonged to); the month's statement of the pair
 * is created as a draft when missing; the pair's balance takes the entry's amount. One statement for
 * the entries, their statements' ids and the balances. Returns the entries written now (a source key
 * already posted is skipped).
 */
export async function postEntries(em: EntityManager, entries: NewEntry[]): Promise<LedgerEntryRow[]> {
  const valid = entries.filter((entry) => entry.amount > 0n);
  for (const entry of entries) if (entry.amount < 0n) throw new Error(`Ledger entry ${entry.sourceKey} has a negative amount: post it in the other direction`);
  if (valid.length === 0) return [];
  const sellers = valid.map((entry) => entry.sellerMerchantId);
  await lockPeriodsShared(em, sellers);
  const zones = await timeZonesOf(em, sellers);
  const months = valid.map((entry) => periodOf(entry.occurredAt, zones.get(entry.sellerMerchantId)!));
  const closed = await closedPeriodsOf(em, sellers, [...months].sort()[0]);
  const landing = valid.map((entry, index) => landingPeriod(months[index], closed.get(entry.sellerMerchantId)!));
  // Balances before anything else they guard, in id order, as holds are placed and resolved: a shipment
  // (entries, then its holds) and a cancellation (holds) of one line cannot then lock in opposite orders.
  // Those of zero amounts too: a free hop's hold is posted with the others, under the same locks.
  await lockBalances(em, entries);

  const values: unknown[][] = [
    valid.map((entry) => entry.sourceKey),
    valid.map((entry) => entry.sellerMerchantId),
    valid.map((entry) => entry.buyerMerchantId),
    valid.map((entry) => entry.currency),
    valid.map((entry) => ACCOUNTS_OF[entry.direction].debit),
    valid.map((entry) => ACCOUNTS_OF[entry.direction].credit),
    valid.map((entry) => entry.amount.toString()),
    valid.map((entry) => entry.kind),
    landing,
    valid.map((_, index) => (landing[index] === months[index] ? null : months[index])),
    valid.map((entry) => entry.occurredAt.toISOString()),
    valid.map((entry) => entry.channelOrderId ?? null),
    valid.map((entry) => entry.externalOrderId ?? null),
    valid.map((entry) => entry.fulfillmentOrderId ?? null),
    valid.map((entry) => entry.fulfillmentOrderLineId ?? null),
    valid.map((entry) => entry.channelOrderLineId ?? null),
    valid.map((entry) => entry.shipmentId ?? null),
    valid.map((entry) => entry.returnRequestId ?? null),
    valid.map((entry) => entry.skuId ?? null),
    valid.map((entry) => entry.skuCode ?? null),
    valid.map((entry) => entry.quantity ?? null),
    valid.map((entry) => (entry.unitPriceAmount === undefined || entry.unitPriceAmount === null ? null : entry.unitPriceAmount.toString())),
    valid.map((entry) => entry.referencesEntryId ?? null),
    valid.map((entry) => entry.reason ?? null),
    valid.map((entry) => entry.memberId ?? null),
  ];
  const names = COLUMNS.map(([name]) => name);
  const unnest = COLUMNS.map(([, type]) => `?::${type}[]`).join(', ');
  return sqlRows<LedgerEntryRow>(
    em,
    `with wanted as (
       select * from unnest(${unnest}) as w(${names.join(', ')})
     ), statements as (
       insert into statement (seller_merchant_id, buyer_merchant_id, currency, period)
       -- Only for entries not posted yet: a late repeat of one whose month has closed since must not open a statement in the next month.
       select distinct seller_merchant_id, buyer_merchant_id, currency, period from wanted w
        where not exists (select 1 from ledger_entry e where e.source_key = w.source_key) order by 1, 2, 3, 4
       on conflict (seller_merchant_id, buyer_merchant_id, currency, period) do update set updated_at = now()
       returning id, seller_merchant_id, buyer_merchant_id, currency, period
     ), inserted as (
       insert into ledger_entry (${names.join(', ')}, statement_id)
       select w.*, s.id from wanted w
         join statements s on s.seller_merchant_id = w.seller_merchant_id and s.buyer_merchant_id = w.buyer_merchant_id and s.currency = w.currency and s.period = w.period
       on conflict (source_key) do nothing
       returning *
     ), moved as (
       -- A data-modifying CTE runs whether or not the final select reads it.
       update settlement_balance b
          set charged_amount = b.charged_amount + t.charged, paid_amount = b.paid_amount + t.paid, updated_at = now()
         from (select seller_merchant_id, buyer_merchant_id, currency,
                      sum(case when credit_account = 'revenue' then amount when debit_account = 'revenue' then -amount else 0 end) as charged,
                      sum(case when debit_account = 'cash' then amount else 0 end) as paid
                 from inserted group by 1, 2, 3) t
        where b.seller_merchant_id = t.seller_merchant_id and b.buyer_merchant_id = t.buyer_merchant_id and b.currency = t.currency
       returning b.id
     )
     select id::text, seller_merchant_id::text, buyer_merchant_id::text, currency, debit_account, credit_account, amount::text, kind, source_key,
            to_char(period, 'YYYY-MM-DD') as period, to_char(original_period, 'YYYY-MM-DD') as original_period, statement_id::text, occurred_at, recorded_at,
            channel_order_id::text, external_order_id, fulfillment_order_id::text, fulfillment_order_line_id::text, channel_order_line_id::text,
            shipment_id::text, return_request_id::text, sku_id::text, sku_code, quantity, unit_price_amount::text, references_entry_id::text, reason, member_id::text
       from inserted`,
    values,
  );
}

/** The months entries of these payees would land in now (for callers that must refuse a closed month). */
export async function openPeriodFor(em: EntityManager, sellerMerchantId: string, at: Date): Promise<{ period: Period; closed: boolean }> {
  const zones = await timeZonesOf(em, [sellerMerchantId]);
  const period = periodOf(at, zones.get(sellerMerchantId)!);
  const closed = await closedPeriodsOf(em, [sellerMerchantId], period);
  return { period, closed: closed.get(sellerMerchantId)!.has(period) };
}
