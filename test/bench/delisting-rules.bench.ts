import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { MikroORM } from '@mikro-orm/postgresql';
import { Client } from 'pg';
import { ormOptions, OutboxService } from '@gongxiao/core';
import { DelistingActionsService, DelistingEvaluator } from '@gongxiao/quality';
import type { WebhooksService } from '@gongxiao/webhooks';
import { freshDatabase, OUT, percentile, runBench, writeBenchResults } from './bench-support';

/**
 * Automatic delisting: a supplier with SKUS SKUs and LINES shipped lines (sold through one distributor,
 * routed over the last 30 days, about 2 % returned, 1 % reviewed badly), four rules of every SKU (the supplier's
 * return-rate, bad-review and overdue defaults on its offers, the distributor's return-rate rule on its
 * listings) and two SKU rules. Timed: "one return arrives → rules evaluated" — the `SalesQualityChangedJob`'s
 * evaluation for that SKU, in a transaction — beside a bare SQL aggregate of the same rows (one owner's
 * shipped units, orders and returned units of that SKU in the window), p50/p99 over RUNS random SKUs.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const SKUS = Number(process.env.BENCH_DELISTING_SKUS ?? (QUICK ? 1_000 : 10_000));
const LINES = Number(process.env.BENCH_DELISTING_LINES ?? (QUICK ? 100_000 : 1_000_000));
const RUNS = Number(process.env.BENCH_DELISTING_RUNS ?? (QUICK ? 50 : 200));
const LINES_PER_ORDER = 10;
const log = (message: string) => console.log(`[bench:delisting] ${message}`);

async function seed(db: Client): Promise<{ supplier: string; distributor: string; firstSku: number }> {
  const one = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0];
  const supplier = (await one(`insert into merchant (name) values ('Bench Factory') returning id::text`)).id;
  const distributor = (await one(`insert into merchant (name) values ('Bench Distributor') returning id::text`)).id;
  const product = (await one(`insert into product (merchant_id, name) values ($1, 'Goods') returning id`, [supplier])).id;
  await db.query(`insert into sku (merchant_id, product_id, code, name) select $1, $2, 'SKU-' || g, 'Goods ' || g from generate_series(1, $3) g`, [supplier, product, SKUS]);
  const firstSku = Number((await one(`select min(id) as id from sku`)).id);
  const warehouse = (await one(`insert into warehouse (merchant_id, code, name, province) values ($1, 'ZJ', 'Yiwu', '浙江省') returning id`, [supplier])).id;
  const shop = (await one(`insert into shop (merchant_id, platform, name, webhook_secret) values ($1, 'youzan', 'Shop', 'x') returning id`, [distributor])).id;
  const offer = (
    await one(`insert into offer (seller_merchant_id, origin_merchant_id, origin_sku_id, depth, price_amount, currency) values ($1, $1, $2, 0, 1000, 'CNY') returning id`, [supplier, firstSku])
  ).id;
  const orders = Math.ceil(LINES / LINES_PER_ORDER);
  await db.query(
    `insert into channel_order (merchant_id, shop_id, external_order_id, source, payload_hash, raw_payload, consignee_name, consignee_phone, province, city, district, address, currency, goods_amount, total_amount, status)
     select $1, $2, 'X-' || g, 'push', md5(g::text), '{}'::jsonb, 'n', '1', '浙江省', '杭州市', '西湖区', 'a', 'CNY', 0, 0, 'shipped' from generate_series(1, $3) g`,
    [distributor, shop, orders],
  );
  await db.query(
    `insert into channel_order_line (channel_order_id, line_no, shop_sku_code, quantity, unit_price_amount, shipped_quantity) select c.id, n, 'S' || n, 1, 2000, 1 from channel_order c, generate_series(1, $1) n`,
    [LINES_PER_ORDER],
  );
  // Routed over the last 30 days, shipped within their 48 h (one in 50 late).
  await db.query(
    `insert into fulfillment_order (id, supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address, consignee_key, released_at, created_at, ship_by, shipped_at)
     overriding system value
     select c.id, $1, $2, 'shipped', 'n', '1', '浙江省', '杭州市', '西湖区', 'a', md5(c.id::text), now(), now() - make_interval(secs => (c.id * 7919) % 2592000),
            now() - make_interval(secs => (c.id * 7919) % 2592000) + interval '48 hours',
            now() - make_interval(secs => (c.id * 7919) % 2592000) + (case when c.id % 50 = 0 then interval '60 hours' else interval '5 hours' end)
       from channel_order c`,
    [supplier, warehouse],
  );
  await db.query(
    `insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, shipped_quantity, supply_price_amount, currency)
     select l.channel_order_id, l.channel_order_id, l.id, $1, $2 + ((hashint8(l.id) & 2147483647) % $3), 1, 1, 1000, 'CNY' from channel_order_line l`,
    [distributor, firstSku, SKUS],
  );
  await db.query(
    `insert into fulfillment_line_hop (fulfillment_order_line_id, hop_index, offer_id, seller_merchant_id, buyer_merchant_id, unit_price_amount, currency)
     select id, 0, $1, $2, $3, 1000, 'CNY' from fulfillment_order_line`,
    [offer, supplier, distributor],
  );
  await seedReturnsAndReviews(db, supplier, distributor, shop, warehouse);
  for (const [merchant, target, metric] of [
    [supplier, 'offers', 'return_rate'],
    [supplier, 'offers', 'bad_review_rate'],
    [supplier, 'offers', 'overdue_share'],
    [distributor, 'listings', 'return_rate'],
  ]) {
    await db.query(`insert into delisting_rule (merchant_id, target, metric, threshold_basis_points, min_orders, window_days, action) values ($1, $2, $3, 5000, 10, 30, 'suspend')`, [
      merchant,
      target,
      metric,
    ]);
  }
  await db.query(
    `insert into delisting_rule (merchant_id, target, sku_id, metric, threshold_basis_points, min_orders, window_days, action) select $1, 'offers', $2 + g, 'return_rate', 5000, 10, 30, 'warn_only' from generate_series(0, 1) g`,
    [supplier, firstSku],
  );
  await db.query('analyze');
  return { supplier, distributor, firstSku };
}

/** About 2 % of the lines returned by consumers (approved), 2 % reviewed (half of them 1★), spread over the SKUs by hash. */
async function seedReturnsAndReviews(db: Client, supplier: string, distributor: string, shop: string, warehouse: string): Promise<void> {
  await db.query(
    `with picked as (select id, channel_order_id from fulfillment_order_line where (hashint8(id * 3) & 2147483647) % 50 = 0),
          cases as (
            insert into return_request (channel_order_id, distributor_merchant_id, supplier_merchant_id, kind, origin, status, reason, within_window)
            select channel_order_id, $1, $2, 'return_and_refund', 'consumer', 'approved', 'l:' || id, true from picked returning id, reason
          )
     insert into return_request_line (return_request_id, fulfillment_order_line_id, quantity) select id, substr(reason, 3)::bigint, 1 from cases`,
    [distributor, supplier],
  );
  await db.query(`update return_request set reason = 'damaged'`);
  await db.query(
    `insert into consumer_review (shop_id, distributor_merchant_id, external_review_id, channel_order_id, channel_order_line_id, fulfillment_order_line_id, supplier_merchant_id, warehouse_id, sku_id, rating, reviewed_at, content_hash)
     select $1, $2, 'R' || l.id, l.channel_order_id, l.channel_order_line_id, l.id, $3, $4, l.sku_id, case when l.id % 2 = 0 then 1 else 5 end, now(), md5(l.id::text)
       from fulfillment_order_line l where (hashint8(l.id * 7) & 2147483647) % 50 = 0`,
    [shop, distributor, supplier, warehouse],
  );
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  mkdirSync(OUT, { recursive: true });
  log(`fresh database gongxiao_bench_delisting; ${SKUS} SKUs, ${LINES} shipped lines`);
  const url = await freshDatabase(base, 'gongxiao_bench_delisting');
  const db = new Client({ connectionString: url });
  await db.connect();
  const orm = await MikroORM.init(ormOptions(url));
  try {
    const seedStarted = Date.now();
    const { supplier, firstSku } = await seed(db);
    log(`fixtures ready in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s: ${(await db.query(`select count(*)::int as n from fulfillment_order_line`)).rows[0].n} lines`);
    // Nothing fires at these thresholds (2 % returns against 50 %), so the evaluation never publishes: the webhooks are never reached.
    const evaluator = new DelistingEvaluator(new DelistingActionsService(new OutboxService(), undefined as unknown as WebhooksService));
    const skus = Array.from({ length: RUNS }, (_, index) => String(firstSku + ((index * 7_919) % SKUS)));
    const product: number[] = [];
    const bare: number[] = [];
    for (const skuId of skus) {
      const started = process.hrtime.bigint();
      const fired = await orm.em.fork().transactional((em) => evaluator.evaluate(em, [skuId]));
      product.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (fired.length > 0) throw new Error(`a rule fired on SKU ${skuId}: the fixtures are meant to stay below the thresholds`);
      const bareStarted = process.hrtime.bigint();
      await db.query(
        `select sum(l.shipped_quantity) as shipped, count(distinct l.fulfillment_order_id) as orders,
                (select coalesce(sum(rl.quantity), 0) from return_request_line rl join return_request r on r.id = rl.return_request_id
                  where rl.fulfillment_order_line_id = any(array_agg(l.id)) and r.origin = 'consumer' and r.status in ('approved', 'return_shipped', 'received', 'refunded')) as returned
           from fulfillment_order_line l join fulfillment_order f on f.id = l.fulfillment_order_id
          where l.sku_id = $1 and f.created_at >= now() - interval '30 days'
            and (l.distributor_merchant_id = $2 or exists (select 1 from fulfillment_line_hop h where h.fulfillment_order_line_id = l.id and h.seller_merchant_id = $2))`,
        [skuId, supplier],
      );
      bare.push(Number(process.hrtime.bigint() - bareStarted) / 1e6);
    }
    report(product, bare);
  } finally {
    await orm.close();
    await db.end();
  }
}

function report(product: number[], bare: number[]): void {
  const round = (value: number) => Math.round(value * 100) / 100;
  const results = {
    skus: SKUS,
    lines: LINES,
    runs: RUNS,
    rulesPerSku: 6,
    evaluationP50Ms: round(percentile(product, 50)),
    evaluationP99Ms: round(percentile(product, 99)),
    bareAggregateP50Ms: round(percentile(bare, 50)),
    bareAggregateP99Ms: round(percentile(bare, 99)),
  };
  const table = [
    '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
    '|---|---|---|---|',
    `| delisting rules: one return arrives → the rules of its SKU evaluated (${SKUS} SKUs, ${LINES} shipped lines, 4 default + 2 SKU rules, ${RUNS} returns), p50 / p99 | ${results.evaluationP50Ms} / ${results.evaluationP99Ms} ms | bare SQL aggregate of one rule's rows (same SKU, same window): ${results.bareAggregateP50Ms} / ${results.bareAggregateP99Ms} ms | ${round(results.evaluationP50Ms / Math.max(results.bareAggregateP50Ms, 0.01))}× |`,
  ].join('\n');
  writeBenchResults('delisting-rules', results, table);
}

runBench(main);
