import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client, Pool } from 'pg';
import { signWebhook } from '@gongxiao/core';
import { DemoClient, inPool } from '../../apps/demo/src/http-client';
import { buildNetwork, DemoShop } from '../../apps/demo/src/network';
import { clearQueues, freshDatabase, OUT, percentile, startService, stopService, waitFor, runBench, writeBenchResults, serviceEnvironment } from './bench-support';

/**
 * The order flow and cancellations, each beside a baseline measured in the same run.
 *
 * 1. Ingest → routed → dispatched: ORDERS signed orders (3 lines from 2 suppliers: two factory SKUs
 *    shipped from its ERP warehouse, one farm SKU from its inbox warehouse) pushed over HTTP,
 *    CONCURRENCY at a time; orders per second until every factory parcel reached the ERP endpoint
 *    and every farm parcel is in the farm's inbox. Then PACED orders at RATE/s: push → supplier
 *    visible (ERP received it, inbox shows it) p50/p99. Baseline: a bare `pg` client writing the
 *    same rows (order, lines, fulfillment orders and lines, hop prices, reservations with their
 *    movements, outbox) one transaction per order, CONCURRENCY at a time.
 * 2. Cancellation: while orders keep arriving at RATE/s, CANCELS of them are cancelled by a signed
 *    shop push once the ERP has them; push → supplier notified (the inbox shows it cancelled and the
 *    ERP received `fulfillment_order.cancelled`) p50/p99. Goal: p99 under 1 s.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ORDERS = Number(process.env.BENCH_ORDERS ?? (QUICK ? 150 : 1000));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PACED = Number(process.env.BENCH_PACED_ORDERS ?? (QUICK ? 40 : 200));
const RATE = Number(process.env.BENCH_RATE ?? 20);
const CANCELS = Number(process.env.BENCH_CANCELS ?? (QUICK ? 20 : 100));
const PORT = Number(process.env.BENCH_PORT ?? 3928);
const PREFIX = 'gx-bench-orders';

const log = (message: string) => console.log(`[bench:orders] ${message}`);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

interface Arrival {
  at: number;
  event: string;
}

async function signedPost(baseUrl: string, path: string, secret: string, body: unknown): Promise<{ status: number; body: any }> {
  const rawBody = JSON.stringify(body);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gongxiao-timestamp': timestamp, 'x-gongxiao-signature': signWebhook(secret, timestamp, rawBody) },
    body: rawBody,
  });
  return { status: response.status, body: await response.json() };
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  mkdirSync(OUT, { recursive: true });
  log(`fresh database gongxiao_bench_orders; ${ORDERS} orders at concurrency ${CONCURRENCY}, ${PACED} paced at ${RATE}/s, ${CANCELS} cancellations`);
  const url = await freshDatabase(base, 'gongxiao_bench_orders');
  await clearQueues(redisUrl, PREFIX);

  // The factory's ERP: when each fulfillment order arrived, per event.
  const erp = new Map<string, Arrival[]>();
  const receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      if (request.url === '/erp') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const id = String(body.data.id);
        erp.set(id, [...(erp.get(id) ?? []), { at, event: body.event }]);
      }
      response.end('ok');
    });
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const arrived = (foId: string, event: string) => erp.get(foId)?.find((item) => item.event === event)?.at;

  const env = serviceEnvironment({ databaseUrl: url, redisUrl, queuePrefix: PREFIX, port: PORT }, { OUTGOING_ALLOW_HOSTS: '127.0.0.1' });
  let services = [startService('api', env, OUT, 'bench-orders-'), startService('worker', env, OUT, 'bench-orders-')];
  const db = new Pool({ connectionString: url, max: 4 });
  const client = new DemoClient(`http://127.0.0.1:${PORT}`);
  try {
    await waitFor('the api', async () => (await fetch(`${client.baseUrl}/health`)).status === 200, 60_000);
    const network = await buildNetwork(client, `${receiverUrl}/erp`, `${receiverUrl}/shop`, 'bench');
    const shop: DemoShop = network.shops[1];
    const code = (suffix: string) => shop.codes.find((item) => item.endsWith(suffix))!;
    const lines = [code('TEE-WHITE-M'), code('MUG-350'), code('HONEY-500')];
    let serial = 0;
    const newOrder = () => ({
      externalOrderId: `BENCH-${++serial}`,
      currency: 'CNY',
      consignee: { name: '李四', phone: '13900139000', province: '广东省', city: '广州市', district: '天河区', address: '体育西路 1 号' },
      lines: lines.map((shopSkuCode) => ({ shopSkuCode, quantity: 1, unitPrice: 4990 })),
    });
    const push = async (order: ReturnType<typeof newOrder>) => {
      const response = await client.pushOrder(shop.id, shop.secret, order);
      if (response.status !== 202) throw new Error(`push ${order.externalOrderId}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    };
    /** Fulfillment orders of shop orders: the factory's (ERP) and the farm's (inbox) parcel. */
    const parcelsOf = async (externalIds: string[]) => {
      const { rows } = await db.query<{ external_order_id: string; id: string; supplier_merchant_id: string; created_at: Date }>(
        `select distinct c.external_order_id, o.id::text, o.supplier_merchant_id::text, o.created_at
           from channel_order c join fulfillment_order_line l on l.channel_order_id = c.id join fulfillment_order o on o.id = l.fulfillment_order_id
          where c.shop_id = $1 and c.external_order_id = any($2::text[])`,
        [shop.id, externalIds],
      );
      return rows;
    };
    const dispatchedCount = async (externalIds: string[]) => {
      const parcels = await parcelsOf(externalIds);
      const factory = parcels.filter((row) => row.supplier_merchant_id === network.factory.id && arrived(row.id, 'fulfillment_order.created'));
      const farm = parcels.filter((row) => row.supplier_merchant_id === network.farm.id);
      return Math.min(factory.length, farm.length);
    };

    // 1a. Burst throughput to fully dispatched.
    const burst = Array.from({ length: ORDERS }, newOrder);
    const burstStarted = Date.now();
    await inPool(burst, CONCURRENCY, push);
    const pushedAt = Date.now();
    const ids = burst.map((order) => order.externalOrderId);
    // Watch the ERP receiver in memory until it has a parcel per order (polling the database all the
    // while would load the machine being measured), then confirm every order's two parcels there.
    const erpParcels = () => [...erp.values()].filter((arrivals) => arrivals.some((item) => item.event === 'fulfillment_order.created')).length;
    await waitFor('the ERP to receive a parcel per burst order', async () => erpParcels() >= ORDERS, 600_000, 5);
    await waitFor('every burst order dispatched', async () => (await dispatchedCount(ids)) === ORDERS, 600_000, 20);
    const burstSeconds = (Date.now() - burstStarted) / 1000;
    log(`burst: ${ORDERS} orders pushed in ${((pushedAt - burstStarted) / 1000).toFixed(1)} s, all dispatched after ${burstSeconds.toFixed(1)} s`);

    // 1b. Latency at a steady rate.
    const paced = Array.from({ length: PACED }, newOrder);
    const pushStart = new Map<string, number>();
    await Promise.all(
      paced.map(async (order, index) => {
        await sleep((index * 1000) / RATE);
        pushStart.set(order.externalOrderId, Date.now());
        await push(order);
      }),
    );
    const pacedIds = paced.map((order) => order.externalOrderId);
    await waitFor('every paced order dispatched', async () => (await dispatchedCount(pacedIds)) === PACED, 120_000, 50);
    const latencies = await (async () => {
      const parcels = await parcelsOf(pacedIds);
      return pacedIds.map((id) => {
        const own = parcels.filter((row) => row.external_order_id === id);
        const visible = own.map((row) => (row.supplier_merchant_id === network.factory.id ? arrived(row.id, 'fulfillment_order.created')! : new Date(row.created_at).getTime()));
        return Math.max(...visible) - pushStart.get(id)!;
      });
    })();
    log(`steady ${RATE}/s: push → supplier visible p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`);

    // 2. Cancellations under the same steady load: every other order is cancelled once the ERP has it.
    const flow = Array.from({ length: CANCELS * 2 }, newOrder);
    const cancelLatency: number[] = [];
    const cancelResponse: number[] = [];
    await Promise.all(
      flow.map(async (order, index) => {
        await sleep((index * 1000) / RATE);
        await push(order);
        if (index % 2 === 1) return;
        let factoryParcel: string | undefined;
        await waitFor(
          `order ${order.externalOrderId} at the ERP`,
          async () => {
            factoryParcel ??= (await parcelsOf([order.externalOrderId])).find((row) => row.supplier_merchant_id === network.factory.id)?.id;
            return factoryParcel !== undefined && arrived(factoryParcel, 'fulfillment_order.created') !== undefined;
          },
          60_000,
          20,
        );
        const started = Date.now();
        const response = await signedPost(client.baseUrl, `/v1/shops/${shop.id}/orders/${order.externalOrderId}/cancel`, shop.secret, { reason: 'bench' });
        if (response.status !== 200 || response.body.outcome !== 'cancelled') throw new Error(`cancel ${order.externalOrderId}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
        cancelResponse.push(Date.now() - started);
        const inbox = await client.call('GET', `/v1/fulfillment-orders/${factoryParcel}`, { token: network.factory.token });
        if (inbox.status !== 'cancelled') throw new Error(`fulfillment order ${factoryParcel} is ${inbox.status} after the cancellation answered`);
        await waitFor(`the ERP told of ${factoryParcel}`, async () => arrived(factoryParcel!, 'fulfillment_order.cancelled') !== undefined, 60_000, 5);
        cancelLatency.push(arrived(factoryParcel!, 'fulfillment_order.cancelled')! - started);
      }),
    );
    log(`cancellations: push → ERP told p50 ${percentile(cancelLatency, 50)} ms, p99 ${percentile(cancelLatency, 99)} ms`);

    // Baseline: the same rows with a bare pg client, the services stopped so that it has the machine.
    await Promise.all(services.map(stopService));
    services = [];
    const baselineSeconds = await bareOrderWrites(url, ORDERS, CONCURRENCY, network.distributors[0].id, shop.id);
    log(`baseline: ${ORDERS} orders written with bare pg in ${baselineSeconds.toFixed(1)} s`);

    const results = {
      machine: { cores: (await import('node:os')).cpus().length },
      orderFlow: {
        orders: ORDERS,
        concurrency: CONCURRENCY,
        ordersPerSecond: Math.round((ORDERS / burstSeconds) * 10) / 10,
        baselineOrdersPerSecond: Math.round((ORDERS / baselineSeconds) * 10) / 10,
        // Issue 18's goals: the product at least as fast as the bare writer, visible p99 < 100 ms, cancel told p99 < 250 ms.
        goalRatio: 1.0,
        pacedOrders: PACED,
        ratePerSecond: RATE,
        latencyP50Ms: percentile(latencies, 50),
        latencyP99Ms: percentile(latencies, 99),
        goalP99Ms: 100,
      },
      cancellation: {
        cancellations: cancelLatency.length,
        notifiedP50Ms: percentile(cancelLatency, 50),
        notifiedP99Ms: percentile(cancelLatency, 99),
        responseP50Ms: percentile(cancelResponse, 50),
        responseP99Ms: percentile(cancelResponse, 99),
        goalP99Ms: 250,
      },
    };
    const ratio = results.orderFlow.ordersPerSecond / results.orderFlow.baselineOrdersPerSecond;
    const table = [
      '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
      '|---|---|---|---|',
      `| ${ORDERS} signed orders (3 lines, 2 suppliers) → routed → dispatched, concurrency ${CONCURRENCY} | ${results.orderFlow.ordersPerSecond} orders/s | ${results.orderFlow.baselineOrdersPerSecond} orders/s (bare pg, same rows, 1 tx per order) | ${ratio.toFixed(2)}× (goal ≥ ${results.orderFlow.goalRatio.toFixed(1)}×) |`,
      `| push → supplier visible at ${RATE} orders/s, p50 / p99 | ${results.orderFlow.latencyP50Ms} / ${results.orderFlow.latencyP99Ms} ms | – | p99 goal < ${results.orderFlow.goalP99Ms} ms |`,
      `| cancel push → supplier notified (inbox + ERP webhook) at ${RATE} orders/s, p50 / p99 | ${results.cancellation.notifiedP50Ms} / ${results.cancellation.notifiedP99Ms} ms | HTTP answer (inbox already shows it): ${results.cancellation.responseP50Ms} / ${results.cancellation.responseP99Ms} ms | p99 goal < ${results.cancellation.goalP99Ms} ms |`,
    ].join('\n');
    writeBenchResults('order-flow', results, table);
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(services.map(stopService));
    receiver.close();
  }
}

/**
 * The baseline: what routing writes for one order, as plain statements in one transaction per
 * order: the order and its 3 lines, 2 fulfillment orders with 3 lines and 5 hop prices, 3
 * reservations with their movements, and 3 outbox events.
 */
async function bareOrderWrites(url: string, orders: number, concurrency: number, distributorId: string, shopId: string): Promise<number> {
  const setup = new Client({ connectionString: url });
  await setup.connect();
  const stock = (await setup.query<{ warehouse_id: string; sku_id: string; merchant_id: string }>(`select warehouse_id::text, sku_id::text, merchant_id::text from stock_level order by 1, 2 limit 3`))
    .rows;
  const offer = (await setup.query<{ id: string; seller_merchant_id: string }>(`select id::text, seller_merchant_id::text from offer order by id limit 1`)).rows[0];
  await setup.end();
  const clients = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const connection = new Client({ connectionString: url });
      await connection.connect();
      return connection;
    }),
  );
  const started = process.hrtime.bigint();
  await inPool(
    Array.from({ length: orders }, (_, index) => index),
    concurrency,
    async (index) => {
      const db = clients[index % concurrency];
      await db.query('begin');
      const order = (
        await db.query<{ id: string }>(
          `insert into channel_order (merchant_id, shop_id, external_order_id, source, payload_hash, raw_payload, consignee_name, consignee_phone, province, city, district, address,
                                      currency, goods_amount, total_amount, status, routed_at)
           values ($1, $2, $3, 'push', md5($3), '{"lines":3}'::jsonb, '李四', '13900139000', '广东省', '广州市', '天河区', '体育西路 1 号', 'CNY', 14970, 14970, 'routed', now()) returning id`,
          [distributorId, shopId, `BASELINE-${index}`],
        )
      ).rows[0];
      const lineIds = (
        await db.query<{ id: string }>(
          `insert into channel_order_line (channel_order_id, line_no, shop_sku_code, quantity, unit_price_amount) select $1, g, 'CODE-' || g, 1, 4990 from generate_series(1, 3) g returning id`,
          [order.id],
        )
      ).rows.map((row) => row.id);
      const parcels = (
        await db.query<{ id: string }>(
          `insert into fulfillment_order (supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address, consignee_key, released_at)
           select $1, w, 'new', '李四', '13900139000', '广东省', '广州市', '天河区', '体育西路 1 号', md5($2), now() from unnest($3::bigint[]) w returning id`,
          [stock[0].merchant_id, order.id, [stock[0].warehouse_id, stock[1].warehouse_id]],
        )
      ).rows.map((row) => row.id);
      const fulfillmentLines = (
        await db.query<{ id: string }>(
          `insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, supply_price_amount, currency)
           select f, $1, l, $2, s, 1, 2200, 'CNY' from unnest($3::bigint[], $4::bigint[], $5::bigint[]) as r(f, l, s) returning id`,
          [order.id, distributorId, [parcels[0], parcels[0], parcels[1]], lineIds, stock.map((row) => row.sku_id)],
        )
      ).rows.map((row) => row.id);
      await db.query(
        `insert into fulfillment_line_hop (fulfillment_order_line_id, hop_index, offer_id, seller_merchant_id, buyer_merchant_id, unit_price_amount, currency)
         select l, h, $2, $3, $4, 2200, 'CNY' from unnest($1::bigint[], $5::int[]) as r(l, h)`,
        [[fulfillmentLines[0], fulfillmentLines[0], fulfillmentLines[1], fulfillmentLines[1], fulfillmentLines[2]], offer.id, offer.seller_merchant_id, distributorId, [0, 1, 0, 1, 0]],
      );
      await db.query(`update stock_level s set reserved = s.reserved + 1, updated_at = now() from unnest($1::bigint[], $2::bigint[]) as r(w, k) where s.warehouse_id = r.w and s.sku_id = r.k`, [
        stock.map((row) => row.warehouse_id),
        stock.map((row) => row.sku_id),
      ]);
      await db.query(
        `insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
         select $1, w, k, 0, 1, 'order_reserved', $4 from unnest($2::bigint[], $3::bigint[]) as r(w, k)`,
        [stock[0].merchant_id, stock.map((row) => row.warehouse_id), stock.map((row) => row.sku_id), `baseline:${order.id}`],
      );
      await db.query(`insert into outbox_event (type, merchant_id, aggregate_id, payload, processed_at) select 'bench.baseline', $1, a, '{}'::jsonb, now() from unnest($2::text[]) a`, [
        distributorId,
        [order.id, ...parcels],
      ]);
      await db.query('commit');
    },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await Promise.all(clients.map((connection) => connection.end()));
  return seconds;
}

runBench(main);
