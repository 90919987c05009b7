import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { encryptField, signWebhook } from '@gongxiao/core';
import { DemoClient } from '../../apps/demo/src/http-client';
import { buildNetwork, DemoNetwork } from '../../apps/demo/src/network';
import { call, clearQueues, freshDatabase, OUT, percentile, runBench, startService, stopService, waitFor, writeBenchResults } from './bench-support';

/**
 * BENCH_SCALE=1: cost that stays flat as history grows. The demo network is built through the api, then
 * measured twice: on an empty database, and after PARTNERS resellers with LISTINGS_EACH listings each
 * and SCALE_ORDERS shop orders of history (12 months, each with its fulfillment order, line, shipment
 * and the factory's ledger entry in a monthly statement) seeded by set-based SQL and analyzed. Measured each time: the factory's inbox first
 * page, the distributor's orders of one day filtered by status, a month's statement and its first
 * entries (p50/p99 over READS requests each), and the write path (WRITES signed orders pushed at
 * concurrency 8 → all routed, orders/s). Goal: every history figure ≥ 0.9× of the empty one, each read
 * p99 < 100 ms.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const SCALE_ORDERS = Number(process.env.BENCH_SCALE_ORDERS ?? (QUICK ? 50_000 : 1_000_000));
const READS = Number(process.env.BENCH_SCALE_READS ?? (QUICK ? 30 : 200));
const WRITES = Number(process.env.BENCH_SCALE_WRITES ?? (QUICK ? 100 : 400));
/** Resellers partnered with the broker, a shop each, LISTINGS_EACH listings of the broker's re-shares each. */
const PARTNERS = Number(process.env.BENCH_SCALE_PARTNERS ?? (QUICK ? 1000 : 10_000));
const LISTINGS_EACH = Number(process.env.BENCH_SCALE_LISTINGS_EACH ?? 10);
const PORT = Number(process.env.BENCH_PORT ?? 3931);
const PREFIX = 'gx-bench-scale';
const DAY = 86_400_000;
const log = (message: string) => console.log(`[bench:scale] ${message}`);

interface Phase {
  inbox: number[];
  ordersOfADay: number[];
  statementMonth: number[];
  writesPerSecond: number;
}

