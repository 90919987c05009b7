import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { call, clearQueues, freshDatabase, OUT, percentile, startService, stopService, waitFor, runBench, writeBenchResults, serviceEnvironment } from './bench-support';

/**
 * Stock fan-out and bulk stock updates, each beside a baseline measured in the same run on the same
 * machine (machines are shared and noisy: read the ratios).
 *
 * 1. One SKU feeds LISTINGS listings across SHOPS shops: time from a stock update (HTTP) until every
 *    listing's availability is recomputed and the event for every shop is enqueued. Baseline: a bare
 *    `pg` client doing the same writes (update every listing row, insert one outbox row per shop) in
 *    one transaction.
 * 2. Bulk ERP pushes: POST /v1/stock-updates with BULK_SIZE updates per request, once the levels
 *    exist. Baseline: a bare `pg` client upserting the same number of stock levels in one statement.
 *    Beside it, the product's own statements by a bare client: what idempotency keys and movements
 *    cost in SQL alone, the ceiling of the product's ratio.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const LISTINGS = Number(process.env.BENCH_LISTINGS ?? (QUICK ? 2000 : 10_000));
const SHOPS = Number(process.env.BENCH_SHOPS ?? (QUICK ? 20 : 100));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 5 : 20));
const BULK_SIZE = Number(process.env.BENCH_BULK_SIZE ?? (QUICK ? 1000 : 5000));
const BULK_REQUESTS = Number(process.env.BENCH_BULK_REQUESTS ?? (QUICK ? 2 : 5));
const PORT = Number(process.env.BENCH_PORT ?? 3927);
const PREFIX = 'gx-bench';

const log = (message: string) => console.log(`[bench] ${message}`);

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  mkdirSync(OUT, { recursive: true });
  log(`fresh database gongxiao_bench; ${LISTINGS} listings across ${SHOPS} shops, ${ROUNDS} rounds; bulk ${BULK_REQUESTS} × ${BULK_SIZE}`);
  const url = await freshDatabase(base, 'gongxiao_bench');
  await clearQueues(redisUrl, PREFIX);
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/stock`;

  const env = serviceEnvironment({ databaseUrl: url, redisUrl, queuePrefix: PREFIX, port: PORT }, { OUTBOX_POLL_MS: '50', OUTGOING_ALLOW_HOSTS: '127.0.0.1' });
  const services = [startService('api', env, OUT), startService('worker', env, OUT)];
  const db = new Client({ connectionString: url });
  const api = `http://127.0.0.1:${PORT}`;
  try {
    await waitFor('the api', async () => (await fetch(`${api}/health`)).status === 200, 60_000);
    await db.connect();

    // The network: a factory offers one SKU to a distributor with SHOPS shops (callback URLs set).
    const signUp = (name: string) =>
      call(api, 'POST', '/v1/auth/sign-up', undefined, { merchantName: name, ownerName: 'Bench', email: `${name.toLowerCase()}@bench.example`, password: 'bench password 1' });
    const factory = await signUp('Factory');
    const distributor = await signUp('Distributor');
    await call(api, 'POST', '/v1/partnerships', factory.token, { downstreamMerchantId: distributor.merchant.id });
    const invitation = (await call(api, 'GET', '/v1/partnerships?side=upstream&status=invited', distributor.token)).data[0];
    await call(api, 'POST', `/v1/partnerships/${invitation.id}/accept`, distributor.token);
    const product = await call(api, 'POST', '/v1/products', factory.token, { name: 'Hot seller', skus: [{ code: 'HOT-1', name: 'Hot seller' }] });
    const skuId = product.skus[0].id;
    const warehouse = await call(api, 'POST', '/v1/warehouses', factory.token, { code: 'WH', name: 'Main', province: '浙江省' });
    const offer = await call(api, 'POST', '/v1/offers', factory.token, { skuId, price: { amount: 1000, currency: 'CNY' } });
    for (let index = 0; index < SHOPS; index++) {
      await call(api, 'POST', '/v1/shops', distributor.token, { platform: 'youzan', name: `Shop ${index}`, callbackUrl: sinkUrl });
    }
    // Listings are fixtures written in one statement (creating 10,000 through the API is not what is measured).
    await db.query(
      `insert into listing (merchant_id, shop_id, shop_sku_code, offer_id, retail_price_amount, currency)
       select $1, s.id, 'L-' || g, $2, 1990, 'CNY'
         from generate_series(0, $3 - 1) g join (select id, row_number() over (order by id) - 1 as n from shop) s on s.n = g % $4`,
      [distributor.merchant.id, offer.id, LISTINGS, SHOPS],
    );
    const listingCount = (await db.query(`select count(*)::int as n from listing`)).rows[0].n;
    log(`network ready: ${listingCount} listings`);

    // 1. Fan-out: stock update → every listing recomputed and every shop's event enqueued.
    const fanout: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const onHand = 5000 + round;
      // The round's shop events are the outbox rows after this id: read by the primary key's tail, not by scanning the outbox.
      const outboxBefore = (await db.query(`select coalesce(max(id), 0)::text as id from outbox_event`)).rows[0].id;
      const started = Date.now();
      await call(api, 'POST', '/v1/stock-updates', factory.token, { updates: [{ key: `round-${round}`, warehouseId: warehouse.id, skuId, onHand }] });
      await waitFor(
        'the fan-out',
        // The shop events, read along the outbox's key, are polled; the listings (a count of 10,000 rows, which
        // every 5 ms would take a core from the product) are counted once they are there.
        async () => {
          const shops = await db.query(`select count(distinct aggregate_id)::int as n from outbox_event where id > $1::bigint and type = 'shop_stock.stale'`, [outboxBefore]);
          if (shops.rows[0].n !== SHOPS) return false;
          const listings = await db.query(`select count(*)::int as n from listing_availability where available = $1`, [onHand]);
          return listings.rows[0].n === LISTINGS;
        },
        60_000,
        5,
      );
      if (round > 0) fanout.push(Date.now() - started); // round 0 warms up (first computation)
    }

    // Let the shop syncs of the last round finish before the baseline writes the same rows.
    await waitFor('the worker to settle', async () => (await db.query(`select count(*)::int as n from outbox_event where processed_at is null and failed_at is null`)).rows[0].n === 0, 60_000, 50);
    const baseline: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const started = process.hrtime.bigint();
      await db.query('begin');
      await db.query(`update listing_availability set available = available + 1, version = version + 1, updated_at = clock_timestamp()`);
      await db.query(`insert into outbox_event (type, merchant_id, aggregate_id, payload) select 'bench.baseline', $1, 'shop:' || id, '{}'::jsonb from shop`, [distributor.merchant.id]);
      await db.query('commit');
      baseline.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    await db.query(`delete from outbox_event where type = 'bench.baseline'`);

    // 2. Bulk ERP pushes through the API, and the same upserts with a bare pg client.
    await db.query(`insert into sku (merchant_id, product_id, code, name) select $1, $2, 'BULK-' || g, 'Bulk ' || g from generate_series(1, $3) g`, [factory.merchant.id, product.id, BULK_SIZE]);
    const skuIds: string[] = (await db.query(`select id::text from sku where code like 'BULK-%' order by code`)).rows.map((row) => row.id);
    // The first push creates the levels (an ERP's first sync) and is not timed; the rest set them,
    // interleaved round by round with both baselines so a noisy neighbour slows all three alike.
    const first = Array.from({ length: BULK_SIZE }, (_, index) => ({ key: `bulk-first-${index}`, warehouseCode: 'WH', skuCode: `BULK-${index + 1}`, onHand: 99 }));
    await call(api, 'POST', '/v1/stock-updates', factory.token, { updates: first });
    const bulkSeconds: number[] = [];
    const rawSeconds: number[] = [];
    const floorSeconds: number[] = [];
    for (let request = 0; request < BULK_REQUESTS; request++) {
      const updates = Array.from({ length: BULK_SIZE }, (_, index) => ({ key: `bulk-${request}-${index}`, warehouseCode: 'WH', skuCode: `BULK-${index + 1}`, onHand: 100 + request }));
      const started = Date.now();
      await call(api, 'POST', '/v1/stock-updates', factory.token, { updates });
      bulkSeconds.push((Date.now() - started) / 1000);
      rawSeconds.push(await timed(() => rawUpserts(db, warehouse.id, skuIds, factory.merchant.id, 200 + request)));
      floorSeconds.push(await timed(() => productStatements(db, warehouse.id, skuIds, factory.merchant.id, request)));
    }

    const results = {
      machine: { cores: (await import('node:os')).cpus().length },
      fanout: {
        listings: LISTINGS,
        shops: SHOPS,
        rounds: ROUNDS,
        p50Ms: percentile(fanout, 50),
        p99Ms: percentile(fanout, 99),
        baselineP50Ms: percentile(baseline, 50),
        baselineP99Ms: percentile(baseline, 99),
        goalP99Ms: 1000,
      },
      bulk: {
        updatesPerRequest: BULK_SIZE,
        requests: BULK_REQUESTS,
        updatesPerSecond: Math.round((BULK_SIZE * BULK_REQUESTS) / bulkSeconds.reduce((a, b) => a + b, 0)),
        baselineUpdatesPerSecond: Math.round((BULK_SIZE * BULK_REQUESTS) / rawSeconds.reduce((a, b) => a + b, 0)),
        sqlFloorUpdatesPerSecond: Math.round((BULK_SIZE * BULK_REQUESTS) / floorSeconds.reduce((a, b) => a + b, 0)),
      },
    };
    const table = [
      '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
      '|---|---|---|---|',
      `| stock update → ${LISTINGS} listings recomputed + ${SHOPS} shop events enqueued, p50 | ${results.fanout.p50Ms.toFixed(0)} ms | ${results.fanout.baselineP50Ms.toFixed(0)} ms | ${(results.fanout.p50Ms / results.fanout.baselineP50Ms).toFixed(1)}× |`,
      `| same, p99 (goal < 1000 ms) | ${results.fanout.p99Ms.toFixed(0)} ms | ${results.fanout.baselineP99Ms.toFixed(0)} ms | ${(results.fanout.p99Ms / results.fanout.baselineP99Ms).toFixed(1)}× |`,
      `| bulk ERP stock updates (${BULK_SIZE} per request) | ${results.bulk.updatesPerSecond} updates/s | ${results.bulk.baselineUpdatesPerSecond} upserts/s | ${(results.bulk.updatesPerSecond / results.bulk.baselineUpdatesPerSecond).toFixed(2)}× |`,
      `| same, the product's own statements by a bare pg client (claims, lock, levels, movements) | ${results.bulk.sqlFloorUpdatesPerSecond} updates/s | ${results.bulk.baselineUpdatesPerSecond} upserts/s | ${(results.bulk.sqlFloorUpdatesPerSecond / results.bulk.baselineUpdatesPerSecond).toFixed(2)}× (its ceiling) |`,
    ].join('\n');
    writeBenchResults('stock-fanout', results, table);
    log(`written to ${resolve(OUT, 'stock-fanout.json')} and stock-fanout.md`);
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(services.map(stopService));
    sink.close();
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** The baseline: the same levels set by one bare upsert. */
async function rawUpserts(db: Client, warehouseId: string, skuIds: string[], merchantId: string, onHand: number): Promise<void> {
  await db.query(
    `insert into stock_level (warehouse_id, sku_id, merchant_id, on_hand) select $1, unnest($2::bigint[]), $3, $4
     on conflict (warehouse_id, sku_id) do update set on_hand = excluded.on_hand, updated_at = now()`,
    [warehouseId, skuIds, merchantId, onHand],
  );
}

