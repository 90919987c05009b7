import type { ListChannelOrdersQueryDto } from './orders.dto';

/**
 * The statement of one page of a distributor's shop orders (newest first, keyset-paged by id below
 * `before`), with its parameters: its own function so that the query-plan spec explains exactly it
 * (the first page and status lists read `channel_order_merchant_idx`, a date window, with a status
 * or without, `channel_order_merchant_received_idx`).
 */
export function channelOrdersPageQuery(merchantId: string, query: ListChannelOrdersQueryDto, before: string | null, limit: number, onlyIds?: string[]): { sql: string; params: unknown[] } {
  // With a window of at most a month, `id + 0` keeps the planner off walking the primary key backwards
  // through the merchant's whole history in search of it (what it chose for a status and a day over a
  // million orders, BENCH_SCALE): the window's rows come off the date index and are sorted, the same
  // order. A wider or open window finds its rows early on that walk, so it keeps it.
  const order = isNarrowWindow(query.createdFrom, query.createdTo) ? 'id + 0' : 'id';
  return {
    sql: `select * from channel_order where merchant_id = ?
          and (?::text is null or status = ?::text) and (?::bigint is null or shop_id = ?::bigint) and (?::bigint is null or id < ?::bigint)
          and (?::text is null or exception_code = ?::text)
          and (?::timestamptz is null or received_at >= ?::timestamptz) and (?::timestamptz is null or received_at < ?::timestamptz)
          and (?::bigint[] is null or id = any(?::bigint[]))
        order by ${order} desc limit ?`,
    params: [
      merchantId,
      query.status ?? null,
      query.status ?? null,
      query.shopId ?? null,
      query.shopId ?? null,
      before,
      before,
      query.exceptionCode ?? null,
      query.exceptionCode ?? null,
      query.createdFrom ?? null,
      query.createdFrom ?? null,
      query.createdTo ?? null,
      query.createdTo ?? null,
      onlyIds ?? null,
      onlyIds ?? null,
      limit,
    ],
  };
}

const NARROW_WINDOW_MS = 31 * 86_400_000;

function isNarrowWindow(from: string | undefined, to: string | undefined): boolean {
  if (!from || !to) return false;
  const span = Date.parse(to) - Date.parse(from);
  return Number.isFinite(span) && span <= NARROW_WINDOW_MS;
}
