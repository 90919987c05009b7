import { PlatformOutcome } from './platform-scene';
import type { ExcelBackfill } from './excel-scene';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { elapsed, progress } from './console-output';
import { percentile, waitFor } from './local-stack';
import { PlannedOrder } from './order-generator';
import { PushOutcome } from './scenes';

export interface Receiver {
  server: Server;
  url: string;
  counts: { erp: number; shop: number; stock: number };
}

/** Stands in for the factory's ERP and a shop's callback endpoint: counts what arrives. */
export async function startReceiver(): Promise<Receiver> {
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

export async function waitUntilRouted(db: Client, expected: number): Promise<void> {
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
export async function summarize(db: Client, warehouses: { id: string; code: string; province: string }[], pacedPrefix: string) {
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
  const span = await db.query(
    `select extract(epoch from (max(routed_at) - min(received_at)))::float as seconds from channel_order where starts_with(external_order_id, 'R') and not starts_with(external_order_id, $1)`,
    [pacedPrefix],
  );
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

export type Summary = Awaited<ReturnType<typeof summarize>>;

export interface DemoRun {
  orders: PlannedOrder[];
  paced: PlannedOrder[];
  outcome: PushOutcome;
  pushSeconds: number;
  pacedRate: number;
  cancellations: { cancelled: number; interceptions: number };
  shipped: number;
  afterSales: { opened: number; refunded: number; partial: number };
  receiver: Receiver;
  xlsx: { path: string; bytes: number };
  /** The farm's parcels, recorded from its order sheet uploaded back (回填物流单号). */
  excel: ExcelBackfill;
  /** The shops on Shopify, WooCommerce and Youzan: what they pushed in their own formats, what they were told back. */
  platforms: { orders: number; outcome: PlatformOutcome; calls: Record<string, number> };
}

/** What the demo did, as a table on the terminal; throws when the figures do not add up. */
export function printSummary(summary: Summary, run: DemoRun): void {
  const { orders, paced, outcome, pushSeconds, pacedRate: PACED_RATE, cancellations, shipped, afterSales, receiver } = run;
  const xlsxPath = run.xlsx.path;
  const xlsx = { length: run.xlsx.bytes };
  const latencies = summary.latenciesMs;
  const routedSeconds = summary.routedSpanSeconds;
  const lines = [
    ['Orders pushed', `${orders.length + paced.length} (${outcome.accepted} accepted, ${outcome.duplicates} re-pushed duplicates answered with the same order, ${outcome.rejected} refused)`],
    ['Orders routed', `${summary.routed} (${summary.split} split into several fulfillment orders: by supplier or across warehouses)`],
    [
      'Held as exceptions',
      `${summary.exceptions} (${
        Object.entries(summary.exceptionCodes)
          .map(([code, n]) => `${code}: ${n}`)
          .join(', ') || 'none'
      })`,
    ],
    ...summary.perWarehouse.map((row) => [`  ${row.code} (${row.province})`, `${row.fulfillmentOrders} fulfillment orders, ${row.units} units`] as [string, string]),
    [
      'Cancelled by consumers',
      `${cancellations.cancelled} before shipping (reservations released, suppliers told not to ship)${cancellations.interceptions ? `; ${cancellations.interceptions} needed an interception` : ''}`,
    ],
    [
      'Platform shops',
      `${run.platforms.orders} orders pushed in their own formats (Shopify ${run.platforms.outcome.pushed.shopify}, WooCommerce ${run.platforms.outcome.pushed.woocommerce}, 有赞 ${run.platforms.outcome.pushed.youzan}); ` +
        `${run.platforms.outcome.redeliveriesAnswered} re-deliveries answered without a second order; ${run.platforms.outcome.cancelled} cancelled on the platform; Youzan oid ${run.platforms.outcome.youzanOid} kept exact (${run.platforms.calls.youzanOidKept ? 'in the shop order' : 'NOT in the shop order'}, ${run.platforms.calls.youzanOidToldBack ? 'and told back to Youzan' : 'NOT told back'})`,
    ],
    [
      '  told back in their APIs',
      `Shopify ${run.platforms.calls.shopifyFulfillments} fulfillments, WooCommerce ${run.platforms.calls.wooOrderUpdates} order updates, 有赞 ${run.platforms.calls.youzanConfirmations} logistics confirmations; ` +
        `stock: ${run.platforms.calls.shopifyInventorySets + run.platforms.calls.wooStockBatches + run.platforms.calls.youzanQuantityUpdates} platform stock updates; ${run.platforms.calls.failed} calls failed`,
    ],
    ['Shipments recorded', `${shipped + run.excel.applied} (every channel order ${summary.shippedOrders === summary.routed ? 'now shipped' : `shipped: ${summary.shippedOrders}`})`],
    [
      '  by Excel (the farm)',
      `${run.excel.rows} rows of its order sheet filled in and uploaded back → ${run.excel.applied} parcels recorded, ${run.excel.rejected} rows rejected, in ${run.excel.seconds.toFixed(1)} s`,
    ],
    [
      'After-sales',
      `${afterSales.opened} return cases, ${afterSales.refunded} refunded (${afterSales.partial} partial refunds for goods kept); ${summary.refunds.rows} refunds recorded per hop, ¥${(summary.refunds.amount / 100).toFixed(2)} in all`,
    ],
    ['ERP webhooks (GD-GZ)', `${summary.deliveries.erp_delivered} deliveries to the warehouse ERP: new fulfillment orders and "do not ship" notices (${receiver.counts.erp} requests received)`],
    ['Shop callbacks', `${summary.deliveries.shop_delivered} shipment events delivered to the Youzan shop (${receiver.counts.shop} requests received); ${summary.deliveries.failed} deliveries failed`],
    ['Stock sync', `${receiver.counts.stock} coalesced stock updates sent to the Youzan shop (every listing at its latest availability)`],
    ['Push time', `${pushSeconds.toFixed(1)} s → ${(orders.length / pushSeconds).toFixed(0)} orders/s accepted over HTTP`],
    ['Routing throughput', `${routedSeconds.toFixed(1)} s from first push to last routed → ${(orders.length / Math.max(routedSeconds, 0.001)).toFixed(0)} orders/s (burst of ${orders.length})`],
    [
      'Push → supplier-visible',
      `steady ${PACED_RATE}/s: p50 ${percentile(summary.pacedLatenciesMs, 50).toFixed(0)} ms, p99 ${percentile(summary.pacedLatenciesMs, 99).toFixed(0)} ms; during the burst (queueing): p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`,
    ],
    ['Stock check', summary.stockConsistent ? 'stock movements sum to every stock level; nothing left reserved' : 'MISMATCH between stock movements and levels'],
    ['Excel export', `${xlsxPath} (${(xlsx.length / 1024).toFixed(0)} KiB)`],
    ['Total time', elapsed().trim()],
  ];
  const width = Math.max(...lines.map(([label]) => label.length));
  console.log('\n\x1b[1mGongxiao demo — summary\x1b[0m');
  for (const [label, value] of lines) console.log(`  ${label.padEnd(width)}  ${value}`);
  if (
    outcome.rejected > 0 ||
    !summary.stockConsistent ||
    summary.routed + summary.exceptions + summary.cancelled !== orders.length + paced.length + run.platforms.orders ||
    run.platforms.calls.failed > 0 ||
    !run.platforms.calls.youzanOidKept ||
    !run.platforms.calls.youzanOidToldBack ||
    afterSales.refunded !== afterSales.opened
  ) {
    throw new Error('The demo finished with inconsistencies (see above).');
  }
}