async function timedGet(api: string, path: string, token: string): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function pushOrders(api: string, network: DemoNetwork, db: Client, tag: string): Promise<number> {
  const shop = network.shops[1];
  const codes = [shop.codes.find((code) => code.endsWith('TEE-WHITE-M'))!, shop.codes.find((code) => code.endsWith('HONEY-500'))!];
  const ids: string[] = [];
  const started = Date.now();
  let next = 0;
  const pushOne = async (index: number) => {
    const body = JSON.stringify({
      externalOrderId: `${tag}-${index}`,
      currency: 'CNY',
      consignee: { name: `客户${tag}${index}`, phone: '13900139000', province: '广东省', city: '广州市', district: '天河区', address: `体育西路 ${index} 号` },
      lines: codes.map((shopSkuCode) => ({ shopSkuCode, quantity: 1, unitPrice: 4990 })),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const response = await fetch(`${api}/v1/shops/${shop.id}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gongxiao-timestamp': timestamp, 'x-gongxiao-signature': signWebhook(shop.secret, timestamp, body) },
      body,
    });
    const receipt = (await response.json()) as { id: string };
    if (response.status !== 202) throw new Error(`push answered ${response.status}: ${JSON.stringify(receipt)}`);
    ids.push(receipt.id);
  };
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let index = next++; index < WRITES; index = next++) await pushOne(index);
    }),
  );
  await waitFor(
    'the pushed orders routed',
    async () => (await db.query(`select count(*)::int as n from channel_order where id = any($1::bigint[]) and status <> 'received'`, [ids])).rows[0].n === ids.length,
    300_000,
    20,
  );
  return (WRITES / (Date.now() - started)) * 1000;
}

async function measure(api: string, network: DemoNetwork, db: Client, tag: string): Promise<Phase> {
  const distributor = network.shops[1].distributor;
  const day = new Date(Date.now() - 30 * DAY);
  const oneDay = `createdFrom=${new Date(day.getTime() - DAY).toISOString()}&createdTo=${day.toISOString()}`;
  const month = new Date(Date.now() - 60 * DAY).toISOString().slice(0, 7);
  const phase: Phase = { inbox: [], ordersOfADay: [], statementMonth: [], writesPerSecond: await pushOrders(api, network, db, tag) };
  for (let read = 0; read < READS; read++) {
    phase.inbox.push(await timedGet(api, '/v1/fulfillment-orders?limit=50', network.factory.token));
    phase.ordersOfADay.push(await timedGet(api, `/v1/channel-orders?status=shipped&${oneDay}&limit=50`, distributor.token));
    const started = process.hrtime.bigint();
    const statements = await call(api, 'GET', `/v1/statements?side=receivable&period=${month}`, network.factory.token);
    if (statements.data[0]) await call(api, 'GET', `/v1/statements/${statements.data[0].id}/entries?limit=100`, network.factory.token);
    phase.statementMonth.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return phase;
}

/**
 * A year of the factory's history, copied from one real order of the write phase (contacts stay
 * encrypted as stored); ids grow with time, as they do in production.
 */
async function seedHistory(db: Client, network: DemoNetwork): Promise<void> {
  const template = (
    await db.query(
      `select c.id as channel_order_id, f.id as fulfillment_order_id from fulfillment_order f join fulfillment_order_line l on l.fulfillment_order_id = f.id join channel_order c on c.id = l.channel_order_id where f.supplier_merchant_id = $1 limit 1`,
      [network.factory.id],
    )
  ).rows[0];
  const step = (sql: string, params: unknown[] = []) => db.query(sql, params);
  const seconds = (365 * 86_400) / SCALE_ORDERS;
  await step(
    `insert into channel_order (merchant_id, shop_id, external_order_id, source, payload_hash, raw_payload, consignee_name, consignee_phone, province, city, district, address,
                                currency, goods_amount, total_amount, status, received_at, routed_at)
     select t.merchant_id, t.shop_id, 'HIST-' || g, t.source, 'hist', '{}'::jsonb, t.consignee_name, t.consignee_phone, t.province, t.city, t.district, t.address,
            t.currency, t.goods_amount, t.total_amount, 'shipped', now() - interval '1 day' - make_interval(secs => ($3 - g) * $2::float8), now() - interval '1 day' - make_interval(secs => ($3 - g) * $2::float8)
       from channel_order t, generate_series(1, $3::int) g where t.id = $1`,
    [template.channel_order_id, seconds, SCALE_ORDERS],
  );
  log('seeded channel orders');
  await step(
    `insert into channel_order_line (channel_order_id, line_no, shop_sku_code, quantity, unit_price_amount, shipped_quantity)
              select c.id, 1, l.shop_sku_code, 1, l.unit_price_amount, 1 from channel_order c, channel_order_line l
               where c.external_order_id like 'HIST-%' and l.channel_order_id = $1 and l.line_no = 1`,
    [template.channel_order_id],
  );
  await step(
    `insert into fulfillment_order (supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address, consignee_key, created_at, released_at, shipped_at)
     select t.supplier_merchant_id, t.warehouse_id, 'shipped', t.consignee_name, t.consignee_phone, t.province, t.city, t.district, t.address, 'hist:' || c.id, c.received_at, c.received_at, c.received_at + interval '6 hours'
       from channel_order c, fulfillment_order t where c.external_order_id like 'HIST-%' and t.id = $1`,
    [template.fulfillment_order_id],
  );
  log('seeded fulfillment orders');
  await step(
    `insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, shipped_quantity, supply_price_amount, currency)
     select f.id, c.id, cl.id, c.merchant_id, t.sku_id, 1, 1, t.supply_price_amount, t.currency
       from fulfillment_order f join channel_order c on 'hist:' || c.id = f.consignee_key join channel_order_line cl on cl.channel_order_id = c.id,
            (select * from fulfillment_order_line where fulfillment_order_id = $1 limit 1) t`,
    [template.fulfillment_order_id],
  );
  await step(`insert into shipment (fulfillment_order_id, supplier_merchant_id, carrier_code, tracking_number, created_at)
              select id, supplier_merchant_id, 'SF', 'SFH' || id, shipped_at from fulfillment_order where consignee_key like 'hist:%'`);
  log('seeded lines and shipments');
  // The factory's receivable from the broker: one statement per month, one goods entry per shipped line.
  await step(
    `insert into statement (seller_merchant_id, buyer_merchant_id, currency, period, status, issued_at)
     select $1, $2, 'CNY', m::date, 'issued', m + interval '1 month'
       from generate_series(date_trunc('month', now() - interval '13 months'), date_trunc('month', now() - interval '1 month'), interval '1 month') m
     on conflict do nothing`,
    [network.factory.id, network.broker.id],
  );
  await step(
    `insert into ledger_entry (seller_merchant_id, buyer_merchant_id, currency, debit_account, credit_account, amount, kind, source_key, period, statement_id, occurred_at,
                               channel_order_id, external_order_id, fulfillment_order_id, fulfillment_order_line_id, sku_id, quantity, unit_price_amount)
     select $1, $2, 'CNY', 'receivable', 'revenue', l.supply_price_amount, 'goods', 'hist:' || l.id, s.period, s.id, f.shipped_at,
            l.channel_order_id, c.external_order_id, f.id, l.id, l.sku_id, 1, l.supply_price_amount
       from fulfillment_order f join fulfillment_order_line l on l.fulfillment_order_id = f.id join channel_order c on c.id = l.channel_order_id
       join statement s on s.seller_merchant_id = $1 and s.buyer_merchant_id = $2 and s.period = date_trunc('month', f.shipped_at)::date
      where f.consignee_key like 'hist:%'`,
    [network.factory.id, network.broker.id],
  );
  // Past months are closed: their figures are stored (frozen), as the month close leaves them.
  await step(
    `with sums as (select s.id, s.period, coalesce(sum(e.amount), 0) as goods from statement s left join ledger_entry e on e.statement_id = s.id
                    where s.seller_merchant_id = $1 and s.buyer_merchant_id = $2 and s.period < date_trunc('month', now())::date group by s.id, s.period),
          running as (select id, goods, coalesce(sum(goods) over (order by period rows between unbounded preceding and 1 preceding), 0) as opening from sums)
     update statement s set opening_balance_amount = r.opening, goods_amount = r.goods, shipping_amount = 0, refund_amount = 0, adjustment_amount = 0, payment_amount = 0,
                            due_amount = r.opening + r.goods, closing_balance_amount = r.opening + r.goods
       from running r where r.id = s.id`,
    [network.factory.id, network.broker.id],
  );
  log('seeded ledger entries and closed the past months');
  await step(`vacuum analyze`);
}

/**
 * The network at scale: PARTNERS resellers partnered with the broker, a shop each (pulling their
 * availability: no callback, so no shop is told by HTTP), each listing LISTINGS_EACH of the broker's
 * re-shares of the factory's SKUs with their availability computed. Every order the write phase
 * routes changes the stock of a SKU that many of these listings sell, so their recompute is on its path.
 */
async function seedNetwork(db: Client, network: DemoNetwork): Promise<void> {
  const brokerOffers = network.offers.filter((offer) => network.factoryCodes.includes(offer.code)).map((offer) => offer.offerId);
  await db.query('begin');
  await db.query(
    `create temporary table scale_reseller on commit drop as
       with m as (insert into merchant (name) select '规模分销商 ' || g from generate_series(1, $1::int) g returning id) select id from m`,
    [PARTNERS],
  );
  await db.query(`insert into partnership (upstream_merchant_id, downstream_merchant_id, status, accepted_at) select $1, id, 'active', now() from scale_reseller`, [network.broker.id]);
  await db.query(`insert into shop (merchant_id, platform, name, webhook_secret) select id, 'youzan', '分销店铺 ' || id, $1 from scale_reseller`, [encryptField('whsec_scale_seeded')]);
  await db.query(
    `insert into listing (merchant_id, shop_id, shop_sku_code, offer_id, retail_price_amount, currency)
     select s.merchant_id, s.id, 'SCALE-' || g, ($2::bigint[])[1 + g % array_length($2::bigint[], 1)], 5990, 'CNY'
       from shop s join scale_reseller r on r.id = s.merchant_id cross join generate_series(1, $1::int) g`,
    [LISTINGS_EACH, brokerOffers],
  );
  await db.query(
    `insert into listing_availability (listing_id, merchant_id, shop_id, available)
     select l.id, l.merchant_id, l.shop_id, 0 from listing l join scale_reseller r on r.id = l.merchant_id`,
  );
  await db.query('commit');
  log(`seeded ${PARTNERS} resellers with a shop and ${PARTNERS * LISTINGS_EACH} listings`);
}

/**
 * One stock change of a SKU the resellers list → every listing selling it recomputed (their rows
 * rewritten, with a later updated_at), p50/p99 over rounds: the stock fan-out at this scale.
 */
async function fanoutAtScale(api: string, network: DemoNetwork, db: Client, rounds: number): Promise<{ listings: number; ms: number[] }> {
  const code = 'TEE-WHITE-L';
  const offerId = network.offers.find((offer) => offer.code === code)!.offerId;
  const listings = (await db.query(`select count(*)::int as n from listing where offer_id = $1`, [offerId])).rows[0].n;
  const ms: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const started = new Date();
    await call(api, 'POST', '/v1/stock-updates', network.factory.token, { updates: [{ key: `scale-fanout-${round}`, warehouseCode: 'ZJ-YIWU', skuCode: code, onHand: 7000 + round }] });
    await waitFor(
      'the fan-out',
      async () =>
        (await db.query(`select count(*)::int as n from listing l join listing_availability a on a.listing_id = l.id where l.offer_id = $1 and a.updated_at >= $2`, [offerId, started])).rows[0].n ===
        listings,
      120_000,
      10,
    );
    if (round > 0) ms.push(Date.now() - started.getTime());
  }
  return { listings, ms };
}

function row(name: string, empty: number[], history: number[]): string {
  const [e50, e99, h50, h99] = [percentile(empty, 50), percentile(empty, 99), percentile(history, 50), percentile(history, 99)];
  return `| ${name}, p50 / p99 | ${h50.toFixed(1)} / ${h99.toFixed(1)} ms | empty database: ${e50.toFixed(1)} / ${e99.toFixed(1)} ms | ${(e99 / h99).toFixed(2)}× at p99 (goal ≥ 0.9×, p99 < 100 ms) |`;
}

async function main(): Promise<void> {
  if (process.env.BENCH_SCALE !== '1') {
    log('skipped: BENCH_SCALE=1 runs it (it seeds a year of history first: minutes and gigabytes at full size)');
    return;
  }
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  mkdirSync(OUT, { recursive: true });
  const url = await freshDatabase(base, 'gongxiao_bench_scale');
  await clearQueues(redisUrl, PREFIX);
  const sink = createServer((request, response) => request.resume().on('end', () => response.end('ok')));
  await new Promise<void>((done) => sink.listen(0, '127.0.0.1', done));
  const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const env = { ...process.env, DATABASE_URL: url, REDIS_URL: redisUrl, QUEUE_PREFIX: PREFIX, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', OUTGOING_ALLOW_HOSTS: '127.0.0.1' };
  const services = [startService('api', env, OUT, 'scale-'), startService('worker', env, OUT, 'scale-')];
  const db = new Client({ connectionString: url });
  const api = `http://127.0.0.1:${PORT}`;
  try {
    await waitFor('the api', async () => (await fetch(`${api}/health`).catch(() => null))?.status === 200, 60_000);
    await db.connect();
    const network = await buildNetwork(new DemoClient(api), `${sinkUrl}/erp`, `${sinkUrl}/shop`, 'scale');
    log(`network built; a warm-up round, then the empty database (${READS} reads each, ${WRITES} orders)`);
    await measure(api, network, db, 'WARM');
    const empty = await measure(api, network, db, 'EMPTY');
    log(`seeding ${PARTNERS} partners, ${PARTNERS * LISTINGS_EACH} listings and ${SCALE_ORDERS} orders of history`);
    const seedStarted = Date.now();
    await seedNetwork(db, network);
    await seedHistory(db, network);
    const seedSeconds = (Date.now() - seedStarted) / 1000;
    const size = (await db.query(`select pg_size_pretty(pg_database_size(current_database())) as size`)).rows[0].size;
    log(`seeded in ${seedSeconds.toFixed(0)} s (${size}); measuring again`);
    const history = await measure(api, network, db, 'HISTORY');
    const fanout = await fanoutAtScale(api, network, db, 5);
    const table = [
      '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
      '|---|---|---|---|',
      row(
        `inbox first page, ${SCALE_ORDERS.toLocaleString('en')} orders of history, ${PARTNERS.toLocaleString('en')} partners, ${(PARTNERS * LISTINGS_EACH).toLocaleString('en')} listings`,
        empty.inbox,
        history.inbox,
      ),
      row("distributor's shipped orders of one day", empty.ordersOfADay, history.ordersOfADay),
      // On the empty database that month has no statement yet: its figure is the list alone, so read the p99 against the goal.
      row("a month's statement and its first 100 entries (empty: the list alone)", empty.statementMonth, history.statementMonth),
      `| stock change → the ${fanout.listings.toLocaleString('en')} listings of one SKU (of ${PARTNERS.toLocaleString('en')} resellers) recomputed, with history, p50 / p99 | ${percentile(fanout.ms, 50)} / ${percentile(fanout.ms, 99)} ms | see stock-fanout (10,000 listings, empty database) | p99 goal < 500 ms |`,
      `| ${WRITES} orders pushed → routed, with history | ${history.writesPerSecond.toFixed(0)} orders/s | empty database: ${empty.writesPerSecond.toFixed(0)} orders/s | ${(history.writesPerSecond / empty.writesPerSecond).toFixed(2)}× (goal ≥ 0.9×) |`,
    ].join('\n');
    writeBenchResults('history-scale', { orders: SCALE_ORDERS, partners: PARTNERS, listings: PARTNERS * LISTINGS_EACH, seedSeconds, size, empty, history, fanout }, table);
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(services.map(stopService));
    sink.close();
  }
}

runBench(main);
