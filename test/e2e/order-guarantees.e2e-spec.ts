import { Queue } from 'bullmq';
import { Client } from 'pg';
import { eventIdsOf, JOB_ROUTES, QueueName, redisConnectionOptions } from '@gongxiao/core';
import { DispatchProcessor, RoutingProcessor, WebhooksProcessor } from '../../apps/worker/src/outbox.processors';
import { expectError, expectStatus, PASSWORD, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../support/order-network';
import { countQueueKeys, deleteQueueKeys } from '../support/redis-keys';
import { Stage as TestStage, StageOptions, useStage, WorkerKind } from '../support/stage';
import { eventually } from '../support/webhook-sink';

/**
 * DESIGN.md "Guarantees", proven against real PostgreSQL, real Redis and the real worker (in this
 * process, and as child processes killed with SIGKILL): nothing lost, nothing doubled, no oversell.
 * Every story has its own database and its own BullMQ prefix, so counts are exact.
 */

/** What these stories measured, printed once at the end. */
const figures: string[] = [];

/** A stage of its own (database, BullMQ prefix, the in-process api, a worker) with the order network of order-network.ts on it. */
type Stage<Kind extends WorkerKind = WorkerKind> = TestStage<Kind> & { readonly network: OrderNetwork };

function useOrderStage<Kind extends WorkerKind = 'in-process'>(options: StageOptions<Kind> = {}): Stage<Kind> {
  const stage = useStage<Kind>({ ...options, config: { OUTBOX_POLL_MS: '50', ...options.config } });
  let network: OrderNetwork | undefined;
  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
  });
  return Object.defineProperty(stage, 'network', {
    get: () => {
      if (!network) throw new Error('The order network is built in beforeAll');
      return network;
    },
  }) as Stage<Kind>;
}

const push = (stage: Stage, order: unknown, shop = stage.network.shop) => stage.api.signedPost(`/v1/shops/${shop.id}/orders`, order, shop.secret);

/** Pushes every order at once; every one must be accepted on first receipt (202). */
async function pushAll(stage: Stage, orders: unknown[]): Promise<string[]> {
  const receipts = await Promise.all(orders.map((order, index) => push(stage, order, index % 2 ? stage.network.shop2 : stage.network.shop)));
  const refused = receipts.filter((receipt) => receipt.status !== 202);
  expect(refused.map((receipt) => ({ status: receipt.status, body: receipt.body }))).toEqual([]);
  return receipts.map((receipt) => String(receipt.body.id));
}

/** Orders of one to three lines across both suppliers and both factory warehouses. */
function mixedOrder(index: number) {
  const lines = [{ code: 'TSHIRT', quantity: 1 + (index % 3), unitPrice: PRICES.retailTshirt }];
  if (index % 4 === 1) lines.push({ code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug });
  if (index % 5 === 2) lines.push({ code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney });
  return shopOrder(lines, { province: index % 2 ? '广东省' : '浙江省' });
}

async function statusCounts(databaseUrl: string, orderIds: string[]): Promise<Record<string, number>> {
  const rows = await withDatabase(databaseUrl, (client) =>
    client.query<{ status: string; n: number }>(`select status, count(*)::int as n from channel_order where id = any($1::bigint[]) group by status`, [orderIds]),
  );
  return Object.fromEntries(rows.rows.map((row) => [row.status, row.n]));
}

async function unprocessedEvents(databaseUrl: string): Promise<number> {
  const rows = await withDatabase(databaseUrl, (client) => client.query<{ n: number }>(`select count(*)::int as n from outbox_event where processed_at is null`));
  return rows.rows[0].n;
}

