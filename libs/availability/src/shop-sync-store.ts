import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '@gongxiao/core';

/** A listing whose availability changed since its shop was last told, at its latest value. */
export interface ChangedListing {
  shopId: string;
  listingId: string;
  available: number;
  version: string;
}

/**
 * Listings of each shop whose availability changed since the shop was last told, at their latest
 * values, in listing id order, up to `limit` a shop: each shop's rows through `(merchant_id,
 * shop_id, listing_id)`, each looked up in listing_sync by its key (a join would read all of
 * listing_sync for every shop told).
 */
export function shopChangedListingsQuery(shops: { id: string; merchantId: string }[], limit: number): { sql: string; params: unknown[] } {
  return {
    sql: `select s.shop_id::text as shop_id, a.listing_id::text as listing_id, a.available, a.version::text as version
            from unnest(?::bigint[], ?::bigint[]) as s(merchant_id, shop_id)
            cross join lateral (
              select a.listing_id, a.available, a.version from listing_availability a
               where a.merchant_id = s.merchant_id and a.shop_id = s.shop_id
                 and a.version > coalesce((select y.synced_version from listing_sync y where y.listing_id = a.listing_id), 0)
               order by a.listing_id limit ?) a
           order by s.shop_id, a.listing_id`,
    params: [shops.map((shop) => shop.merchantId), shops.map((shop) => shop.id), limit],
  };
}

/** The changed listings of these shops (see shopChangedListingsQuery), by shop id. */
export async function changedListingsOfShops(em: EntityManager, shops: { id: string; merchantId: string }[], limit: number): Promise<Map<string, ChangedListing[]>> {
  const byShop = new Map<string, ChangedListing[]>();
  if (shops.length === 0) return byShop;
  const { sql, params } = shopChangedListingsQuery(shops, limit);
  for (const row of await sqlRows<{ shop_id: string; listing_id: string; available: number; version: string }>(em, sql, params)) {
    const rows = byShop.get(row.shop_id) ?? byShop.set(row.shop_id, []).get(row.shop_id)!;
    rows.push({ shopId: row.shop_id, listingId: row.listing_id, available: row.available, version: row.version });
  }
  return byShop;
}

/**
 * Shops' batches told: their listings marked synced (a version never goes back) and, for each shop
 * whose last batch it was (`release`), the holder's lease given up, in one statement.
 */
export async function finishShopBatches(em: EntityManager, batches: { shopId: string; rows: ChangedListing[]; release: boolean }[], holder: string): Promise<void> {
  if (batches.length === 0) return;
  const rows = batches.flatMap((batch) => batch.rows);
  await sqlExec(
    em,
    `with synced as (
       insert into listing_sync (listing_id, shop_id, synced_version)
       select * from unnest(?::bigint[], ?::bigint[], ?::bigint[]) as r(listing_id, shop_id, version) order by listing_id
       on conflict (listing_id) do update set synced_version = greatest(listing_sync.synced_version, excluded.synced_version), synced_at = now()
     )
     update shop_sync_lease set lease_until = now() where shop_id = any(?::bigint[]) and holder = ?::uuid`,
    [rows.map((row) => row.listingId), rows.map((row) => row.shopId), rows.map((row) => row.version), batches.filter((batch) => batch.release).map((batch) => batch.shopId), holder],
  );
}

/**
 * Writes that arrive together go out together: each `add` joins the wave written on the next turn of
 * the event loop (callbacks that answer at once share one statement; a slow one gets its own).
 */
export class Waves<Item> {
  private pending: Item[] = [];
  private next: Promise<void> | null = null;

  constructor(private readonly write: (items: Item[]) => Promise<void>) {}

  add(item: Item): Promise<void> {
    this.pending.push(item);
    this.next ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const wave = this.pending.splice(0);
      this.next = null;
      return this.write(wave);
    });
    return this.next;
  }
}

/**
 * Takes (or renews) the leases of these shops for `seconds`, in shop id order (two jobs sharing shops
 * cannot deadlock); returns the shops whose lease this holder now has (another holder's live lease
 * keeps its shop out).
 */
export async function takeShopLeases(em: EntityManager, shopIds: string[], holder: string, seconds: number): Promise<Set<string>> {
  if (shopIds.length === 0) return new Set();
  const rows = await sqlRows<{ shop_id: string }>(
    em,
    `insert into shop_sync_lease (shop_id, holder, lease_until)
     select s.id, ?::uuid, now() + make_interval(secs => ?) from unnest(?::bigint[]) as s(id) order by s.id
     on conflict (shop_id) do update set holder = excluded.holder, lease_until = excluded.lease_until
      where shop_sync_lease.lease_until < now() or shop_sync_lease.holder = excluded.holder
     returning shop_id::text`,
    [holder, seconds, [...new Set(shopIds)]],
  );
  return new Set(rows.map((row) => row.shop_id));
}

/** Gives up this holder's leases of these shops. */
export async function releaseShopLeases(em: EntityManager, shopIds: string[], holder: string): Promise<void> {
  if (shopIds.length === 0) return;
  await sqlExec(em, `update shop_sync_lease set lease_until = now() where shop_id = any(?::bigint[]) and holder = ?`, [shopIds, holder]);
}
