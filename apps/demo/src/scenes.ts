import { Client } from 'pg';
import { exampleTrackingNumber } from '@gongxiao/core';
import { DemoClient, inPool } from './http-client';
import { progress, step } from './console-output';
import { DemoNetwork } from './network';
import { PlannedOrder, planOrders } from './order-generator';

const CARRIERS = ['SF', 'YTO', 'ZTO', 'STO', 'YUNDA', 'HTKY'];

/** The run's digits (its tag is the start time in base 36): tracking numbers of this run differ from an earlier run's. */
export const runSerial = (runTag: string) => String(parseInt(runTag.replace(/^R/, ''), 36) || 0).slice(-7);

/** What every scene of the demo acts with. */
export interface Stage {
  client: DemoClient;
  db: Client;
  network: DemoNetwork;
  runTag: string;
}

export interface PushOutcome {
  accepted: number;
  duplicates: number;
  rejected: number;
}

/** The shops push a burst of signed orders; every 50th is pushed twice and must not become a second order. */
export async function pushBurst({ client, network, runTag }: Stage, count: number, concurrency: number): Promise<{ orders: PlannedOrder[]; outcome: PushOutcome; pushSeconds: number }> {
  const orders = planOrders(network, count, runTag);
  step(`Pushing ${orders.length} signed orders over HTTP as the shops would (${concurrency} at a time)`);
  const pushStarted = Date.now();
  const outcome = { accepted: 0, duplicates: 0, rejected: 0 };
  let pushed = 0;
  await inPool(orders, concurrency, async (order, index) => {
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
  return { orders, outcome, pushSeconds };
}

/** Latency under a steady load rather than a burst: orders arrive one every 1/rate seconds. */
export async function pushPaced({ client, network, runTag }: Stage, count: number, rate: number, outcome: PushOutcome): Promise<PlannedOrder[]> {
  const paced = planOrders(network, count, `${runTag}P`);
  step(`Pushing ${paced.length} more orders at a steady ${rate} orders/s to measure latency without a backlog`);
  let pacedDone = 0;
  await Promise.all(
    paced.map(async (order, index) => {
      await new Promise((done) => setTimeout(done, (index * 1000) / rate));
      const response = await client.pushOrder(order.shop.id, order.shop.secret, order.body);
      if (response.status === 202) outcome.accepted++;
      else outcome.rejected++;
      progress('pushed (steady)', ++pacedDone, paced.length);
    }),
  );
  return paced;
}

/** Consumers change their minds before anything ships: each shop pushes a signed cancellation. */
export async function cancelBeforeShipping(
  { client }: Stage,
  orders: PlannedOrder[],
  count: number,
): Promise<{ toCancel: PlannedOrder[]; cancellations: { cancelled: number; interceptions: number } }> {
  const toCancel = orders
    .filter((order) => order.kind !== 'unknown-sku')
    .filter((_order, index) => index % 37 === 5)
    .slice(0, count);
  step(`Consumers cancel ${toCancel.length} orders before they ship (signed cancellations from their shops)`);
  const cancellations = { cancelled: 0, interceptions: 0 };
  for (const order of toCancel) {
    const response = await client.signedPost(`/v1/shops/${order.shop.id}/orders/${order.body.externalOrderId}/cancel`, order.shop.secret, { reason: 'the consumer changed their mind' });
    if (response.status !== 200) throw new Error(`cancellation of ${order.body.externalOrderId} failed: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    if (response.body.outcome === 'cancelled') cancellations.cancelled++;
    else cancellations.interceptions++;
  }
  return { toCancel, cancellations };
}

/** Suppliers with an ERP or staff at the inbox ship through the api: every fulfillment order with a tracking number. */
export async function shipEverything({ client, network, runTag }: Stage, suppliers = [network.factory, network.farm]): Promise<number> {
  step('The factory works its inbox through the api: every fulfillment order is shipped with a tracking number');
  const inbox: { supplier: typeof network.factory; id: string }[] = [];
  for (const supplier of suppliers) {
    let cursor: string | null = null;
    do {
      const page: { data: { id: string }[]; nextCursor: string | null } = await client.call('GET', `/v1/fulfillment-orders?status=new&limit=200${cursor ? `&cursor=${cursor}` : ''}`, {
        token: supplier.token,
      });
      inbox.push(...page.data.map((item) => ({ supplier, id: item.id })));
      cursor = page.nextCursor;
    } while (cursor);
  }
  let shipped = 0;
  await inPool(inbox, 16, async (item, index) => {
    const carrier = CARRIERS[index % CARRIERS.length];
    await client.call('POST', `/v1/fulfillment-orders/${item.id}/shipments`, {
      token: item.supplier.token,
      body: { carrierCode: carrier, trackingNumber: exampleTrackingNumber(carrier, `${runSerial(runTag)}${String(index).padStart(6, '0')}`) },
    });
    progress('shipped', ++shipped, inbox.length);
  });
  return shipped;
}

/**
 * After-sales: some consumers return goods (inside the 7-day window: approved at once), some keep
 * them for a partial refund (the supplier approves); refunds are recorded hop by hop.
 */
export async function runAfterSales(
  { client, db, network, runTag }: Stage,
  orders: PlannedOrder[],
  toCancel: PlannedOrder[],
  count: number,
): Promise<{ opened: number; refunded: number; partial: number }> {
  step(`After-sales: ${count} returns travel back along the chain; suppliers receive, restock and refund`);
  const returned = orders
    .filter((order) => order.kind === 'single-supplier' && !toCancel.includes(order))
    .filter((_order, index) => index % 41 === 7)
    .slice(0, count);
  const afterSales = { opened: 0, refunded: 0, partial: 0 };
  for (const [index, order] of returned.entries()) {
    const token = order.shop.distributor.token;
    // The shop knows its order id; the distributor's order id was in the push receipt (looked up here).
    const channelOrderId: string | undefined = (await db.query(`select id::text from channel_order where shop_id = $1 and external_order_id = $2`, [order.shop.id, order.body.externalOrderId])).rows[0]
      ?.id;
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
        await client.call('POST', `/v1/returns/${item.id}/return-shipment`, {
          token,
          body: { carrierCode: 'YTO', trackingNumber: exampleTrackingNumber('YTO', `${runSerial(runTag)}9${String(index).padStart(5, '0')}`) },
        });
        await client.call('POST', `/v1/returns/${item.id}/receive`, { token: supplier.token, body: { restock: true, note: 'as new' } });
        await client.call('POST', `/v1/returns/${item.id}/refund`, { token: supplier.token, body: {} });
      }
      afterSales.refunded++;
    }
  }
  return afterSales;
}
