import { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { OrdersService } from '@gongxiao/orders';
import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

/**
 * Two shipments of one shop order's two lines, committed at the same moment (two warehouses, or two
 * chunks of a backfill in flight together): the one that waits for the order's lock must see the
 * other's shipped line, so the order ends "shipped", never "partially shipped" for good.
 */
describe('Shop order status when two shipments of its lines overlap', () => {
  const stage = useStage({ worker: 'in-process' });
  let network: OrderNetwork;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
  });

  it('ends shipped when the second shipment waited for the first one’s lock', async () => {
    const order = shopOrder([
      { code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt },
      { code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug },
    ]);
    const push = await stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
    expectStatus(push, 202);
    const channelOrderId = String(push.body.id);
    expect((await orderRouted(stage.api, network, channelOrderId)).status).toBe('routed');
    const lines = await withDatabase(
      stage.database.url,
      async (client) => (await client.query<{ id: string; quantity: number }>(`select id::text, quantity from channel_order_line where channel_order_id = $1 order by line_no`, [channelOrderId])).rows,
    );
    expect(lines).toHaveLength(2);

    const orders = stage.api.app.get(OrdersService, { strict: false });
    const em = stage.api.app.get(MikroORM).em as EntityManager;
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstApplied!: () => void;
    const firstHasApplied = new Promise<void>((resolve) => (firstApplied = resolve));
    const first = em.fork().transactional(async (tx) => {
      const result = await orders.applyShipment(tx, [{ channelOrderLineId: lines[0].id, quantity: lines[0].quantity }]);
      firstApplied();
      await firstMayCommit;
      return result;
    });
    await firstHasApplied;
    const second = em.fork().transactional((tx) => orders.applyShipment(tx, [{ channelOrderLineId: lines[1].id, quantity: lines[1].quantity }]));
    // The second shipment has updated its line and waits for the order's row lock, held by the first.
    await eventually(
      () =>
        withDatabase(stage.database.url, async (client) => {
          const waiting = await client.query<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
          return waiting.rows[0].n > 0 || undefined;
        }),
      10_000,
      'the second shipment waiting for the order lock',
    );
    releaseFirst();
    const [firstResult, secondResult] = await Promise.all([first, second]);
    expect(firstResult.map((entry) => entry.status)).toEqual(['partially_shipped']);
    expect(secondResult.map((entry) => entry.status)).toEqual(['shipped']);
    const stored = await withDatabase(stage.database.url, (client) => client.query<{ status: string }>(`select status from channel_order where id = $1`, [channelOrderId]));
    expect(stored.rows[0].status).toBe('shipped');
  });
});
