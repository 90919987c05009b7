import { expectError, expectStatus, SignedUpMerchant, signUp, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { HttpResult } from '../support/test-environment';
import { eventually } from '../support/webhook-sink';

/**
 * Inventory as suppliers, brokers and distributors live it: a factory's people and ERP update stock
 * (absolute and delta, one or thousands at a time, each with an idempotency key), orders reserve it
 * under bursts without overselling, each hop of a chain caps what its partner may sell, and every
 * listing shows the minimum along its chain — against real PostgreSQL, real Redis and the real worker.
 */

interface Update {
  key?: string;
  warehouseId?: string;
  warehouseCode?: string;
  skuId?: string;
  skuCode?: string;
  onHand?: number;
  delta?: number;
  safetyStock?: number;
  reason?: 'erp_sync' | 'stock_count' | 'manual_adjustment';
  note?: string;
}

interface Books {
  onHand: number;
  reserved: number;
  safetyStock: number;
  /** Sums of every stock movement of the level: they must explain it exactly. */
  movedOnHand: number;
  movedReserved: number;
  movements: number;
}

interface ListingAvailability {
  listingId: string;
  shopId: string;
  available: number;
  soldOut: boolean;
  version: string;
  updatedAt: string;
}

/** A small deterministic PRNG, so a shuffled story is the same story on every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}

const fields = (response: HttpResult) => (response.body.error.details as { field: string }[]).map((detail) => detail.field).sort();

describe('inventory: exact stock, idempotent updates, no oversell, caps along the chain', () => {
  const { api, database } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  let network: OrderNetwork;
  let outsider: SignedUpMerchant;
  /** The factory's own goods for the stock-update stories (not sold through any chain). */
  const erp = { a: '', b: '', c: '', d: '' };
  /** Listing ids of the distributor: `${shop}:${shopSkuCode}` → id. */
  const listings = new Map<string, string>();
  const figures: string[] = [];

  const stockUpdates = (token: string, updates: Update[]) => api.post('/v1/stock-updates', { updates }, token);
  const push = (order: unknown, shop = network.shop) => api.signedPost(`/v1/shops/${shop.id}/orders`, order, shop.secret);
  const query = async <Row = any>(sql: string, params: unknown[] = []): Promise<Row[]> => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];

  async function books(warehouseId: string, skuId: string): Promise<Books> {
    const [row] = await query<Books>(
      `select coalesce(s.on_hand, 0) as "onHand", coalesce(s.reserved, 0) as "reserved", coalesce(s.safety_stock, 0) as "safetyStock",
              (select coalesce(sum(on_hand_delta), 0)::int from stock_movement where warehouse_id = $1 and sku_id = $2) as "movedOnHand",
              (select coalesce(sum(reserved_delta), 0)::int from stock_movement where warehouse_id = $1 and sku_id = $2) as "movedReserved",
              (select count(*)::int from stock_movement where warehouse_id = $1 and sku_id = $2) as "movements"
         from (select 1) one left join stock_level s on s.warehouse_id = $1 and s.sku_id = $2`,
      [warehouseId, skuId],
    );
    return row;
  }

  /** Everything a stock update may write, to prove a refused request wrote nothing. */
  async function stockSnapshot() {
    return {
      levels: await query(`select * from stock_level order by warehouse_id, sku_id`),
      movements: await query(`select * from stock_movement order by id`),
      keys: await query(`select * from stock_update_request order by merchant_id, idempotency_key`),
      events: await query(`select id, type, aggregate_id, payload from outbox_event where type = 'availability.stale' order by id`),
    };
  }

  async function availability(token: string, path = ''): Promise<ListingAvailability[]> {
    const response = await api.get(`/v1/listing-availability?limit=200${path}`, token);
    expectStatus(response, 200);
    return response.body.data;
  }

  /** Waits until the worker has recomputed the listings to the expected values. */
  async function expectListings(expected: Record<string, number>, what: string): Promise<ListingAvailability[]> {
    let last: Record<string, number | undefined> = {};
    try {
      return await eventually(
        async () => {
          const rows = await availability(network.distributor.token);
          last = Object.fromEntries(Object.keys(expected).map((key) => [key, rows.find((row) => row.listingId === listings.get(key))?.available]));
          return Object.entries(expected).every(([key, value]) => last[key] === value) && rows.filter((row) => key(row) in expected);
        },
        15_000,
        what,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; expected ${JSON.stringify(expected)}, last seen ${JSON.stringify(last)}`);
    }
  }
  const key = (row: ListingAvailability) => [...listings.entries()].find(([, id]) => id === row.listingId)?.[0] ?? row.listingId;

  const both = (code: string, value: number) => ({ [`shop:${code}`]: value, [`shop2:${code}`]: value });

  async function settledOrders(orderIds: string[], timeoutMs: number) {
    await eventually(
      async () => (await query<{ n: number }>(`select count(*)::int as n from channel_order where id = any($1::bigint[]) and status = 'received'`, [orderIds]))[0].n === 0,
      timeoutMs,
      `${orderIds.length} orders to be routed or held`,
    );
    return query<{ status: string; exception_code: string | null; n: number }>(
      `select status, exception_code, count(*)::int as n from channel_order where id = any($1::bigint[]) group by 1, 2 order by 1, 2`,
      [orderIds],
    );
  }

  /** Waits until every availability recompute asked for so far has run. */
  async function availabilitySettled() {
    await eventually(
      async () => (await query<{ n: number }>(`select count(*)::int as n from outbox_event where type = 'availability.stale' and processed_at is null`))[0].n === 0,
      15_000,
      'every availability recompute to run',
    );
  }

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    outsider = await signUp(api, 'Elsewhere Goods', 'Sun', `outsider-${Date.now()}@example.com`);

    const product = await api.post('/v1/products', { name: 'ERP goods', skus: ['ERP-A', 'ERP-B', 'ERP-C', 'ERP-D'].map((code) => ({ code, name: code })) }, network.factory.token);
    expectStatus(product, 201);
    [erp.a, erp.b, erp.c, erp.d] = product.body.skus.map((sku: { id: string }) => sku.id);

    for (const [name, shop] of [
      ['shop', network.shop],
      ['shop2', network.shop2],
    ] as const) {
      const page = await api.get(`/v1/listings?shopId=${shop.id}&limit=200`, network.distributor.token);
      expectStatus(page, 200);
      for (const listing of page.body.data) listings.set(`${name}:${listing.shopSkuCode}`, listing.id);
    }
    expect(listings.size).toBe(6);
  });

  afterAll(async () => {
    if (figures.length > 0) process.stdout.write(`\ninventory — ${figures.join('; ')}\n`);
  });

  describe('stock updates by people and ERPs', () => {
    const first: Update[] = [
      { key: 'count-2026-11-22-a', warehouseCode: 'ZJ', skuCode: 'ERP-A', onHand: 100, safetyStock: 5, reason: 'stock_count' },
      { key: 'damage-0001', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: -30, reason: 'manual_adjustment', note: 'water damage' },
      { key: 'erp-0001', warehouseCode: 'GD', skuCode: 'ERP-B', delta: 12 },
      { key: 'erp-0002', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 7 },
    ];

    it('applies absolute quantities and deltas in order, by codes and by ids, each with a movement', async () => {
      const { factory, warehouses } = network;
      // The same updates addressed by ids where the first request used codes (and the other way round).
      const body = first.map((update, index) =>
        index % 2 === 0
          ? update
          : {
              ...update,
              warehouseCode: undefined,
              skuCode: undefined,
              warehouseId: update.warehouseCode === 'ZJ' ? warehouses.zhejiang : warehouses.guangdong,
              skuId: update.skuCode === 'ERP-A' ? erp.a : erp.b,
            },
      );
      const response = await stockUpdates(factory.token, body);
      expectStatus(response, 200);
      // Each result shows its level as the whole request left it.
      const a = { warehouseId: warehouses.zhejiang, skuId: erp.a, onHand: 77, reserved: 0, safetyStock: 5, available: 72 };
      const b = { warehouseId: warehouses.guangdong, skuId: erp.b, onHand: 12, reserved: 0, safetyStock: 0, available: 12 };
      expect(response.body).toEqual({
        applied: 4,
        duplicates: 0,
        results: [
          { key: 'count-2026-11-22-a', status: 'applied', ...a },
          { key: 'damage-0001', status: 'applied', ...a },
          { key: 'erp-0001', status: 'applied', ...b },
          { key: 'erp-0002', status: 'applied', ...a },
        ],
      });

      const levels = await api.get(`/v1/stock-levels?warehouseId=${warehouses.zhejiang}&skuId=${erp.a}`, factory.token);
      expect(levels.body.data).toEqual([expect.objectContaining({ onHand: 77, reserved: 0, safetyStock: 5, available: 72 })]);
      const movements = await query(
        `select warehouse_id::text, sku_id::text, merchant_id::text, on_hand_delta, reserved_delta, reason, reference from stock_movement where sku_id = any($1::bigint[]) order by id`,
        [[erp.a, erp.b]],
      );
      const at = (warehouseId: string, skuId: string) => ({ warehouse_id: warehouseId, sku_id: skuId, merchant_id: factory.merchantId, reserved_delta: 0 });
      expect(movements).toEqual([
        { ...at(warehouses.zhejiang, erp.a), on_hand_delta: 100, reason: 'stock_count', reference: 'count-2026-11-22-a' },
        { ...at(warehouses.zhejiang, erp.a), on_hand_delta: -30, reason: 'manual_adjustment', reference: 'damage-0001' },
        { ...at(warehouses.guangdong, erp.b), on_hand_delta: 12, reason: 'erp_sync', reference: 'erp-0001' },
        { ...at(warehouses.zhejiang, erp.a), on_hand_delta: 7, reason: 'erp_sync', reference: 'erp-0002' },
      ]);
      expect(await books(warehouses.zhejiang, erp.a)).toEqual({ onHand: 77, reserved: 0, safetyStock: 5, movedOnHand: 77, movedReserved: 0, movements: 3 });
      expect(await books(warehouses.guangdong, erp.b)).toEqual({ onHand: 12, reserved: 0, safetyStock: 0, movedOnHand: 12, movedReserved: 0, movements: 1 });
    });

    it('takes the same request sent again as duplicates: nothing changes, no movement, no recompute', async () => {
      const before = await stockSnapshot();
      const again = await stockUpdates(network.factory.token, first);
      expectStatus(again, 200);
      expect(again.body.applied).toBe(0);
      expect(again.body.duplicates).toBe(4);
      expect(again.body.results.map((result: { key: string; status: string; onHand: number }) => [result.key, result.status, result.onHand])).toEqual([
        ['count-2026-11-22-a', 'duplicate', 77],
        ['damage-0001', 'duplicate', 77],
        ['erp-0001', 'duplicate', 12],
        ['erp-0002', 'duplicate', 77],
      ]);
      // The same key with the same content addressed by ids instead of codes is the same update.
      const byIds = await stockUpdates(network.factory.token, [
        { key: 'count-2026-11-22-a', warehouseId: network.warehouses.zhejiang, skuId: erp.a, onHand: 100, safetyStock: 5, reason: 'stock_count' },
      ]);
      expectStatus(byIds, 200);
      expect(byIds.body).toEqual(expect.objectContaining({ applied: 0, duplicates: 1 }));
      expect(await stockSnapshot()).toEqual(before);
    });

    it('counts a key repeated inside one request once, and answers for every update', async () => {
      const level = { warehouseCode: 'ZJ', skuCode: 'ERP-B' };
      const response = await stockUpdates(network.factory.token, [
        { key: 'twice-1', ...level, delta: 3 },
        { key: 'twice-1', ...level, delta: 3 },
      ]);
      expectStatus(response, 200);
      expect(response.body.applied).toBe(1);
      expect(response.body.duplicates).toBe(1);
      expect(response.body.results.map((result: { key: string; status: string; onHand: number }) => [result.key, result.status, result.onHand])).toEqual([
        ['twice-1', 'applied', 3],
        ['twice-1', 'duplicate', 3],
      ]);
      expect(await books(network.warehouses.zhejiang, erp.b)).toEqual({ onHand: 3, reserved: 0, safetyStock: 0, movedOnHand: 3, movedReserved: 0, movements: 1 });

      // The same key with two bodies in one request is refused, naming the repeat.
      const before = await stockSnapshot();
      expectError(
        await stockUpdates(network.factory.token, [
          { key: 'twice-2', ...level, delta: 3 },
          { key: 'twice-2', ...level, delta: 4 },
        ]),
        400,
        'validation_failed',
        'updates[1].key',
      );
      expect(await stockSnapshot()).toEqual(before);
    });

    it('refuses a key reused with other content (409 naming it) and changes nothing, not even the fresh keys of that request', async () => {
      const before = await stockSnapshot();
      const response = await stockUpdates(network.factory.token, [
        { key: 'fresh-0001', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1 },
        { key: 'damage-0001', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: -31, reason: 'manual_adjustment', note: 'water damage' },
        { key: 'erp-0002', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 7, note: 'now with a note' },
      ]);
      expectError(response, 409, 'idempotency_key_reused');
      expect(fields(response)).toEqual(['updates[1].key', 'updates[2].key']);
      expect(await stockSnapshot()).toEqual(before);

      // The fresh key was not used up by the refused request.
      const retried = await stockUpdates(network.factory.token, [{ key: 'fresh-0001', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1 }]);
      expectStatus(retried, 200);
      expect(retried.body).toEqual(expect.objectContaining({ applied: 1, duplicates: 0 }));
      expect(await books(network.warehouses.zhejiang, erp.a)).toEqual(expect.objectContaining({ onHand: 78, movedOnHand: 78, movements: 4 }));
    });

    it('refuses a request whose update would leave less than 0 on hand, as a whole (409)', async () => {
      const before = await stockSnapshot();
      const response = await stockUpdates(network.factory.token, [
        { key: 'neg-1', warehouseCode: 'ZJ', skuCode: 'ERP-A', onHand: 10 },
        { key: 'neg-2', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: -11 },
        { key: 'neg-3', warehouseCode: 'GD', skuCode: 'ERP-B', delta: 1 },
      ]);
      expectError(response, 409, 'stock_would_go_negative', 'updates[1].delta');
      expect(fields(response)).toEqual(['updates[1].delta']);
      expect(await stockSnapshot()).toEqual(before);
      // In order: set to 10, then take 10, leaves 0 (and every key of the refused request is still fresh).
      const applied = await stockUpdates(network.factory.token, [
        { key: 'neg-1', warehouseCode: 'ZJ', skuCode: 'ERP-A', onHand: 10 },
        { key: 'neg-2b', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: -10 },
      ]);
      expectStatus(applied, 200);
      expect(applied.body.results.map((result: { onHand: number; available: number }) => [result.onHand, result.available])).toEqual([
        [0, 0],
        [0, 0],
      ]);
      expect(await books(network.warehouses.zhejiang, erp.a)).toEqual({ onHand: 0, reserved: 0, safetyStock: 5, movedOnHand: 0, movedReserved: 0, movements: 6 });
    });

    it('applies an ERP push of 2,000 SKUs in one request, once, with movements that sum to every level', async () => {
      const { factory } = network;
      const codes = Array.from({ length: 2000 }, (_, index) => `BULK-${String(index).padStart(4, '0')}`);
      const skuIds: string[] = [];
      for (let part = 0; part < 4; part++) {
        const product = await api.post(
          '/v1/products',
          { name: `Bulk range ${part + 1}`, skus: codes.slice(part * 500, part * 500 + 500).map((code) => ({ code, name: `Item ${code}` })) },
          factory.token,
        );
        expectStatus(product, 201);
        skuIds.push(...product.body.skus.map((sku: { id: string }) => sku.id));
      }
      expect(skuIds).toHaveLength(2000);

      // The ERP authenticates with an API key that may only write stock.
      const erpKey = await api.post('/v1/api-keys', { name: 'ERP stock sync', scopes: ['stock:write'] }, factory.token);
      expectStatus(erpKey, 201);
      const readOnlyKey = await api.post('/v1/api-keys', { name: 'Catalog reader', scopes: ['catalog:read'] }, factory.token);
      const push2000 = codes.map((code, index) => ({ key: `erp-20261122-${code}`, warehouseCode: 'ZJ', skuCode: code, onHand: (index % 97) + 1 }));
      expectError(await stockUpdates(readOnlyKey.body.key, push2000.slice(0, 1)), 403, 'forbidden');

      const started = Date.now();
      const response = await stockUpdates(erpKey.body.key, push2000);
      const took = Date.now() - started;
      expectStatus(response, 200);
      figures.push(`ERP push of 2,000 SKUs applied in ${took} ms`);
      expect(response.body.applied).toBe(2000);
      expect(response.body.duplicates).toBe(0);
      expect(response.body.results).toHaveLength(2000);
      expect(
        response.body.results.filter(
          (result: { key: string; status: string; skuId: string; warehouseId: string; onHand: number }, index: number) =>
            result.key !== push2000[index].key ||
            result.status !== 'applied' ||
            result.skuId !== skuIds[index] ||
            result.warehouseId !== network.warehouses.zhejiang ||
            result.onHand !== push2000[index].onHand,
        ),
      ).toEqual([]);

      const stored = async () =>
        (
          await query(
            `select count(*)::int as levels, sum(s.on_hand)::int as on_hand,
                    count(*) filter (where s.on_hand <> coalesce(m.moved, 0) or s.reserved <> 0)::int as unexplained,
                    (select count(*)::int from stock_movement where sku_id = any($1::bigint[])) as movements,
                    (select count(*)::int from stock_movement where sku_id = any($1::bigint[]) and (reason <> 'erp_sync' or reference not like 'erp-20261122-BULK-%')) as odd_movements
               from stock_level s
               left join (select warehouse_id, sku_id, sum(on_hand_delta) as moved from stock_movement group by 1, 2) m on m.warehouse_id = s.warehouse_id and m.sku_id = s.sku_id
              where s.sku_id = any($1::bigint[])`,
            [skuIds],
          )
        )[0];
      const expectedTotal = push2000.reduce((sum, update) => sum + update.onHand, 0);
      expect(await stored()).toEqual({ levels: 2000, on_hand: expectedTotal, unexplained: 0, movements: 2000, odd_movements: 0 });
      const spotCheck = await query(`select on_hand from stock_level where warehouse_id = $1 and sku_id = $2`, [network.warehouses.zhejiang, skuIds[1234]]);
      expect(spotCheck).toEqual([{ on_hand: (1234 % 97) + 1 }]);

      // The ERP retries the whole push (it never saw the answer): every update is a duplicate.
      const retry = await stockUpdates(erpKey.body.key, push2000);
      expectStatus(retry, 200);
      expect(retry.body).toEqual(expect.objectContaining({ applied: 0, duplicates: 2000 }));
      expect(await stored()).toEqual({ levels: 2000, on_hand: expectedTotal, unexplained: 0, movements: 2000, odd_movements: 0 });

      // At most 5,000 updates per request.
      const tooMany = Array.from({ length: 5001 }, (_, index) => ({ key: `k${index}`, warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1 }));
      expectError(await stockUpdates(factory.token, tooMany), 400, 'validation_failed', 'updates');
      expectError(await stockUpdates(factory.token, []), 400, 'validation_failed', 'updates');
    });

    it('names every bad row of a request and writes nothing', async () => {
      const { factory, warehouses, skus } = network;
      const before = await stockSnapshot();
      const response = await stockUpdates(factory.token, [
        { key: 'bad-0', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1 },
        { key: 'bad-1', warehouseCode: 'ZJ', skuCode: 'NO-SUCH-SKU', onHand: 3 },
        { key: 'bad-2', warehouseCode: 'ZJ', skuCode: 'ERP-B', onHand: 3, delta: 2 },
        { key: 'bad-3', warehouseCode: 'NOWHERE', skuCode: 'ERP-B', delta: 2 },
        { key: 'bad-4', warehouseCode: 'ZJ', delta: 2 },
        // Another merchant's warehouse and another merchant's SKU are not the factory's to change.
        { key: 'bad-5', warehouseId: warehouses.farm, skuId: erp.b, delta: 2 },
        { key: 'bad-6', warehouseId: warehouses.zhejiang, skuId: skus.honey, delta: 2 },
        { key: 'bad-7', warehouseCode: 'ZJ', skuCode: 'ERP-B' },
        { key: 'bad-8', warehouseCode: 'GD', skuCode: 'ERP-B', delta: 1 },
      ]);
      expectError(response, 400, 'validation_failed');
      expect(fields(response)).toEqual(['updates[1].skuCode', 'updates[2].delta', 'updates[3].warehouseCode', 'updates[4].skuId', 'updates[5].warehouseId', 'updates[6].skuId', 'updates[7].onHand']);
      expect(await stockSnapshot()).toEqual(before);

      // Malformed rows are named by the validation of the body, every one of them.
      const malformed = await stockUpdates(factory.token, [
        { warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1 },
        { key: 'shape-1', warehouseCode: 'ZJ', skuCode: 'ERP-A', onHand: -1 },
        { key: 'shape-2', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 0 },
        { key: 'shape-3', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1.5 },
        { key: 'shape 4 has spaces', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1 },
        { key: 'shape-5', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1, reason: 'stolen' as 'erp_sync' },
        { key: 'shape-6', warehouseId: 'ZJ', skuCode: 'ERP-A', delta: 1 },
        { key: 'shape-7', warehouseCode: 'ZJ', skuCode: 'ERP-A', delta: 1 },
      ]);
      expectError(malformed, 400, 'validation_failed');
      expect(fields(malformed)).toEqual(['updates[0].key', 'updates[1].onHand', 'updates[2].delta', 'updates[3].delta', 'updates[4].key', 'updates[5].reason', 'updates[6].warehouseId']);
      expect(await stockSnapshot()).toEqual(before);

      // Another merchant's warehouse id alone in a request: named, nothing written.
      const foreign = await stockUpdates(factory.token, [
        { key: 'foreign-0', warehouseId: warehouses.zhejiang, skuId: erp.b, delta: 1 },
        { key: 'foreign-1', warehouseId: warehouses.farm, skuId: erp.b, delta: 1 },
      ]);
      expectError(foreign, 400, 'validation_failed', 'updates[1].warehouseId');
      expect(fields(foreign)).toEqual(['updates[1].warehouseId']);
      expect(await stockSnapshot()).toEqual(before);
    });

    it("keeps idempotency keys per merchant, and lets no merchant touch another one's stock", async () => {
      const warehouse = await api.post('/v1/warehouses', { code: 'ZJ', name: 'Elsewhere', province: '江苏省' }, outsider.token);
      expectStatus(warehouse, 201);
      const product = await api.post('/v1/products', { name: 'Elsewhere goods', skus: [{ code: 'ERP-A', name: 'Same code, other merchant' }] }, outsider.token);
      expectStatus(product, 201);
      // The factory's key and codes mean the outsider's own warehouse and SKU here.
      const response = await stockUpdates(outsider.token, [{ key: 'erp-0001', warehouseCode: 'ZJ', skuCode: 'ERP-A', onHand: 9 }]);
      expectStatus(response, 200);
      expect(response.body.results).toEqual([expect.objectContaining({ status: 'applied', warehouseId: warehouse.body.id, skuId: product.body.skus[0].id, onHand: 9 })]);
      expect(await books(network.warehouses.zhejiang, erp.a)).toEqual(expect.objectContaining({ onHand: 0 }));
      // The factory's ids are unknown to the outsider.
      const foreign = await stockUpdates(outsider.token, [{ key: 'x-1', warehouseId: network.warehouses.zhejiang, skuId: erp.a, onHand: 1000 }]);
      expectError(foreign, 400, 'validation_failed');
      expect(fields(foreign)).toEqual(['updates[0].skuId', 'updates[0].warehouseId']);
      expect(await books(network.warehouses.zhejiang, erp.a)).toEqual(expect.objectContaining({ onHand: 0, movements: 6 }));
    });
  });

  describe('concurrent updates', () => {
    it('applies each distinct key once when deltas with duplicate keys race: final = initial + the distinct deltas', async () => {
      const { factory, warehouses } = network;
      expectStatus(await stockUpdates(factory.token, [{ key: 'race-start', warehouseCode: 'ZJ', skuCode: 'ERP-C', onHand: 1000 }]), 200);
      const deltas = Array.from({ length: 20 }, (_, index) => ({ key: `race-${index}`, warehouseCode: 'ZJ', skuCode: 'ERP-C', delta: (index % 3 === 0 ? -1 : 1) * (index + 1) }));
      const requests = shuffle([...deltas, ...deltas], seeded(42));
      const responses = await Promise.all(requests.map((update) => stockUpdates(factory.token, [update])));
      expect(responses.filter((response) => response.status !== 200).map((response) => response.body)).toEqual([]);

      const outcomes = new Map<string, string[]>();
      responses.forEach((response) => {
        const [result] = response.body.results;
        outcomes.set(result.key, [...(outcomes.get(result.key) ?? []), result.status].sort());
      });
      expect([...outcomes.values()].filter((statuses) => statuses.join() !== 'applied,duplicate')).toEqual([]);
      expect(outcomes.size).toBe(20);

      const expected = 1000 + deltas.reduce((sum, update) => sum + update.delta, 0);
      expect(await books(warehouses.zhejiang, erp.c)).toEqual({ onHand: expected, reserved: 0, safetyStock: 0, movedOnHand: expected, movedReserved: 0, movements: 21 });
      const perKey = await query<{ reference: string; n: number; delta: number }>(
        `select reference, count(*)::int as n, sum(on_hand_delta)::int as delta from stock_movement where sku_id = $1 and reference like 'race-%' and reference <> 'race-start' group by 1`,
        [erp.c],
      );
      expect(perKey.sort((x, y) => x.reference.localeCompare(y.reference))).toEqual(
        deltas.map((update) => ({ reference: update.key, n: 1, delta: update.delta })).sort((x, y) => x.reference.localeCompare(y.reference)),
      );
    });

    it('serialises racing absolute sets and deltas with duplicate keys: the movements replay to the final level, every set holds at its turn', async () => {
      const { factory, warehouses } = network;
      const level = { warehouseCode: 'GD', skuCode: 'ERP-B' };
      expectStatus(await stockUpdates(factory.token, [{ key: 'mixed-start', ...level, onHand: 200 }]), 200);
      const startMovement = (await query<{ id: string }>(`select max(id)::text as id from stock_movement where warehouse_id = $1 and sku_id = $2`, [warehouses.guangdong, erp.b]))[0].id;
      const updates: Update[] = Array.from({ length: 20 }, (_, index) =>
        index % 4 === 0 ? { key: `mixed-set-${index}`, ...level, onHand: 150 + index } : { key: `mixed-delta-${index}`, ...level, delta: index % 2 ? index : -index },
      );
      const responses = await Promise.all(shuffle([...updates, ...updates], seeded(2026)).map((update) => stockUpdates(factory.token, [update])));
      expect(responses.filter((response) => response.status !== 200).map((response) => response.body)).toEqual([]);
      const appliedKeys = responses.filter((response) => response.body.results[0].status === 'applied').map((response) => response.body.results[0].key);
      expect(appliedKeys.sort()).toEqual(updates.map((update) => update.key!).sort());

      // Replaying the movements in the order they were written is a serial application of the distinct keys.
      const movements = await query<{ reference: string; delta: number }>(
        `select reference, on_hand_delta as delta from stock_movement where warehouse_id = $1 and sku_id = $2 and id > $3 order by id`,
        [warehouses.guangdong, erp.b, startMovement],
      );
      let running = 200;
      for (const movement of movements) {
        running += movement.delta;
        const update = updates.find((item) => item.key === movement.reference)!;
        if (update.onHand !== undefined) expect({ key: update.key, level: running }).toEqual({ key: update.key, level: update.onHand });
        else expect({ key: update.key, delta: movement.delta }).toEqual({ key: update.key, delta: update.delta });
      }
      const deltaKeys = updates.filter((update) => update.delta !== undefined).map((update) => update.key);
      expect(
        movements
          .filter((movement) => movement.reference.startsWith('mixed-delta-'))
          .map((movement) => movement.reference)
          .sort(),
      ).toEqual(deltaKeys.sort());
      expect(new Set(movements.map((movement) => movement.reference)).size).toBe(movements.length);
      const final = await books(warehouses.guangdong, erp.b);
      expect(final.onHand).toBe(running);
      expect(final.movedOnHand).toBe(final.onHand);
    });

    it('applies multi-update requests sharing keys in different orders without deadlock, each key once', async () => {
      const { factory, warehouses } = network;
      expectStatus(
        await stockUpdates(factory.token, [
          { key: 'multi-start-c', warehouseCode: 'GD', skuCode: 'ERP-C', onHand: 500 },
          { key: 'multi-start-d', warehouseCode: 'ZJ', skuCode: 'ERP-D', onHand: 500 },
        ]),
        200,
      );
      const levels = [
        { warehouseCode: 'GD', skuCode: 'ERP-C' },
        { warehouseCode: 'ZJ', skuCode: 'ERP-D' },
        // Not yet stocked: its level row is created by the racing requests themselves.
        { warehouseCode: 'GD', skuCode: 'ERP-D' },
      ];
      const pool = Array.from({ length: 12 }, (_, index) => ({ key: `multi-${index}`, ...levels[index % 3], delta: index + 1 }));
      const random = seeded(7);
      const requests = Array.from({ length: 30 }, () => shuffle(pool, random).slice(0, 4));
      const responses = await Promise.all(requests.map((updates) => stockUpdates(factory.token, updates)));
      expect(responses.filter((response) => response.status !== 200).map((response) => response.body)).toEqual([]);

      const applied = responses.flatMap((response) => response.body.results.filter((result: { status: string }) => result.status === 'applied').map((result: { key: string }) => result.key));
      const used = [...new Set(requests.flat().map((update) => update.key))].sort();
      expect([...applied].sort()).toEqual(used);
      const sumFor = (level: (typeof levels)[number]) =>
        pool.filter((update) => used.includes(update.key) && update.warehouseCode === level.warehouseCode && update.skuCode === level.skuCode).reduce((sum, update) => sum + update.delta, 0);
      const gdC = await books(warehouses.guangdong, erp.c);
      const zjD = await books(warehouses.zhejiang, erp.d);
      const gdD = await books(warehouses.guangdong, erp.d);
      expect([gdC.onHand, zjD.onHand, gdD.onHand]).toEqual([500 + sumFor(levels[0]), 500 + sumFor(levels[1]), sumFor(levels[2])]);
      for (const level of [gdC, zjD, gdD]) expect(level.movedOnHand).toBe(level.onHand);
    });

    it('keeps every reservation when absolute sets race routed orders', async () => {
      const { factory, warehouses, skus } = network;
      // Mugs ship from Zhejiang only in this story.
      expectStatus(
        await stockUpdates(factory.token, [
          { key: 'mug-gd-empty', warehouseCode: 'GD', skuCode: 'MUG-350', onHand: 0, reason: 'stock_count' },
          { key: 'mug-zj-50', warehouseCode: 'ZJ', skuCode: 'MUG-350', onHand: 50, reason: 'stock_count' },
        ]),
        200,
      );
      const before = await books(warehouses.zhejiang, skus.mug);
      expect(before).toEqual(expect.objectContaining({ onHand: 50, reserved: 0 }));

      const orders = Array.from({ length: 10 }, () => shopOrder([{ code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug }], { province: '浙江省' }));
      const sets = Array.from({ length: 6 }, (_, index) => ({ key: `mug-count-${index}`, warehouseCode: 'ZJ', skuCode: 'MUG-350', onHand: 80, reason: 'stock_count' as const }));
      const [receipts, setResponses] = await Promise.all([
        Promise.all(orders.map((order, index) => push(order, index % 2 ? network.shop2 : network.shop))),
        Promise.all(
          sets.map(async (set, index) => {
            await new Promise((resolve) => setTimeout(resolve, index * 15));
            return stockUpdates(factory.token, [set]);
          }),
        ),
      ]);
      expect(receipts.map((receipt) => receipt.status)).toEqual(Array(10).fill(202));
      expect(setResponses.map((response) => response.status)).toEqual(Array(6).fill(200));
      const outcomes = await settledOrders(
        receipts.map((receipt) => String(receipt.body.id)),
        20_000,
      );
      expect(outcomes).toEqual([{ status: 'routed', exception_code: null, n: 10 }]);

      expect(await books(warehouses.zhejiang, skus.mug)).toEqual({
        onHand: 80,
        reserved: 20,
        safetyStock: 0,
        movedOnHand: 80,
        movedReserved: 20,
        movements: before.movements + 10 + 1,
      });

      // Counted again after the orders: reserved units stay reserved; available is what is left.
      const recount = await stockUpdates(factory.token, [{ key: 'mug-recount', warehouseCode: 'ZJ', skuCode: 'MUG-350', onHand: 30, reason: 'stock_count' }]);
      expectStatus(recount, 200);
      expect(recount.body.results).toEqual([expect.objectContaining({ onHand: 30, reserved: 20, safetyStock: 0, available: 10 })]);
      const level = await api.get(`/v1/stock-levels?warehouseId=${warehouses.zhejiang}&skuId=${skus.mug}`, factory.token);
      expect(level.body.data).toEqual([expect.objectContaining({ onHand: 30, reserved: 20, available: 10 })]);
      expect(await books(warehouses.zhejiang, skus.mug)).toEqual(expect.objectContaining({ onHand: 30, reserved: 20, movedOnHand: 30, movedReserved: 20 }));
      await expectListings(both('MUG', 10), 'the mug listings to show what is left');
    });
  });

  describe('a burst of orders for the last units', () => {
    it('routes exactly 100 of 500 concurrent orders for 100 units and holds 400 as stock exceptions', async () => {
      const { farm, warehouses, skus } = network;
      expectStatus(await stockUpdates(farm.token, [{ key: 'honey-100', warehouseCode: 'FARM', skuCode: 'HONEY-500', onHand: 100, reason: 'stock_count' }]), 200);
      await expectListings(both('HONEY', 100), 'the honey listings to show 100');

      const started = Date.now();
      const receipts = await Promise.all(
        Array.from({ length: 500 }, (_, index) => push(shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney }]), index % 2 ? network.shop2 : network.shop)),
      );
      expect(receipts.filter((receipt) => receipt.status !== 202).map((receipt) => receipt.body)).toEqual([]);
      const orderIds = receipts.map((receipt) => String(receipt.body.id));
      const outcomes = await settledOrders(orderIds, 30_000);
      figures.push(`500 concurrent orders for 100 units: all routed or held ${Date.now() - started} ms after the first push`);
      expect(outcomes).toEqual([
        { status: 'exception', exception_code: 'stock_insufficient', n: 400 },
        { status: 'routed', exception_code: null, n: 100 },
      ]);

      expect(await books(warehouses.farm, skus.honey)).toEqual(expect.objectContaining({ onHand: 100, reserved: 100, safetyStock: 0, movedOnHand: 100, movedReserved: 100 }));
      const stock = await api.get(`/v1/stock-levels?warehouseId=${warehouses.farm}&skuId=${skus.honey}`, farm.token);
      expect(stock.body.data).toEqual([expect.objectContaining({ onHand: 100, reserved: 100, available: 0 })]);
      const reservations = await query(
        `select o.status, count(m.id)::int as movements, coalesce(sum(m.reserved_delta), 0)::int as reserved
           from channel_order o left join stock_movement m on m.reference = 'channel_order:' || o.id
          where o.id = any($1::bigint[]) group by 1 order by 1`,
        [orderIds],
      );
      expect(reservations).toEqual([
        { status: 'exception', movements: 0, reserved: 0 },
        { status: 'routed', movements: 100, reserved: 100 },
      ]);
      const [heldRow] = await query<{ id: string }>(`select id::text from channel_order where id = any($1::bigint[]) and status = 'exception' limit 1`, [orderIds]);
      const held = await api.get(`/v1/channel-orders/${heldRow.id}`, network.distributor.token);
      expect(held.body).toEqual(expect.objectContaining({ status: 'exception', exceptionCode: 'stock_insufficient' }));

      // Sold out everywhere it is listed, and back when the farm restocks.
      const soldOut = await expectListings(both('HONEY', 0), 'the honey listings to sell out');
      expect(soldOut.map((row) => row.soldOut)).toEqual([true, true]);
      expectStatus(await stockUpdates(farm.token, [{ key: 'honey-restock-5', warehouseCode: 'FARM', skuCode: 'HONEY-500', delta: 5 }]), 200);
      const back = await expectListings(both('HONEY', 5), 'the honey listings to come back');
      expect(back.map((row) => row.soldOut)).toEqual([false, false]);
    });
  });

  describe('allocation caps along the chain factory → broker → distributor', () => {
    let factoryCapId: string;
    let brokerCapId: string;

    it("shows the distributor the minimum along its chain after every hop's cap", async () => {
      const { factory, broker, distributor, skus } = network;
      expectStatus(
        await stockUpdates(factory.token, [
          { key: 'tshirt-zj-100', warehouseCode: 'ZJ', skuCode: 'TSHIRT-M', onHand: 100, reason: 'stock_count' },
          { key: 'tshirt-gd-0', warehouseCode: 'GD', skuCode: 'TSHIRT-M', onHand: 0, reason: 'stock_count' },
        ]),
        200,
      );
      await expectListings({ ...both('TSHIRT', 100), ...both('MUG', 10) }, 'the T-shirt listings to show 100');

      const factoryCap = await api.put('/v1/allocation-caps', { buyerMerchantId: broker.merchantId, skuId: skus.tshirt, fixed: 40 }, factory.token);
      expectStatus(factoryCap, 200);
      expect(factoryCap.body).toEqual({ id: expect.any(String), buyerMerchantId: broker.merchantId, skuId: skus.tshirt, kind: 'fixed', value: 40, updatedAt: expect.any(String) });
      factoryCapId = factoryCap.body.id;
      await expectListings(both('TSHIRT', 40), 'the factory cap to reach the distributor');

      const brokerCap = await api.put('/v1/allocation-caps', { buyerMerchantId: distributor.merchantId, skuId: skus.tshirt, percent: 50 }, broker.token);
      expectStatus(brokerCap, 200);
      expect(brokerCap.body).toEqual(expect.objectContaining({ buyerMerchantId: distributor.merchantId, skuId: skus.tshirt, kind: 'percent', value: 50 }));
      brokerCapId = brokerCap.body.id;
      // min(100, 40) = 40 reaches the broker; 50 % of it reaches the distributor. Mugs are not capped.
      const rows = await expectListings({ ...both('TSHIRT', 20), ...both('MUG', 10) }, 'both caps to reach the distributor');
      expect(rows.filter((row) => key(row).endsWith(':TSHIRT')).map((row) => row.soldOut)).toEqual([false, false]);

      // Setting a cap again replaces it (one cap per partner and SKU).
      const same = await api.put('/v1/allocation-caps', { buyerMerchantId: broker.merchantId, skuId: skus.tshirt, fixed: 40 }, factory.token);
      expect(same.body.id).toBe(factoryCapId);
      expect((await api.get('/v1/allocation-caps', factory.token)).body.data).toEqual([expect.objectContaining({ id: factoryCapId, kind: 'fixed', value: 40 })]);
      expect((await api.get('/v1/allocation-caps', broker.token)).body.data).toEqual([expect.objectContaining({ id: brokerCapId, kind: 'percent', value: 50 })]);
      expect((await api.get('/v1/allocation-caps', distributor.token)).body.data).toEqual([]);
    });

    it('holds an order above the capped chain as allocation_exceeded and routes one within it', async () => {
      const { warehouses, skus, distributor } = network;
      const over = await push(shopOrder([{ code: 'TSHIRT', quantity: 25, unitPrice: PRICES.retailTshirt }], { province: '浙江省' }));
      expectStatus(over, 202);
      expect(await settledOrders([String(over.body.id)], 15_000)).toEqual([{ status: 'exception', exception_code: 'allocation_exceeded', n: 1 }]);
      const held = await api.get(`/v1/channel-orders/${over.body.id}`, distributor.token);
      expect(held.body).toEqual(expect.objectContaining({ status: 'exception', exceptionCode: 'allocation_exceeded', exceptionReason: expect.stringContaining('allows 20') }));
      expect(await books(warehouses.zhejiang, skus.tshirt)).toEqual(expect.objectContaining({ onHand: 100, reserved: 0 }));

      const within = await push(shopOrder([{ code: 'TSHIRT', quantity: 20, unitPrice: PRICES.retailTshirt }], { province: '浙江省' }), network.shop2);
      expectStatus(within, 202);
      expect(await settledOrders([String(within.body.id)], 15_000)).toEqual([{ status: 'routed', exception_code: null, n: 1 }]);
      expect(await books(warehouses.zhejiang, skus.tshirt)).toEqual(expect.objectContaining({ onHand: 100, reserved: 20, movedOnHand: 100, movedReserved: 20 }));
      // 80 left at the origin: min(80, 40) = 40 for the broker, 50 % for the distributor.
      await expectListings(both('TSHIRT', 20), 'the T-shirt listings after the order');
    });

    it("lets only the cap's owner remove it; without the broker's cap the distributor sees the factory's", async () => {
      const { factory, broker, distributor } = network;
      expectError(await api.delete(`/v1/allocation-caps/${brokerCapId}`, distributor.token), 404, 'allocation_cap_not_found');
      expectError(await api.delete(`/v1/allocation-caps/${brokerCapId}`, factory.token), 404, 'allocation_cap_not_found');
      expectError(await api.delete(`/v1/allocation-caps/${factoryCapId}`, broker.token), 404, 'allocation_cap_not_found');
      expectError(await api.delete(`/v1/allocation-caps/not-an-id`, broker.token), 404, 'allocation_cap_not_found');
      expect((await api.get('/v1/allocation-caps', broker.token)).body.data).toEqual([expect.objectContaining({ id: brokerCapId })]);

      const removed = await api.delete(`/v1/allocation-caps/${brokerCapId}`, broker.token);
      expectStatus(removed, 204);
      expect((await api.get('/v1/allocation-caps', broker.token)).body.data).toEqual([]);
      expectError(await api.delete(`/v1/allocation-caps/${brokerCapId}`, broker.token), 404, 'allocation_cap_not_found');
      await expectListings(both('TSHIRT', 40), 'the T-shirt listings without the broker cap');
    });

    it('shows 0 and sold out when the broker withdraws its offer', async () => {
      const { broker, offers } = network;
      expectStatus(await api.post(`/v1/offers/${offers.brokerTshirt}/withdraw`, {}, broker.token), 200);
      const rows = await expectListings({ ...both('TSHIRT', 0), ...both('MUG', 10) }, 'the withdrawn offer to reach the listings');
      expect(rows.filter((row) => key(row).endsWith(':TSHIRT')).map((row) => row.soldOut)).toEqual([true, true]);
      expect(rows.filter((row) => key(row).endsWith(':MUG')).map((row) => row.soldOut)).toEqual([false, false]);
    });
  });

  describe('availability for shops and distributors to pull', () => {
    it('walks every listing with cursor pagination and shows another merchant none of it', async () => {
      const { distributor, factory } = network;
      await availabilitySettled();
      const all = await availability(distributor.token);
      expect(all.map((row) => row.listingId)).toEqual([...listings.values()].sort((x, y) => Number(BigInt(x) - BigInt(y))));
      expect(all.every((row) => /^\d+$/.test(row.version) && !Number.isNaN(Date.parse(row.updatedAt)))).toBe(true);

      const walked: ListingAvailability[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: HttpResult = await api.get(`/v1/listing-availability?limit=1${cursor ? `&cursor=${cursor}` : ''}`, distributor.token);
        expectStatus(page, 200);
        expect(page.body.data).toHaveLength(1);
        walked.push(...page.body.data);
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(pages).toBe(6);
      expect(walked).toEqual(all);

      const shop2 = await availability(distributor.token, `&shopId=${network.shop2.id}`);
      expect(shop2.map((row) => row.listingId).sort()).toEqual(['shop2:TSHIRT', 'shop2:MUG', 'shop2:HONEY'].map((name) => listings.get(name)!).sort());

      // Other merchants see none of the distributor's listings, not even by naming its shop.
      expect(await availability(factory.token)).toEqual([]);
      expect(await availability(outsider.token)).toEqual([]);
      expect(await availability(outsider.token, `&shopId=${network.shop.id}`)).toEqual([]);

      expectError(await api.get('/v1/listing-availability?cursor=!!', distributor.token), 400, 'validation_failed', 'cursor');
      expectError(await api.get('/v1/listing-availability?limit=0', distributor.token), 400, 'validation_failed', 'limit');
      expectError(await api.get('/v1/listing-availability?updatedSince=yesterday', distributor.token), 400, 'validation_failed', 'updatedSince');
    });

    it('returns only what changed since a moment with updatedSince, each change with a higher version', async () => {
      const { distributor, factory } = network;
      await availabilitySettled();
      const before = await availability(distributor.token);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const since = new Date().toISOString();
      expect(await availability(distributor.token, `&updatedSince=${encodeURIComponent(since)}`)).toEqual([]);

      expectStatus(await stockUpdates(factory.token, [{ key: 'mug-more', warehouseCode: 'ZJ', skuCode: 'MUG-350', delta: 5 }]), 200);
      await expectListings(both('MUG', 15), 'the mug listings to show the new stock');
      const changed = await availability(distributor.token, `&updatedSince=${encodeURIComponent(since)}`);
      expect(changed.map((row) => key(row)).sort()).toEqual(['shop2:MUG', 'shop:MUG']);
      for (const row of changed) {
        const old = before.find((item) => item.listingId === row.listingId)!;
        expect(BigInt(row.version)).toBeGreaterThan(BigInt(old.version));
        expect(Date.parse(row.updatedAt)).toBeGreaterThanOrEqual(Date.parse(since));
      }
      const future = new Date(Date.now() + 60_000).toISOString();
      expect(await availability(distributor.token, `&updatedSince=${encodeURIComponent(future)}`)).toEqual([]);

      // A recompute that lands on the same figures stores nothing: no new version, nothing changed since.
      const stored = await availability(distributor.token);
      const quiet = new Date().toISOString();
      const upAndDown = [
        { key: 'mug-up', warehouseCode: 'ZJ', skuCode: 'MUG-350', delta: 3 },
        { key: 'mug-down', warehouseCode: 'ZJ', skuCode: 'MUG-350', delta: -3 },
      ];
      expectStatus(await stockUpdates(factory.token, upAndDown), 200);
      await availabilitySettled();
      expect(await availability(distributor.token, `&updatedSince=${encodeURIComponent(quiet)}`)).toEqual([]);
      expect(await availability(distributor.token)).toEqual(stored);
    });

    it('shows 0 for a suspended partnership and a paused listing, and the stock again when they resume', async () => {
      const { farm, distributor } = network;
      const partnerships = await api.get('/v1/partnerships?side=downstream&limit=50', farm.token);
      const partnershipId = partnerships.body.data.find((item: { downstream: { merchantId: string } }) => item.downstream.merchantId === distributor.merchantId).id;

      expectStatus(await api.post(`/v1/partnerships/${partnershipId}/suspend`, {}, farm.token), 200);
      await expectListings(both('HONEY', 0), 'the suspended partnership to reach the listings');
      expectStatus(await api.post(`/v1/partnerships/${partnershipId}/resume`, {}, farm.token), 200);
      await expectListings(both('HONEY', 5), 'the resumed partnership to reach the listings');

      expectStatus(await api.patch(`/v1/listings/${listings.get('shop2:HONEY')}`, { status: 'paused' }, distributor.token), 200);
      await expectListings({ 'shop:HONEY': 5, 'shop2:HONEY': 0 }, 'the paused listing to show 0');
      expectStatus(await api.patch(`/v1/listings/${listings.get('shop2:HONEY')}`, { status: 'active' }, distributor.token), 200);
      await expectListings(both('HONEY', 5), 'the listing to come back');
    });
  });

  describe('allocation caps: who may set them and what they accept', () => {
    it('caps every SKU a supplier offers a partner when no SKU is named', async () => {
      const { farm, distributor } = network;
      const cap = await api.put('/v1/allocation-caps', { buyerMerchantId: distributor.merchantId, fixed: 3 }, farm.token);
      expectStatus(cap, 200);
      expect(cap.body).toEqual(expect.objectContaining({ buyerMerchantId: distributor.merchantId, skuId: null, kind: 'fixed', value: 3 }));
      await expectListings(both('HONEY', 3), 'the farm-wide cap to reach the listings');
      expectStatus(await api.delete(`/v1/allocation-caps/${cap.body.id}`, farm.token), 204);
      await expectListings(both('HONEY', 5), 'the listings without the farm-wide cap');
    });

    it('refuses caps for merchants that are not active downstream partners, on SKUs the seller cannot sell, and with both or neither limit', async () => {
      const { factory, broker, distributor, farm, skus } = network;
      const before = await query(`select * from allocation_cap order by id`);
      // The factory supplies the broker, not the distributor; nobody caps itself or its supplier.
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: distributor.merchantId, fixed: 5 }, factory.token), 400, 'not_an_active_partner', 'buyerMerchantId');
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: outsider.merchantId, fixed: 5 }, factory.token), 400, 'not_an_active_partner', 'buyerMerchantId');
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: factory.merchantId, fixed: 5 }, factory.token), 400, 'not_an_active_partner', 'buyerMerchantId');
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: factory.merchantId, fixed: 5 }, broker.token), 400, 'not_an_active_partner', 'buyerMerchantId');
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: '999999999', fixed: 5 }, factory.token), 400, 'not_an_active_partner', 'buyerMerchantId');
      // The farm's honey is neither the factory's nor offered to it.
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: broker.merchantId, skuId: skus.honey, fixed: 5 }, factory.token), 404, 'sku_not_found', 'skuId');
      const bothLimits = await api.put('/v1/allocation-caps', { buyerMerchantId: broker.merchantId, fixed: 5, percent: 50 }, factory.token);
      expectError(bothLimits, 400, 'validation_failed');
      expect(fields(bothLimits).length).toBeGreaterThan(0);
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: broker.merchantId }, factory.token), 400, 'validation_failed');
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: broker.merchantId, percent: 101 }, factory.token), 400, 'validation_failed', 'percent');
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: broker.merchantId, fixed: -1 }, factory.token), 400, 'validation_failed', 'fixed');
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: broker.merchantId, fixed: 1.5 }, factory.token), 400, 'validation_failed', 'fixed');
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: 'broker', fixed: 5 }, factory.token), 400, 'validation_failed', 'buyerMerchantId');
      expect(await query(`select * from allocation_cap order by id`)).toEqual(before);

      // A broker may cap its partner on goods it buys; a farm on its own goods only.
      const brokerMugCap = await api.put('/v1/allocation-caps', { buyerMerchantId: distributor.merchantId, skuId: skus.mug, percent: 100 }, broker.token);
      expectStatus(brokerMugCap, 200);
      expectError(await api.put('/v1/allocation-caps', { buyerMerchantId: distributor.merchantId, skuId: skus.mug, fixed: 1 }, farm.token), 404, 'sku_not_found', 'skuId');
      expectStatus(await api.delete(`/v1/allocation-caps/${brokerMugCap.body.id}`, broker.token), 204);
    });
  });

  describe('shipping after a recount', () => {
    it('ships a reserved order even after a recount below what is reserved: on hand stops at 0, movements still sum', async () => {
      const { factory, warehouses, skus } = network;
      expectStatus(await stockUpdates(factory.token, [{ key: 'mug-recount-low', warehouseCode: 'ZJ', skuCode: 'MUG-350', onHand: 1, reason: 'stock_count' }]), 200);
      const inbox = await api.get(`/v1/fulfillment-orders?warehouseId=${warehouses.zhejiang}&status=new&limit=200`, factory.token);
      const mugOrder = inbox.body.data.find((order: any) => order.lines.length === 1 && order.lines[0].skuCode === 'MUG-350' && order.lines[0].quantity === 2);
      expect(mugOrder).toBeDefined();
      const shipment = await api.post(`/v1/fulfillment-orders/${mugOrder.id}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF300000000002' }, factory.token);
      expectStatus(shipment, 201);
      expect(await books(warehouses.zhejiang, skus.mug)).toEqual(expect.objectContaining({ onHand: 0, reserved: 18, movedOnHand: 0, movedReserved: 18 }));
    });
  });
});