/**
 * What the product's bulk update must write, by a bare client: the keys claimed, the levels locked
 * and set, a movement each. It measures the SQL's own cost, the ceiling of the product's ratio.
 */
async function productStatements(db: Client, warehouseId: string, skuIds: string[], merchantId: string, request: number): Promise<void> {
  const keys = skuIds.map((_, index) => `floor-${request}-${index}`);
  const onHand = 300 + request;
  await db.query('begin');
  await db.query(`insert into stock_update_request (merchant_id, idempotency_key, request_hash) select $1, k, md5(k) from unnest($2::text[]) as r(k) order by k`, [merchantId, keys]);
  await db.query(`select s.on_hand from stock_level s join unnest($2::bigint[]) as r(k) on s.warehouse_id = $1 and s.sku_id = r.k order by s.sku_id for update of s`, [warehouseId, skuIds]);
  await db.query(`update stock_level s set on_hand = $3, updated_at = now() from unnest($2::bigint[]) as r(k) where s.warehouse_id = $1 and s.sku_id = r.k`, [warehouseId, skuIds, onHand]);
  await db.query(
    `insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference) select $1, $2, k, 1, 0, 'erp_sync', key from unnest($3::bigint[], $4::text[]) as r(k, key)`,
    [merchantId, warehouseId, skuIds, keys],
  );
  await db.query('commit');
}

runBench(main);
