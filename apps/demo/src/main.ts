import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DemoClient, inPool } from './http-client';
import { clearQueues, freshDatabase, percentile, ROOT, startService, stopService, waitFor } from './local-stack';
import { buildNetwork } from './network';
import { planOrders } from './order-generator';

const OUT = resolve(ROOT, 'out');
const ORDERS = Number(process.env.DEMO_ORDERS ?? 1000);
const CONCURRENCY = Number(process.env.DEMO_CONCURRENCY ?? 32);
const PORT = Number(process.env.DEMO_PORT ?? 3917);
const PACED_ORDERS = Number(process.env.DEMO_PACED_ORDERS ?? 100);
const PACED_RATE = Number(process.env.DEMO_PACED_RATE ?? 20);
const DEMO_DATABASE = 'gongxiao_demo';
const QUEUE_PREFIX = 'gx-demo';
const CARRIERS = ['SF', 'YTO', 'ZTO', 'STO', 'YUNDA', 'JD'];
const CANCELLATIONS = Number(process.env.DEMO_CANCELLATIONS ?? 20);
const RETURNS = Number(process.env.DEMO_RETURNS ?? 12);

const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1).padStart(6)} s`;
const step = (message: string) => console.log(`\x1b[36m[demo ${elapsed()}]\x1b[0m ${message}`);
const progress = (label: string, done: number, total: number) => {
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  const line = `  ${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${done >= total ? '\n' : ''}`);
  else if (done === total || done % Math.max(1, Math.floor(total / 10)) === 0) console.log(line);
};





/** Stands in for the factory's ERP and a shop's callback endpoint: counts what arrives. */
async function startReceiver(): Promise<{ server: Server; url: string; counts: { erp: number; shop: number; stock: number } }> {
  const counts = { erp: 0, shop: 0, stock: 0 };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/erp') counts.erp++;
      if (request.url === '/shop' && request.headers['x-gongxiao-event'] === 'listing.availability_changed') counts.stock++;
      else if (request.url === '/shop') counts.shop++;
      response.end('ok');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, counts };
}




async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

  step(`Creating a fresh database "${DEMO_DATABASE}" and migrating it`);
  const databaseUrlForDemo = await freshDatabase(baseUrl, DEMO_DATABASE);
  await clearQueues(redisUrl, QUEUE_PREFIX);
  const receiver = await startReceiver();

  step(`Starting the api (port ${PORT}) and a worker`);
  const env = { ...process.env, DATABASE_URL: databaseUrlForDemo, REDIS_URL: redisUrl, QUEUE_PREFIX, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', OUTBOX_POLL_MS: '100' };
  const services = [startService('api', env, OUT, 'demo-'), startService('worker', env, OUT, 'demo-')];
  const db = new Client({ connectionString: databaseUrlForDemo });
  try {
    for (const service of services) {
      service.once('exit', (code) => {
        if (code !== null && code !== 0) console.error(`A demo service exited with code ${code}; see out/demo-*.log`);
      });
    }
    const client = new DemoClient(`http://127.0.0.1:${PORT}`);
    await waitFor('the api to answer /health', async () => (await fetch(`${client.baseUrl}/health`)).status === 200, 60_000);
    await db.connect();

    step('Building the network through the API: factory (2 warehouses), farm, broker, 2 distributors, 3 shops');
    const runTag = `R${Date.now().toString(36).toUpperCase()}`;
    const network = await buildNetwork(client, runTag.toLowerCase(), `${receiver.url}/erp`, `${receiver.url}/shop`);

    const orders = planOrders(network, ORDERS, runTag);
    step(`Pushing ${orders.length} signed orders over HTTP as the shops would (${CONCURRENCY} at a time)`);
    const pushStarted = Date.now();
    const outcome = { accepted: 0, duplicates: 0, rejected: 0 };
    let pushed = 0;
    await inPool(orders, CONCURRENCY, async (order, index) => {
      const response = await client.pushOrder(order.shop.id, order.shop.secret, order.body);
      if (response.status === 202) outcome.accepted++;
      else if (response.status === 200) outcome.duplicates++;
      else {
        outcome.rejected++;
        console.error(`  order ${order.body.externalOrderId} refused: HTTP ${response.status} ${JSON.stringify(response.body)}`);
      }
      // Shops retry: every 50th order is pushed a second time and must not become a second order.
      if (index % 50 === 0) {
        const again = await client.pushOrder(order.shop.id, order.shop.secret, order.body);
        if (again.status === 200) outcome.duplicates++;
        else outcome.rejected++;
      }
      progress('pushed', ++pushed, orders.length);
    });
    const pushSeconds = (Date.now() - pushStarted) / 1000;

    step('Waiting until the worker has split and routed every order');
    await waitUntilRouted(db, orders.length);

    // Latency under a steady load rather than a burst: orders arrive one every 1/rate seconds.
    const paced = planOrders(network, PACED_ORDERS, `${runTag}P`);
    step(`Pushing ${paced.length} more orders at a steady ${PACED_RATE} orders/s to measure latency without a backlog`);
    let pacedDone = 0;
    await Promise.all(
      paced.map(async (order, index) => {
        await new Promise((done) => setTimeout(done, (index * 1000) / PACED_RATE));
        const response = await client.pushOrder(order.shop.id, order.shop.secret, order.body);
        if (response.status === 202) outcome.accepted++;
        else outcome.rejected++;
        progress('pushed (steady)', ++pacedDone, paced.length);
      }),
    );
    await waitUntilRouted(db, orders.length + paced.length);

    // Consumers change their minds before anything ships: each shop pushes a signed cancellation.
    const toCancel = orders.filter((order) => order.kind !== 'unknown-sku').filter((_order, index) => index % 37 === 5).slice(0, CANCELLATIONS);
    step(`Consumers cancel ${toCancel.length} orders before they ship (signed cancellations from their shops)`);
    const cancellations = { cancelled: 0, interceptions: 0 };
    for (const order of toCancel) {
      const response = await client.signedPost(`/v1/shops/${order.shop.id}/orders/${order.body.externalOrderId}/cancel`, order.shop.secret, { reason: 'the consumer changed their mind' });
      if (response.status !== 200) throw new Error(`cancellation of ${order.body.externalOrderId} failed: HTTP ${response.status} ${JSON.stringify(response.body)}`);
      if (response.body.outcome === 'cancelled') cancellations.cancelled++;
      else cancellations.interceptions++;
    }

    step('Suppliers work their inboxes: every fulfillment order is shipped with a tracking number');
    const inbox: { supplier: typeof network.factory; id: string }[] = [];
    for (const supplier of [network.factory, network.farm]) {
      let cursor: string | null = null;
      do {
        const page: { data: { id: string }[]; nextCursor: string | null } = await client.call('GET', `/v1/fulfillment-orders?status=new&limit=200${cursor ? `&cursor=${cursor}` : ''}`, { token: supplier.token });
        inbox.push(...page.data.map((item) => ({ supplier, id: item.id })));
        cursor = page.nextCursor;
      } while (cursor);
    }
    let shipped = 0;
    await inPool(inbox, 16, async (item, index) => {
      const carrier = CARRIERS[index % CARRIERS.length];
      await client.call('POST', `/v1/fulfillment-orders/${item.id}/shipments`, {
        token: item.supplier.token,
        body: { carrierCode: carrier, trackingNumber: `${carrier}${runTag}${String(index).padStart(6, '0')}` },
      });
      progress('shipped', ++shipped, inbox.length);
    });

    // After-sales: some consumers return goods (inside the 7-day window: approved at once), some keep
    // them for a partial refund (the supplier approves); refunds are recorded hop by hop.
    step(`After-sales: ${RETURNS} returns travel back along the chain; suppliers receive, restock and refund`);
    const returned = orders.filter((order) => order.kind === 'single-supplier' && !toCancel.includes(order)).filter((_order, index) => index % 41 === 7).slice(0, RETURNS);
    const afterSales = { opened: 0, refunded: 0, partial: 0 };
    for (const [index, order] of returned.entries()) {
      const token = order.shop.distributor.token;
      // The shop knows its order id; the distributor's order id was in the push receipt (looked up here).
      const channelOrderId: string | undefined = (await db.query(`select id::text from channel_order where shop_id = $1 and external_order_id = $2`, [order.shop.id, order.body.externalOrderId])).rows[0]?.id;
      if (!channelOrderId) continue;
      const keepsGoods = index % 3 === 2;
      const opened = await client.call('POST', `/v1/channel-orders/${channelOrderId}/returns`, {
        token,
        body: { kind: keepsGoods ? 'refund_only' : 'return_and_refund', reason: keepsGoods ? 'small scratch, keeps it for a partial refund' : 'wrong size', lines: [{ lineNo: 1, quantity: 1 }] },
      });
      for (const item of opened.returns as { id: string }[]) {
        afterSales.opened++;
        const supplier = (await client.call('GET', `/v1/returns/${item.id}`, { token: network.factory.token, expect: [200, 404] }))?.yourRole === 'supplier' ? network.factory : network.farm;
        if (keepsGoods) {
          const approved = await client.call('POST', `/v1/returns/${item.id}/approve`, { token: supplier.token, body: { reason: 'goodwill' } });
          const half = Math.floor((approved.money.paidByBuyer?.amount ?? 0) / 2);
          await client.call('POST', `/v1/returns/${item.id}/refund`, { token: supplier.token, body: { amount: { amount: half, currency: 'CNY' } } });
          afterSales.partial++;
        } else {
          await client.call('POST', `/v1/returns/${item.id}/return-shipment`, { token, body: { carrierCode: 'YTO', trackingNumber: `YTRET${runTag}${String(index).padStart(4, '0')}` } });
          await client.call('POST', `/v1/returns/${item.id}/receive`, { token: supplier.token, body: { restock: true, note: 'as new' } });
          await client.call('POST', `/v1/returns/${item.id}/refund`, { token: supplier.token, body: {} });
        }
        afterSales.refunded++;
      }
    }

    const xlsx = await client.download('/v1/fulfillment-orders/export.xlsx?status=shipped', network.factory.token);
    const xlsxPath = resolve(OUT, 'supplier-shipped-orders.xlsx');
    writeFileSync(xlsxPath, xlsx);

    step('Waiting for ERP deliveries and shop callbacks to drain');
    await waitFor(
      'webhook deliveries',
      async () => (await db.query(`select count(*)::int as open from webhook_delivery where status not in ('delivered', 'failed')`)).rows[0].open === 0,
      60_000,
    ).catch((error: Error) => console.warn(`  ${error.message}`));

    const summary = await summarize(db, network.warehouses, `${runTag}P-`);
    const latencies = summary.latenciesMs;
    const routedSeconds = summary.routedSpanSeconds;
    const lines = [
      ['Orders pushed', `${orders.length + paced.length} (${outcome.accepted} accepted, ${outcome.duplicates} re-pushed duplicates answered with the same order, ${outcome.rejected} refused)`],
      ['Orders routed', `${summary.routed} (${summary.split} split into several fulfillment orders: by supplier or across warehouses)`],
      ['Held as exceptions', `${summary.exceptions} (${Object.entries(summary.exceptionCodes).map(([code, n]) => `${code}: ${n}`).join(', ') || 'none'})`],
      ...summary.perWarehouse.map((row) => [`  ${row.code} (${row.province})`, `${row.fulfillmentOrders} fulfillment orders, ${row.units} units`] as [string, string]),
      ['Cancelled by consumers', `${cancellations.cancelled} before shipping (reservations released, suppliers told not to ship)${cancellations.interceptions ? `; ${cancellations.interceptions} needed an interception` : ''}`],
      ['Shipments recorded', `${shipped} (every channel order ${summary.shippedOrders === summary.routed ? 'now shipped' : `shipped: ${summary.shippedOrders}`})`],
      ['After-sales', `${afterSales.opened} return cases, ${afterSales.refunded} refunded (${afterSales.partial} partial refunds for goods kept); ${summary.refunds.rows} refunds recorded per hop, ¥${(summary.refunds.amount / 100).toFixed(2)} in all`],
      ['ERP webhooks (GD-GZ)', `${summary.deliveries.erp_delivered} deliveries to the warehouse ERP: new fulfillment orders and "do not ship" notices (${receiver.counts.erp} requests received)`],
      ['Shop callbacks', `${summary.deliveries.shop_delivered} shipment events delivered to the Youzan shop (${receiver.counts.shop} requests received); ${summary.deliveries.failed} deliveries failed`],
      ['Stock sync', `${receiver.counts.stock} coalesced stock updates sent to the Youzan shop (every listing at its latest availability)`],
      ['Push time', `${pushSeconds.toFixed(1)} s → ${(orders.length / pushSeconds).toFixed(0)} orders/s accepted over HTTP`],
      ['Routing throughput', `${routedSeconds.toFixed(1)} s from first push to last routed → ${(orders.length / Math.max(routedSeconds, 0.001)).toFixed(0)} orders/s (burst of ${orders.length})`],
      ['Push → supplier-visible', `steady ${PACED_RATE}/s: p50 ${percentile(summary.pacedLatenciesMs, 50).toFixed(0)} ms, p99 ${percentile(summary.pacedLatenciesMs, 99).toFixed(0)} ms; during the burst (queueing): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`],
      ['Stock check', summary.stockConsistent ? 'stock movements sum to every stock level; nothing left reserved' : 'MISMATCH between stock movements and levels'],
      ['Excel export', `${xlsxPath} (${(xlsx.length / 1024).toFixed(0)} KiB)`],
      ['Total time', elapsed().trim()],
    ];
    const width = Math.max(...lines.map(([label]) => label.length));
    console.log('\n\x1b[1mGongxiao demo — summary\x1b[0m');
    for (const [label, value] of lines) console.log(`  ${label.padEnd(width)}  ${value}`);
    writeFileSync(resolve(OUT, 'demo-summary.json'), JSON.stringify({ outcome, shipped, erpReceived: receiver.counts.erp, shopCallbacks: receiver.counts.shop, ...summary }, null, 2));
    if (outcome.rejected > 0 || !summary.stockConsistent || summary.routed + summary.exceptions + summary.cancelled !== orders.length + paced.length || afterSales.refunded !== afterSales.opened) {
      throw new Error('The demo finished with inconsistencies (see above).');
    }
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(services.map(stopService));
    receiver.server.close();
  }
}

async function waitUntilRouted(db: Client, expected: number): Promise<void> {
  await waitFor(
    'every order to be routed',
    async () => {
      const { rows } = await db.query(`select count(*) filter (where status <> 'received')::int as done from channel_order`);
      progress('routed', rows[0].done, expected);
      return rows[0].done === expected;
    },
    300_000,
  );
}

/** Figures read back from PostgreSQL (the source of truth); latency is received → routed commit. */
async function summarize(db: Client, warehouses: { id: string; code: string; province: string }[], pacedPrefix: string) {
  const statuses = await db.query(`select status, exception_code, count(*)::int as n from channel_order group by 1, 2`);
  const count = (predicate: (row: { status: string }) => boolean) => statuses.rows.filter(predicate).reduce((sum, row) => sum + row.n, 0);
  const exceptionCodes: Record<string, number> = {};
  for (const row of statuses.rows.filter((row) => row.status === 'exception')) exceptionCodes[row.exception_code] = row.n;
  const split = await db.query(`select count(*)::int as n from (select channel_order_id from fulfillment_order_line group by 1 having count(distinct fulfillment_order_id) > 1) t`);
  const merged = await db.query(`select count(*)::int as n from (select fulfillment_order_id from fulfillment_order_line group by 1 having count(distinct channel_order_id) > 1) t`);
  const perWarehouse = await db.query(
    `select o.warehouse_id::text as id, count(distinct o.id)::int as fulfillment_orders, coalesce(sum(l.quantity), 0)::int as units
       from fulfillment_order o join fulfillment_order_line l on l.fulfillment_order_id = o.id group by 1`,
  );
  const latency = await db.query(
    `select extract(epoch from (routed_at - received_at)) * 1000 as ms, starts_with(external_order_id, $1) as paced from channel_order where routed_at is not null order by 1`,
    [pacedPrefix],
  );
  const span = await db.query(`select extract(epoch from (max(routed_at) - min(received_at)))::float as seconds from channel_order where not starts_with(external_order_id, $1)`, [pacedPrefix]);
  const stock = await db.query(
    `select count(*)::int as mismatches from stock_level s
       left join (select warehouse_id, sku_id, sum(on_hand_delta) as on_hand, sum(reserved_delta) as reserved from stock_movement group by 1, 2) m
         on m.warehouse_id = s.warehouse_id and m.sku_id = s.sku_id
      where s.on_hand <> coalesce(m.on_hand, 0) or s.reserved <> coalesce(m.reserved, 0) or s.reserved <> 0`,
  );
  const refunds = await db.query(`select count(*)::int as rows, coalesce(sum(amount), 0)::bigint as amount from return_refund`);
  const deliveries = await db.query(
    `select count(*) filter (where status = 'delivered' and target_kind = 'warehouse_erp')::int as erp_delivered,
            count(*) filter (where status = 'delivered' and target_kind = 'shop_callback')::int as shop_delivered,
            count(*) filter (where status = 'failed')::int as failed from webhook_delivery`,
  );
  return {
    routed: count((row) => ['routed', 'partially_shipped', 'shipped'].includes(row.status)),
    shippedOrders: count((row) => row.status === 'shipped'),
    exceptions: count((row) => row.status === 'exception'),
    cancelled: count((row) => row.status === 'cancelled'),
    refunds: { rows: refunds.rows[0].rows as number, amount: Number(refunds.rows[0].amount) },
    exceptionCodes,
    split: split.rows[0].n,
    merged: merged.rows[0].n,
    perWarehouse: warehouses.map((warehouse) => {
      const row = perWarehouse.rows.find((item) => item.id === warehouse.id);
      return { code: warehouse.code, province: warehouse.province, fulfillmentOrders: row?.fulfillment_orders ?? 0, units: row?.units ?? 0 };
    }),
    latenciesMs: latency.rows.filter((row) => !row.paced).map((row) => Number(row.ms)),
    pacedLatenciesMs: latency.rows.filter((row) => row.paced).map((row) => Number(row.ms)),
    routedSpanSeconds: Number(span.rows[0].seconds ?? 0),
    stockConsistent: stock.rows[0].mismatches === 0,
    deliveries: deliveries.rows[0] as { erp_delivered: number; shop_delivered: number; failed: number },
  };
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\n\x1b[31mDemo failed: ${(error as Error).message}\x1b[0m\nThe api and worker logs are in out/demo-api.log and out/demo-worker.log.`);
    process.exit(1);
  },
);