/** Waits until every order is routed and every outbox event (routing, then dispatch) is processed. */
async function allRoutedAndSettled(databaseUrl: string, orderIds: string[], timeoutMs: number, what: () => string = () => ''): Promise<void> {
  let last: Record<string, number> = {};
  let open = -1;
  try {
    await eventually(
      async () => {
        last = await statusCounts(databaseUrl, orderIds);
        if (last.routed !== orderIds.length) return false;
        open = await unprocessedEvents(databaseUrl);
        return open === 0;
      },
      timeoutMs,
      'every order to be routed',
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; order statuses ${JSON.stringify(last)}, unprocessed outbox events ${open}\n${what()}`);
  }
}

/**
 * Exactly once: every order routed; every order line covered by fulfillment order lines exactly
 * once (their quantities add up to what was ordered); every order reserved its stock once; one
 * fulfillment order per order and warehouse, announced at most once; no outbox event left
 * unprocessed or failed.
 */
async function expectRoutedExactlyOnce(databaseUrl: string, orderIds: string[]): Promise<void> {
  expect(await statusCounts(databaseUrl, orderIds)).toEqual({ routed: orderIds.length });
  await withDatabase(databaseUrl, async (client) => {
    const lines = await client.query<{ id: string; quantity: number; covered: number }>(
      `select l.id::text, l.quantity, coalesce(sum(f.quantity), 0)::int as covered
         from channel_order_line l left join fulfillment_order_line f on f.channel_order_line_id = l.id
        where l.channel_order_id = any($1::bigint[]) group by l.id, l.quantity`,
      [orderIds],
    );
    expect(lines.rows.length).toBeGreaterThanOrEqual(orderIds.length);
    expect(lines.rows.filter((line) => line.covered !== line.quantity)).toEqual([]);

    const reservations = await client.query<{ id: string; ordered: number; reserved: number; reservations: number }>(
      `select o.id::text,
              (select sum(quantity) from channel_order_line where channel_order_id = o.id)::int as ordered,
              coalesce(m.reserved, 0)::int as reserved
         from channel_order o
         left join (select reference, sum(reserved_delta) as reserved from stock_movement where reason = 'order_reserved' group by reference) m
           on m.reference = 'channel_order:' || o.id
        where o.id = any($1::bigint[])`,
      [orderIds],
    );
    expect(reservations.rows.filter((row) => row.reserved !== row.ordered)).toEqual([]);

    // One fulfillment order per order and warehouse (no merge window here), announced at most once.
    const parcels = await client.query<{ channel_order_id: string; warehouse_id: string; orders: number }>(
      `select f.channel_order_id::text, o.warehouse_id::text, count(distinct o.id)::int as orders
         from fulfillment_order_line f join fulfillment_order o on o.id = f.fulfillment_order_id
        where f.channel_order_id = any($1::bigint[]) group by 1, 2`,
      [orderIds],
    );
    expect(parcels.rows.length).toBeGreaterThanOrEqual(orderIds.length);
    expect(parcels.rows.filter((row) => row.orders !== 1)).toEqual([]);
    const announced = await client.query<{ id: string; events: number }>(
      `select f.id::text, (select count(*) from outbox_event e where e.type = 'fulfillment_order.released' and e.aggregate_id = f.id::text)::int as events
         from fulfillment_order f
        where f.id in (select fulfillment_order_id from fulfillment_order_line where channel_order_id = any($1::bigint[]))`,
      [orderIds],
    );
    expect(announced.rows.filter((row) => row.events > 1)).toEqual([]);

    const outbox = await client.query(`select count(*) filter (where processed_at is null)::int as open, count(*) filter (where failed_at is not null)::int as failed from outbox_event`);
    expect(outbox.rows[0]).toEqual({ open: 0, failed: 0 });
  });
}

async function sumOf(databaseUrl: string, query: string, params: unknown[] = []): Promise<number> {
  const rows = await withDatabase(databaseUrl, (client) => client.query<{ n: number }>(query, params));
  return rows.rows[0].n;
}

describe('order guarantees: nothing lost, nothing doubled, no oversell', () => {
  afterAll(() => {
    if (figures.length > 0) process.stdout.write(`\norder guarantees — ${figures.join('; ')}\n`);
  });

  describe('with a worker running', () => {
    const stage = useOrderStage({ worker: 'in-process' });

    it('takes the same order pushed 20 times at once as one order with one event, routed once', async () => {
      const order = shopOrder([{ code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt }], { province: '浙江省' });
      const responses = await Promise.all(Array.from({ length: 20 }, () => push(stage, order)));

      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 202)).toHaveLength(1);
      expect(statuses.filter((status) => status === 200)).toHaveLength(19);
      const ids = new Set(responses.map((response) => response.body.id));
      expect(ids.size).toBe(1);
      const [id] = [...ids];
      expect(responses.filter((response) => response.body.duplicate === false)).toHaveLength(1);

      const stored = await withDatabase(stage.database.url, (client) =>
        client.query(
          `select (select count(*)::int from channel_order where external_order_id = $1) as orders,
                  (select count(*)::int from channel_order_line l join channel_order o on o.id = l.channel_order_id where o.external_order_id = $1) as lines,
                  (select count(*)::int from outbox_event where type = 'channel_order.received' and aggregate_id = $2) as events`,
          [order.externalOrderId, id],
        ),
      );
      expect(stored.rows[0]).toEqual({ orders: 1, lines: 1, events: 1 });

      await allRoutedAndSettled(stage.database.url, [id], 15_000);
      await expectRoutedExactlyOnce(stage.database.url, [id]);
      const routedLines = await withDatabase(stage.database.url, (client) =>
        client.query(`select warehouse_id::text, f.quantity from fulfillment_order_line f join fulfillment_order o on o.id = f.fulfillment_order_id where f.channel_order_id = $1`, [id]),
      );
      expect(routedLines.rows).toEqual([{ warehouse_id: stage.network.warehouses.zhejiang, quantity: 3 }]);

      // Pushed again once routed: the same order, in its new state, and no new event.
      const again = await push(stage, order);
      expectStatus(again, 200);
      expect(again.body).toEqual(expect.objectContaining({ id, duplicate: true, status: 'routed' }));
      expect(await sumOf(stage.database.url, `select count(*)::int as n from outbox_event where type = 'channel_order.received' and aggregate_id = $1`, [id])).toBe(1);
    });

    it('routes exactly 50 of 200 concurrent orders for the last 50 units and holds the other 150 as stock exceptions', async () => {
      const { network, database } = stage;
      const level = { warehouseId: network.warehouses.farm, skuId: network.skus.honey };
      expectStatus(await stage.api.put('/v1/stock-levels', { ...level, onHand: 50 }, network.farm.token), 200);

      const started = Date.now();
      const orderIds = await pushAll(
        stage,
        Array.from({ length: 200 }, () => shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney }])),
      );
      const pushed = Date.now();
      await eventually(async () => (await statusCounts(database.url, orderIds)).received === undefined, 30_000, 'all 200 orders to be routed or held');
      const settled = Date.now();
      figures.push(`200 concurrent orders: pushed in ${pushed - started} ms, all routed or held ${settled - started} ms after the first push`);

      const outcomes = await withDatabase(database.url, (client) =>
        client.query(`select status, exception_code, count(*)::int as n from channel_order where id = any($1::bigint[]) group by 1, 2 order by 1`, [orderIds]),
      );
      expect(outcomes.rows).toEqual([
        { status: 'exception', exception_code: 'stock_insufficient', n: 150 },
        { status: 'routed', exception_code: null, n: 50 },
      ]);

      const stock = await stage.api.get(`/v1/stock-levels?warehouseId=${level.warehouseId}&skuId=${level.skuId}`, network.farm.token);
      expect(stock.body.data).toEqual([expect.objectContaining({ onHand: 50, reserved: 50, available: 0 })]);

      const books = await withDatabase(database.url, (client) =>
        client.query(
          `select (select reserved from stock_level where warehouse_id = $1 and sku_id = $2) as reserved,
                  (select coalesce(sum(reserved_delta), 0)::int from stock_movement where warehouse_id = $1 and sku_id = $2) as movements,
                  (select coalesce(sum(quantity), 0)::int from fulfillment_order_line where sku_id = $2) as routed_units,
                  (select count(distinct channel_order_id)::int from fulfillment_order_line where sku_id = $2) as routed_orders,
                  (select count(*)::int from stock_movement m join channel_order o on m.reference = 'channel_order:' || o.id
                    where o.id = any($3::bigint[]) and o.status = 'exception') as held_reservations`,
          [level.warehouseId, level.skuId, orderIds],
        ),
      );
      expect(books.rows[0]).toEqual({ reserved: 50, movements: 50, routed_units: 50, routed_orders: 50, held_reservations: 0 });

      // A held order says why, in words a person can act on.
      const heldId = (await withDatabase(database.url, (client) => client.query(`select id::text from channel_order where id = any($1::bigint[]) and status = 'exception' limit 1`, [orderIds])))
        .rows[0].id;
      const held = await stage.api.get(`/v1/channel-orders/${heldId}`, network.distributor.token);
      expect(held.body).toEqual(expect.objectContaining({ status: 'exception', exceptionCode: 'stock_insufficient', exceptionReason: expect.stringMatching(/restock/i) }));
      // What follows routing (listing availability) drains shortly after.
      await eventually(async () => (await unprocessedEvents(database.url)) === 0, 10_000, 'the outbox to drain');
      await expectRoutedExactlyOnce(
        database.url,
        (await withDatabase(database.url, (client) => client.query(`select id::text from channel_order where id = any($1::bigint[]) and status = 'routed'`, [orderIds]))).rows.map(
          (row: { id: string }) => row.id,
        ),
      );
    });

    it('lets a distributor enter an order by hand, once, with roles, tenancy and Idempotency-Key respected', async () => {
      const { api, network, database } = stage;
      const order = shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }], { province: '广东省' });

      const created = await api.post('/v1/channel-orders', { shopId: network.shop.id, ...order }, network.distributor.token);
      expectStatus(created, 201);
      expect(created.body).toEqual(expect.objectContaining({ externalOrderId: order.externalOrderId, status: 'received', duplicate: false }));
      const again = await api.post('/v1/channel-orders', { shopId: network.shop.id, ...order }, network.distributor.token);
      expectStatus(again, 200);
      expect(again.body).toEqual(expect.objectContaining({ id: created.body.id, duplicate: true }));
      await allRoutedAndSettled(database.url, [created.body.id], 15_000);
      await expectRoutedExactlyOnce(database.url, [created.body.id]);
      const routed = await api.get(`/v1/channel-orders/${created.body.id}`, network.distributor.token);
      expect(routed.body).toEqual(expect.objectContaining({ status: 'routed', shopId: network.shop.id }));
      expect(await sumOf(database.url, `select count(*)::int as n from channel_order where id = $1 and source = 'manual'`, [created.body.id])).toBe(1);

      // A warehouse clerk of the distributor may read orders but not enter them.
      const email = `clerk-${Date.now().toString(36)}@example.com`;
      expectStatus(await api.post('/v1/members', { email, name: 'Clerk', role: 'warehouse', password: PASSWORD }, network.distributor.token), 201);
      const login = await api.post('/v1/auth/login', { email, password: PASSWORD });
      expectStatus(login, 200);
      const byClerk = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
      expectError(await api.post('/v1/channel-orders', { shopId: network.shop.id, ...byClerk }, login.body.token), 403, 'forbidden');

      // Another merchant cannot enter orders into the distributor's shop.
      const intruding = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
      expectError(await api.post('/v1/channel-orders', { shopId: network.shop.id, ...intruding }, network.factory.token), 404, 'shop_not_found', 'shopId');
      expect(await sumOf(database.url, `select count(*)::int as n from channel_order where external_order_id = any($1::text[])`, [[byClerk.externalOrderId, intruding.externalOrderId]])).toBe(0);

      // A retried POST with its Idempotency-Key answers the first response; the key on another body is refused.
      const key = `manual-${Date.now().toString(36)}`;
      const keyed = shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
      const first = await api.post('/v1/channel-orders', { shopId: network.shop.id, ...keyed }, network.distributor.token, { 'idempotency-key': key });
      expectStatus(first, 201);
      const replay = await api.post('/v1/channel-orders', { shopId: network.shop.id, ...keyed }, network.distributor.token, { 'idempotency-key': key });
      expect({ status: replay.status, body: replay.body }).toEqual({ status: 201, body: first.body });
      const other = shopOrder([{ code: 'MUG', quantity: 5, unitPrice: PRICES.retailMug }]);
      const reused = await api.post('/v1/channel-orders', { shopId: network.shop.id, ...other }, network.distributor.token, { 'idempotency-key': key });
      expectError(reused, 409, 'idempotency_key_reused');
      const stored = await withDatabase(database.url, (client) =>
        client.query(`select external_order_id, count(*)::int as n from channel_order where external_order_id = any($1::text[]) group by 1`, [[keyed.externalOrderId, other.externalOrderId]]),
      );
      expect(stored.rows).toEqual([{ external_order_id: keyed.externalOrderId, n: 1 }]);
      await allRoutedAndSettled(database.url, [first.body.id], 15_000);
      await expectRoutedExactlyOnce(database.url, [created.body.id, first.body.id]);
    });
  });

  describe('one job routes the orders waiting behind it', () => {
    const stage = useOrderStage({ worker: 'in-process', startWorker: false });

    /**
     * A worker whose routing waits until `release` is called, so that orders queue up behind it;
     * one job at a time, so that the first job takes every waiting order.
     */
    async function heldRouting(): Promise<{ release: () => Promise<void> }> {
      // The only worker: an earlier story's must not route these orders first.
      await stage.stopWorker();
      const worker = await stage.startWorker({ WORKER_CONCURRENCY: '1' });
      const routing = worker.get(RoutingProcessor).worker;
      await routing.pause();
      return { release: async () => routing.resume() };
    }

    const received = (orderIds: string[]) =>
      withDatabase(stage.database.url, (client) =>
        client.query<{ id: string; processed_at: Date | null; enqueued_at: Date | null }>(
          `select aggregate_id as id, processed_at, enqueued_at from outbox_event where type = 'channel_order.received' and aggregate_id = any($1::text[])`,
          [orderIds],
        ),
      );

    it('gives every order of a batch the outcome it would get alone: routed, merged with the same consignee, or held with its reason', async () => {
      const { api, network, database } = stage;
      // Honey: 3 units left, all in a warehouse that merges parcels to the same consignee.
      const merging = await api.post('/v1/warehouses', { code: 'MERGE', name: 'Merging', province: '四川省', priority: 0, mergeWindowMinutes: 5 }, network.farm.token);
      expectStatus(merging, 201);
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: merging.body.id, skuId: network.skus.honey, onHand: 3 }, network.farm.token), 200);
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: network.warehouses.farm, skuId: network.skus.honey, onHand: 0 }, network.farm.token), 200);
      const routing = await heldRouting();

      const sichuan = { name: '李四', phone: '13900000000', province: '四川省', city: '成都市', district: '武侯区', address: '天府大道 1 号' };
      const tshirt = (quantity: number) => ({ code: 'TSHIRT', quantity, unitPrice: PRICES.retailTshirt });
      const honey = (quantity: number) => ({ code: 'HONEY', quantity, unitPrice: PRICES.retailHoney });
      const orders = [
        shopOrder([tshirt(1)]),
        shopOrder([tshirt(2)], { province: '广东省' }),
        shopOrder([{ code: 'NO-SUCH-CODE', quantity: 1, unitPrice: 100 }]),
        shopOrder([tshirt(1), honey(1)], sichuan),
        shopOrder([honey(1)], sichuan),
        // One honey is left for this one: held, and nothing of it reserved.
        shopOrder([tshirt(1), honey(2)], { name: '王五' }),
        shopOrder([tshirt(3)]),
      ];
      // One at a time, so that their ids (the order a batch plans them in) follow the list.
      const ids: string[] = [];
      for (const order of orders) {
        const receipt = await push(stage, order);
        expectStatus(receipt, 202);
        ids.push(String(receipt.body.id));
      }
      await eventually(async () => (await received(ids)).rows.every((row) => row.enqueued_at !== null), 10_000, 'the relay to enqueue every order');
      await routing.release();
      await eventually(async () => (await received(ids)).rows.every((row) => row.processed_at !== null), 20_000, 'every order to be routed or held');

      // One transaction handled them all: the same processed_at (now() of one transaction).
      expect(new Set((await received(ids)).rows.map((row) => new Date(row.processed_at!).getTime())).size).toBe(1);
      await withDatabase(database.url, async (client) => {
        const statuses = await client.query<{ id: string; status: string; exception_code: string | null }>(
          `select id::text, status, exception_code from channel_order where id = any($1::bigint[]) order by id`,
          [ids],
        );
        expect(statuses.rows.map((row) => [row.status, row.exception_code])).toEqual([
          ['routed', null],
          ['routed', null],
          ['exception', 'unknown_shop_sku'],
          ['routed', null],
          ['routed', null],
          ['exception', 'stock_insufficient'],
          ['routed', null],
        ]);
        // The two Sichuan orders share one parcel at the merging warehouse; the held order reserved nothing.
        const merged = await client.query<{ id: string; status: string; orders: number; quantity: number }>(
          `select o.id::text, o.status, count(distinct l.channel_order_id)::int as orders, sum(l.quantity)::int as quantity
             from fulfillment_order o join fulfillment_order_line l on l.fulfillment_order_id = o.id where o.warehouse_id = $1 group by o.id`,
          [merging.body.id],
        );
        expect(merged.rows).toEqual([{ id: expect.any(String), status: 'pending_merge', orders: 2, quantity: 2 }]);
        const reserved = await client.query<{ reference: string; units: number }>(
          `select reference, sum(reserved_delta)::int as units from stock_movement where reason = 'order_reserved' group by reference order by reference`,
        );
        const ordered = [1, 2, 0, 2, 1, 0, 3];
        expect(Object.fromEntries(reserved.rows.map((row) => [row.reference, row.units]))).toEqual(
          Object.fromEntries(ids.map((id, index) => [`channel_order:${id}`, ordered[index]]).filter(([, units]) => units !== 0)),
        );
        const honeyLevel = await client.query(`select on_hand, reserved from stock_level where warehouse_id = $1 and sku_id = $2`, [merging.body.id, network.skus.honey]);
        expect(honeyLevel.rows[0]).toEqual({ on_hand: 3, reserved: 2 });
        // Exactly one fulfillment order line per order line that was routed.
        const covered = await client.query<{ n: number }>(
          `select count(*)::int as n from channel_order_line l join fulfillment_order_line f on f.channel_order_line_id = l.id where l.channel_order_id = any($1::bigint[])`,
          [ids],
        );
        expect(covered.rows[0].n).toBe(1 + 1 + 2 + 1 + 1);
      });
    });

    it('runs a redelivered event again even when BullMQ still keeps its finished job', async () => {
      await stage.stopWorker();
      await stage.startWorker({ OUTBOX_REDELIVER_SECONDS: '1' });
      const ids = await pushAll(stage, [mixedOrder(0)]);
      await eventually(async () => (await received(ids)).rows.every((row) => row.processed_at !== null), 20_000, 'the order to be routed');
      const parcels = () => withDatabase(stage.database.url, (client) => client.query(`select count(*)::int as n from fulfillment_order_line where channel_order_id = $1`, [ids[0]]));
      const before = (await parcels()).rows[0].n;
      // As if its effect had never been seen: the event is pending again, long since enqueued, while
      // its completed job is still kept by BullMQ (a re-add under the same id would do nothing).
      await withDatabase(stage.database.url, (client) =>
        client.query(`update outbox_event set processed_at = null, enqueued_at = now() - interval '1 hour' where type = 'channel_order.received' and aggregate_id = $1`, [ids[0]]),
      );
      await eventually(async () => (await received(ids)).rows.every((row) => row.processed_at !== null), 10_000, 'the redelivered event to run');
      // Running again changed nothing: the order was already routed.
      expect(await statusCounts(stage.database.url, ids)).toEqual({ routed: 1 });
      expect((await parcels()).rows[0].n).toBe(before);
    });

    it('hands the rest of a failing batch back: one event that cannot be handled holds up no order', async () => {
      const { database } = stage;
      const routing = await heldRouting();
      const ids = await pushAll(stage, [mixedOrder(0), mixedOrder(1), mixedOrder(2)]);
      // An event no handler can process (its order id is not a number), waiting with the orders.
      await withDatabase(database.url, (client) =>
        client.query(`insert into outbox_event (type, merchant_id, aggregate_id, payload) values ('channel_order.received', $1, 'poison', '{"channelOrderId": "not-a-number"}')`, [
          stage.network.distributor.merchantId,
        ]),
      );
      await eventually(async () => (await received([...ids, 'poison'])).rows.every((row) => row.enqueued_at !== null), 10_000, 'the relay to enqueue every event');
      await routing.release();
      await eventually(async () => (await received(ids)).rows.every((row) => row.processed_at !== null), 20_000, 'the good orders to be routed');
      expect(await statusCounts(database.url, ids)).toEqual({ routed: 3 });
      const poison = await received(['poison']);
      expect(poison.rows[0].processed_at).toBeNull();
      // Its failure is noted: later batches leave it to its own job (and that job's backoff).
      const noted = await withDatabase(database.url, (client) => client.query(`select last_error from outbox_event where aggregate_id = 'poison'`));
      expect(noted.rows[0].last_error).toMatch(/bigint|not-a-number/);
      // Out of the way of later stories: nothing will ever handle it.
      await withDatabase(database.url, (client) => client.query(`update outbox_event set failed_at = now() where aggregate_id = 'poison'`));
    });
  });

  describe('Redis loses every queued job while orders wait', () => {
    const stage = useOrderStage({ worker: 'in-process', startWorker: false });

    it('re-enqueues from PostgreSQL: every order is routed, exactly once', async () => {
      const { config, database } = stage;
      // A worker whose relay enqueues but whose processors take nothing.
      const paused = await stage.startWorker();
      for (const processor of [RoutingProcessor, DispatchProcessor, WebhooksProcessor]) await paused.get(processor).worker.pause();

      const orderIds = await pushAll(
        stage,
        Array.from({ length: 30 }, (_, index) => mixedOrder(index)),
      );
      await eventually(
        async () => (await sumOf(database.url, `select count(*)::int as n from outbox_event where type = 'channel_order.received' and enqueued_at is not null`)) === 30,
        10_000,
        'the relay to enqueue all 30 orders',
      );
      expect(await sumOf(database.url, `select count(*)::int as n from outbox_event where type = 'channel_order.received'`)).toBe(30);
      const queue = new Queue(QueueName.Routing, { connection: redisConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX });
      try {
        // The relay hands waiting orders to jobs in groups: every order is in exactly one waiting job.
        const counts = await queue.getJobCounts('wait', 'active', 'completed', 'failed');
        expect({ ...counts, wait: counts.wait > 0 }).toEqual({ wait: true, active: 0, completed: 0, failed: 0 });
        const carried = (await queue.getWaiting()).flatMap((job) => eventIdsOf(job.data));
        expect(carried).toHaveLength(30);
        expect(new Set(carried).size).toBe(30);
        expect(await statusCounts(database.url, orderIds)).toEqual({ received: 30 });

        // Redis restarts empty: every key of this environment is gone.
        expect(await deleteQueueKeys(config.REDIS_URL, config.QUEUE_PREFIX)).toBeGreaterThan(30);
        expect(await countQueueKeys(config.REDIS_URL, config.QUEUE_PREFIX)).toBe(0);
        expect(await queue.getJobCounts('wait', 'active', 'completed', 'failed')).toEqual({ wait: 0, active: 0, completed: 0, failed: 0 });
      } finally {
        await queue.close();
      }
      await stage.stopWorker();

      const started = Date.now();
      await stage.startWorker({ OUTBOX_REDELIVER_SECONDS: '1' });
      await allRoutedAndSettled(database.url, orderIds, 20_000);
      figures.push(`Redis emptied: 30 waiting orders re-enqueued and routed ${Date.now() - started} ms after a fresh worker started`);
      await expectRoutedExactlyOnce(database.url, orderIds);
      // Only PostgreSQL still knew of the work: it came back as re-enqueued events (the first of
      // them route the orders waiting behind them in one batch) and every event is done.
      expect(await sumOf(database.url, `select count(*)::int as n from outbox_event where type = 'channel_order.received' and enqueue_count >= 2`)).toBeGreaterThan(0);
      expect(await sumOf(database.url, `select count(*)::int as n from outbox_event where type = 'channel_order.received' and processed_at is not null`)).toBe(30);
      const total = await sumOf(database.url, `select coalesce(sum(quantity), 0)::int as n from channel_order_line`);
      expect(await sumOf(database.url, `select coalesce(sum(reserved), 0)::int as n from stock_level`)).toBe(total);

      // The same routing jobs delivered once more (a worker that died after its commit, before telling
      // Redis, has its job run again) change nothing.
      const events = await withDatabase(database.url, (client) =>
        client.query<{ id: string; merchant_id: string; payload: { channelOrderId: string } }>(
          `select id::text, merchant_id::text, payload from outbox_event where type = 'channel_order.received' order by id`,
        ),
      );
      const again = new Queue(QueueName.Routing, { connection: redisConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX });
      try {
        const jobs = await again.addBulk(
          events.rows.map((event) => ({
            name: 'channel_order.received',
            data: { eventId: event.id, type: 'channel_order.received', merchantId: event.merchant_id, payload: event.payload },
            opts: { jobId: `again-${event.id}` },
          })),
        );
        await eventually(async () => (await Promise.all(jobs.map((job) => again.getJobState(job.id!)))).every((state) => state === 'completed'), 15_000, 'the repeated jobs to run');
      } finally {
        await again.close();
      }
      await expectRoutedExactlyOnce(database.url, orderIds);
      expect(await sumOf(database.url, `select coalesce(sum(reserved), 0)::int as n from stock_level`)).toBe(total);
    });
  });

  describe('a worker process killed with SIGKILL in the middle of routing', () => {
    const stage = useOrderStage({ worker: 'process', startWorker: false });
    /** The backend of the test's own transaction, which holds a row lock that routing needs. */
    let lockPid = 0;

    /** Backends of the stage's database that wait for a lock (the test's, or one held by a backend waiting for it). */
    async function waitingBackends(): Promise<{ pid: number; onTheTest: boolean }[]> {
      const rows = await withDatabase(stage.database.url, (client) =>
        client.query<{ pid: number; on_the_test: boolean }>(
          `select pid, $1::int = any(pg_blocking_pids(pid)) as on_the_test from pg_stat_activity
            where datname = current_database() and cardinality(pg_blocking_pids(pid)) > 0 order by pid`,
          [lockPid],
        ),
      );
      return rows.rows.map((row) => ({ pid: row.pid, onTheTest: row.on_the_test }));
    }

    /**
     * True once all the work that is left is held up by the test's lock: a backend waits for it, no
     * order still waiting is free to be claimed (each is locked by a batch in flight), and no
     * transaction in flight is free to go on — so nothing more can commit before the kill.
     */
    async function onlyHeldWorkLeft(orderIds: string[]): Promise<boolean> {
      if (!(await waitingBackends()).some((backend) => backend.onTheTest)) return false;
      return withDatabase(stage.database.url, async (client) => {
        const free = await client.query<{ n: number }>(
          `select count(*)::int as n from (select id from channel_order where id = any($1::bigint[]) and status = 'received' for update skip locked) free`,
          [orderIds],
        );
        const going = await client.query<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and pid not in (pg_backend_pid(), $1::int) and xact_start is not null and cardinality(pg_blocking_pids(pid)) = 0`,
          [lockPid],
        );
        return free.rows[0].n === 0 && going.rows[0].n === 0;
      });
    }

    it('routes every order once after a restart, none twice', async () => {
      const { config, database, network } = stage;
      const settings = {
        LOG_LEVEL: 'warn',
        OUTBOX_REDELIVER_SECONDS: '2',
        // A dead worker's jobs are taken back after its lock expires (BullMQ's 30 s by default).
        WORKER_LOCK_SECONDS: '2',
        WORKER_STALLED_CHECK_SECONDS: '1',
      };
      // The test holds the honey stock row locked, as a long transaction of another process would. The
      // relay hands the waiting orders to jobs `group` at a time in id order, so with two jobs' worth of
      // orders without honey pushed first and one job's worth of honey-only orders last, the last batch
      // writes its fulfillment orders, marks its orders routed and then waits inside its transaction to
      // reserve the honey — holding no row the other batches need, so they route and commit. The kill
      // finds it there every time.
      const lock = new Client({ connectionString: database.url });
      await lock.connect();
      try {
        lockPid = (await lock.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0].pid;
        await lock.query('begin');
        const honeyRow = await lock.query('select 1 from stock_level where warehouse_id = $1 and sku_id = $2 for update', [network.warehouses.farm, network.skus.honey]);
        expect(honeyRow.rowCount).toBe(1);

        const group = JOB_ROUTES['channel_order.received'].group ?? 1;
        const withHoney = group;
        const total = 3 * group;
        // mixedOrder(index) wants honey when index % 5 === 2: those indexes take their neighbour's order.
        const withoutHoney = (index: number) => mixedOrder(index % 5 === 2 ? index + 1 : index);
        const orderIds = [
          ...(await pushAll(
            stage,
            Array.from({ length: total - withHoney }, (_, index) => withoutHoney(index)),
          )),
          ...(await pushAll(
            stage,
            Array.from({ length: withHoney }, () => shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney }])),
          )),
        ];

        const first = await stage.startWorker(settings);
        await eventually(() => onlyHeldWorkLeft(orderIds), 20_000, 'the first worker to route what it can and wait, mid-batch, for the honey row').catch((error: Error) => {
          throw new Error(`${error.message}\n${first.tail()}`);
        });
        const held = (await waitingBackends()).map((backend) => backend.pid);
        // Mid-batch: the waiting transactions have claimed their events and orders and written fulfillment orders, none of it committed.
        const written = await withDatabase(database.url, (client) =>
          client.query<{ relation: string }>(`select distinct relation::regclass::text as relation from pg_locks where pid = any($1::int[]) and locktype = 'relation' and mode = 'RowExclusiveLock'`, [
            held,
          ]),
        );
        expect(written.rows.map((row) => row.relation)).toEqual(expect.arrayContaining(['outbox_event', 'channel_order', 'fulfillment_order', 'fulfillment_order_line']));
        const routedAtKill = (await statusCounts(database.url, orderIds)).routed ?? 0;
        await first.kill('SIGKILL');
        // The batches without honey committed; the one with the honey orders cannot have.
        expect(routedAtKill).toBe(total - withHoney);
        // It died holding jobs: BullMQ still lists them as active, so re-adding them is a no-op until their lock expires.
        const queue = new Queue(QueueName.Routing, { connection: redisConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX });
        const orphaned = await queue.getActiveCount().finally(() => queue.close());
        expect(orphaned).toBeGreaterThan(0);

        // The lock goes; the dead worker's transactions find their client gone and roll back: nothing of them stays.
        await lock.query('rollback');
        await eventually(
          async () => {
            const rows = await withDatabase(database.url, (client) => client.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where pid = any($1::int[])`, [held]));
            return rows.rows[0].n === 0;
          },
          10_000,
          'the killed worker’s connections to end',
        );
        expect((await statusCounts(database.url, orderIds)).routed ?? 0).toBe(routedAtKill);

        const started = Date.now();
        const second = await stage.startWorker(settings);
        await allRoutedAndSettled(database.url, orderIds, 25_000, () => `second worker:\n${second.tail()}`);
        figures.push(
          `SIGKILL after ${routedAtKill}/${total} routed with ${orphaned} jobs in hand (${held.length} transaction(s) waiting mid-batch); the restarted worker finished the rest in ${Date.now() - started} ms`,
        );

        await expectRoutedExactlyOnce(database.url, orderIds);
        const ordered = await sumOf(database.url, `select coalesce(sum(quantity), 0)::int as n from channel_order_line`);
        expect(await sumOf(database.url, `select coalesce(sum(quantity), 0)::int as n from fulfillment_order_line`)).toBe(ordered);
        expect(await sumOf(database.url, `select coalesce(sum(reserved), 0)::int as n from stock_level`)).toBe(ordered);
        expect(await sumOf(database.url, `select coalesce(sum(reserved_delta), 0)::int as n from stock_movement`)).toBe(ordered);
      } finally {
        await lock.end();
      }
    });
  });
});
