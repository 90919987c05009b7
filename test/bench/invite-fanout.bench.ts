import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { encryptField } from '@gongxiao/core';
import { call, clearQueues, freshDatabase, OUT, percentile, startService, stopService, waitFor, runBench, writeBenchResults, serviceEnvironment } from './bench-support';

/**
 * One supplier, RESELLERS micro-resellers who all join it through one invite code, each listing all
 * OFFERS of its offers in its own shop.
 *
 * 1. Joins: RESELLERS sign-ups through `POST /v1/partner-invites/:code/join` over HTTP, CONCURRENCY at
 *    a time (each one a merchant, its owner, a session and an active partnership, in one transaction,
 *    password hash included): joins/s and per-join latency.
 * 2. Shops through the api (one per reseller); the RESELLERS × OFFERS listings are fixtures written in
 *    one statement (creating 200,000 listings through the api is not what is measured).
 * 3. Stock fan-out for that supplier: a stock update of one SKU → the RESELLERS listings of its offer
 *    recomputed and RESELLERS shop events enqueued, p50/p99 over ROUNDS, measured as
 *    stock-fanout.bench.ts measures its 10,000 listings of one distributor (run it in the same
 *    `npm run bench` for the figure beside it).
 */
const QUICK = process.env.BENCH_QUICK === '1';
const RESELLERS = Number(process.env.BENCH_RESELLERS ?? (QUICK ? 500 : 10_000));
const OFFERS = Number(process.env.BENCH_OFFERS ?? 20);
/**
 * How many of them join over HTTP; the rest are seeded set-based (merchant, active partnership, a use
 * of the code), because joins are bound by the password hash (~80 ms of CPU each here): 10,000 of them
 * take ~20 minutes on 2 cores, and the fan-out does not care how a partner joined.
 */
const HTTP_JOINS = Math.min(Number(process.env.BENCH_HTTP_JOINS ?? RESELLERS), RESELLERS);
/** Plain sign-ups measured the same way right after the joins: the baseline a join is compared with. */
const SIGN_UPS = Math.min(HTTP_JOINS, Number(process.env.BENCH_SIGN_UPS ?? 200));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 5 : 10));
const PORT = Number(process.env.BENCH_PORT ?? 3928);
const PREFIX = 'gx-bench-invites';

const log = (message: string) => console.log(`[bench] ${message}`);

/** Runs `work(index)` for every index below `count`, `concurrency` at a time; returns each one's milliseconds. */
async function inParallel(count: number, concurrency: number, work: (index: number) => Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  let next = 0;
  const lane = async () => {
    for (let index = next++; index < count; index = next++) {
      const started = process.hrtime.bigint();
      await work(index);
      durations.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return durations;
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  mkdirSync(OUT, { recursive: true });
  log(`fresh database gongxiao_bench_invites; ${RESELLERS} resellers join through one code (${CONCURRENCY} at a time), ${OFFERS} listings each, ${ROUNDS} fan-out rounds`);
  const url = await freshDatabase(base, 'gongxiao_bench_invites');
  await clearQueues(redisUrl, PREFIX);
  const sink = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('ok'));
  });
  await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/stock`;

  const env = serviceEnvironment({ databaseUrl: url, redisUrl, queuePrefix: PREFIX, port: PORT }, { OUTBOX_POLL_MS: '50', OUTGOING_ALLOW_HOSTS: '127.0.0.1' });
  const services = [startService('api', env, OUT, 'invites-'), startService('worker', env, OUT, 'invites-')];
  const db = new Client({ connectionString: url });
  const api = `http://127.0.0.1:${PORT}`;
  try {
    await waitFor('the api', async () => (await fetch(`${api}/health`)).status === 200, 60_000);
    await db.connect();

    // The supplier: OFFERS SKUs, each offered to all its partners, stock in one warehouse.
    const supplier = await call(api, 'POST', '/v1/auth/sign-up', undefined, { merchantName: 'Supplier', ownerName: 'Bench', email: 'supplier@bench.example', password: 'bench password 1' });
    const skus = Array.from({ length: OFFERS }, (_, index) => ({ code: `SKU-${index + 1}`, name: `Goods ${index + 1}` }));
    const product = await call(api, 'POST', '/v1/products', supplier.token, { name: 'Best sellers', skus });
    const warehouse = await call(api, 'POST', '/v1/warehouses', supplier.token, { code: 'WH', name: 'Main', province: '浙江省' });
    const offers: string[] = [];
    for (const sku of product.skus) offers.push((await call(api, 'POST', '/v1/offers', supplier.token, { skuId: sku.id, price: { amount: 1000, currency: 'CNY' } })).id);
    const invite = await call(api, 'POST', '/v1/partner-invites', supplier.token, { note: 'bench' });

    // 1. Joins through the one code, over HTTP, then as many plain sign-ups the same way (the baseline).
    const resellers: { merchantId: string; token: string }[] = new Array(HTTP_JOINS);
    const joinStarted = Date.now();
    const joinMs = await inParallel(HTTP_JOINS, CONCURRENCY, async (index) => {
      const joined = await call(api, 'POST', `/v1/partner-invites/${invite.code}/join`, undefined, {
        merchantName: `Reseller ${index}`,
        ownerName: 'Bench',
        email: `reseller-${index}@bench.example`,
        password: 'bench password 1',
      });
      resellers[index] = { merchantId: joined.merchant.id, token: joined.token };
    });
    const joinSeconds = (Date.now() - joinStarted) / 1000;
    log(`${HTTP_JOINS} joins over HTTP in ${joinSeconds.toFixed(1)} s (${Math.round(HTTP_JOINS / joinSeconds)}/s)`);
    const signUpStarted = Date.now();
    const signUpMs = await inParallel(SIGN_UPS, CONCURRENCY, (index) =>
      call(api, 'POST', '/v1/auth/sign-up', undefined, { merchantName: `Loner ${index}`, ownerName: 'Bench', email: `loner-${index}@bench.example`, password: 'bench password 1' }),
    );
    const signUpSeconds = (Date.now() - signUpStarted) / 1000;
    log(`${SIGN_UPS} plain sign-ups in ${signUpSeconds.toFixed(1)} s (${Math.round(SIGN_UPS / signUpSeconds)}/s)`);
    const seeded = RESELLERS - HTTP_JOINS;
    if (seeded > 0) {
      await db.query('begin');
      await db.query(
        `create temporary table seeded on commit drop as
           with m as (insert into merchant (name) select 'Seeded reseller ' || g from generate_series(1, $1) g returning id) select id from m`,
        [seeded],
      );
      await db.query(`insert into partnership (upstream_merchant_id, downstream_merchant_id, status, accepted_at) select $1, id, 'active', now() from seeded`, [supplier.merchant.id]);
      // Stored as the api stores a shop's secret (encrypted): the worker signs each shop's stock events with it.
      await db.query(`insert into shop (merchant_id, platform, name, webhook_secret, callback_url) select id, 'youzan', 'Seeded shop', $2, $1 from seeded`, [
        sinkUrl,
        encryptField('whsec_bench_seeded'),
      ]);
      await db.query(`update partner_invite set uses = uses + $2 where id = $1`, [invite.id, seeded]);
      await db.query('commit');
      log(`${seeded} more resellers seeded set-based (merchant, active partnership, shop)`);
    }
    const active = (await db.query(`select count(*)::int as n from partnership where upstream_merchant_id = $1 and status = 'active'`, [supplier.merchant.id])).rows[0].n;
    const uses = (await db.query(`select uses from partner_invite where id = $1`, [invite.id])).rows[0].uses;
    if (active !== RESELLERS || uses !== RESELLERS) throw new Error(`expected ${RESELLERS} active partners and uses, found ${active} and ${uses}`);

    // 2. A shop each through the api; the listings as one statement.
    const shopStarted = Date.now();
    await inParallel(HTTP_JOINS, CONCURRENCY, (index) => call(api, 'POST', '/v1/shops', resellers[index].token, { platform: 'youzan', name: `Shop ${index}`, callbackUrl: sinkUrl }));
    const shopSeconds = (Date.now() - shopStarted) / 1000;
    const listingStarted = Date.now();
    await db.query(
      `insert into listing (merchant_id, shop_id, shop_sku_code, offer_id, retail_price_amount, currency)
       select s.merchant_id, s.id, 'L-' || o.n, o.id, 1990, 'CNY'
         from shop s cross join unnest($1::bigint[]) with ordinality as o(id, n)
        where s.merchant_id in (select downstream_merchant_id from partnership where upstream_merchant_id = $2)`,
      [offers, supplier.merchant.id],
    );
    const listingCount = (await db.query(`select count(*)::int as n from listing`)).rows[0].n;
    log(`${HTTP_JOINS} shops through the api in ${shopSeconds.toFixed(1)} s; ${listingCount} listings inserted in ${((Date.now() - listingStarted) / 1000).toFixed(1)} s`);

    // 3. Fan-out of one SKU's stock: RESELLERS listings (one per shop) recomputed and RESELLERS shop events enqueued.
    const skuId = product.skus[0].id;
    const fanout: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const onHand = 5000 + round;
      // The round's shop events are the outbox rows after this id: read by the primary key's tail, not by scanning the outbox.
      const outboxBefore = (await db.query(`select coalesce(max(id), 0)::text as id from outbox_event`)).rows[0].id;
      const started = Date.now();
      await call(api, 'POST', '/v1/stock-updates', supplier.token, { updates: [{ key: `round-${round}`, warehouseId: warehouse.id, skuId, onHand }] });
      await waitFor(
        'the fan-out',
        async () => {
          const { rows } = await db.query(
            `select (select count(*) from listing_availability a join listing l on l.id = a.listing_id where l.offer_id = $3 and a.available = $1)::int as listings,
                    (select count(distinct aggregate_id) from outbox_event where id > $2::bigint and type = 'shop_stock.stale')::int as shops`,
            [onHand, outboxBefore, offers[0]],
          );
          return rows[0].listings === RESELLERS && rows[0].shops === RESELLERS;
        },
        300_000,
        5,
      );
      if (round > 0) fanout.push(Date.now() - started); // round 0 warms up (first computation of every listing)
      // The shops' syncs of this round finish before the next one starts (not timed).
      await waitFor('the worker to settle', async () => (await db.query(`select count(*)::int as n from outbox_event where processed_at is null and failed_at is null`)).rows[0].n === 0, 300_000, 50);
      log(`round ${round}: ${Date.now() - started} ms to settle`);
    }

    const results = {
      machine: { cores: (await import('node:os')).cpus().length },
      joins: {
        resellers: RESELLERS,
        overHttp: HTTP_JOINS,
        seeded,
        concurrency: CONCURRENCY,
        perSecond: Math.round(HTTP_JOINS / joinSeconds),
        p50Ms: percentile(joinMs, 50),
        p99Ms: percentile(joinMs, 99),
        signUpBaselinePerSecond: Math.round(SIGN_UPS / signUpSeconds),
        signUpBaselineP50Ms: percentile(signUpMs, 50),
        signUpBaselineP99Ms: percentile(signUpMs, 99),
      },
      setup: { shopsThroughApiSeconds: shopSeconds, listings: listingCount, listingsInsertedWith: 'one INSERT … SELECT (fixtures)' },
      fanout: { listings: RESELLERS, shops: RESELLERS, rounds: ROUNDS, p50Ms: percentile(fanout, 50), p99Ms: percentile(fanout, 99), goalP99Ms: 1000 },
    };
    const table = [
      '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
      '|---|---|---|---|',
      `| ${HTTP_JOINS} micro-resellers join one supplier through one invite code (HTTP, ${CONCURRENCY} at a time${seeded ? `; ${seeded} more seeded` : ''}) | ${results.joins.perSecond} joins/s, p99 ${results.joins.p99Ms.toFixed(0)} ms | plain sign-up: ${results.joins.signUpBaselinePerSecond}/s, p99 ${results.joins.signUpBaselineP99Ms.toFixed(0)} ms | ${(results.joins.perSecond / results.joins.signUpBaselinePerSecond).toFixed(2)}× |`,
      `| stock update → ${RESELLERS} listings of ${RESELLERS} resellers recomputed + ${RESELLERS} shop events enqueued, p50 | ${results.fanout.p50Ms.toFixed(0)} ms | see stock-fanout (one distributor) | — |`,
      `| same, p99 (goal < 1000 ms) | ${results.fanout.p99Ms.toFixed(0)} ms | see stock-fanout | ${(results.fanout.p99Ms / 1000).toFixed(1)}× goal |`,
    ].join('\n');
    writeBenchResults('invite-fanout', results, table);
    log(`written to ${resolve(OUT, 'invite-fanout.json')} and invite-fanout.md`);
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(services.map(stopService));
    sink.close();
  }
}

runBench(main);
