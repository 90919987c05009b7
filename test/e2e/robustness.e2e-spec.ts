import { cny, expectError, expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

/**
 * What goes wrong in real use: orders that share suppliers in opposite orders at once, listings
 * deleted after the worker knew them, odd timestamps, racing duplicate creations, warehouses
 * switched off, and an order whose routing job gave up.
 */
describe('robustness', () => {
  const { api, database } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  let network: OrderNetwork;

  const push = (order: unknown) => api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  const status = (id: string) => api.get(`/v1/channel-orders/${id}`, network.distributor.token);

  beforeAll(async () => {
    network = await buildOrderNetwork(api, { stock: 10_000 });
  });

  afterAll(async () => {});

  it('routes 120 concurrent two-supplier orders whose lines come in opposite orders, none failed or stuck', async () => {
    const orders = Array.from({ length: 120 }, (_, index) =>
      shopOrder(
        index % 2
          ? [
              { code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt },
              { code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney },
            ]
          : [
              { code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney },
              { code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt },
            ],
      ),
    );
    const receipts = await Promise.all(orders.map(push));
    expect(receipts.every((receipt) => receipt.status === 202)).toBe(true);
    const ids = receipts.map((receipt) => String(receipt.body.id));
    await eventually(
      async () => {
        const rows = await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from channel_order where id = any($1::bigint[]) and status = 'routed'`, [ids]));
        return rows.rows[0].n === ids.length;
      },
      60_000,
      'every order routed',
    );
    const failed = await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from outbox_event where failed_at is not null`));
    expect(failed.rows[0].n).toBe(0);
  });

  it('deletes a paused listing the worker already computed availability for', async () => {
    const listing = await api.post('/v1/listings', { shopId: network.shop.id, shopSkuCode: 'TO-DELETE', offerId: network.offers.farmHoney, retailPrice: cny(100) }, network.distributor.token);
    expectStatus(listing, 201);
    await eventually(
      async () => {
        const page = await api.get(`/v1/listing-availability?shopId=${network.shop.id}&limit=200`, network.distributor.token);
        return page.body.data.some((item: { listingId: string }) => item.listingId === listing.body.id);
      },
      15_000,
      'the listing availability',
    );
    expectStatus(await api.patch(`/v1/listings/${listing.body.id}`, { status: 'paused' }, network.distributor.token), 200);
    expectStatus(await api.delete(`/v1/listings/${listing.body.id}`, network.distributor.token), 204);
    expectError(await api.get(`/v1/listings/${listing.body.id}`, network.distributor.token), 404, 'listing_not_found');
  });

  it('refuses timestamps PostgreSQL would not take with a 400 naming the field', async () => {
    const order = { ...shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]), placedAt: '2026-11-22T10' };
    expectError(await push(order), 400, 'validation_failed', 'placedAt');
    expectError(await api.get('/v1/fulfillment-orders?createdFrom=2026-W47', network.factory.token), 400, 'validation_failed', 'createdFrom');
    expectError(await api.get('/v1/listing-availability?updatedSince=%2B2026-11-22', network.distributor.token), 400, 'validation_failed', 'updatedSince');
    expectStatus(await push({ ...shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]), placedAt: '2026-11-22T10:00:00+08:00' }), 202);
  });

  it('answers racing identical creations with one success and 409s, never a 500', async () => {
    const listings = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.post('/v1/listings', { shopId: network.shop.id, shopSkuCode: 'RACE-1', offerId: network.offers.farmHoney, retailPrice: cny(100) }, network.distributor.token),
      ),
    );
    expect(listings.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const warehouses = await Promise.all(Array.from({ length: 8 }, () => api.post('/v1/warehouses', { code: 'RACE-WH', name: 'Race', province: '湖南省' }, network.farm.token)));
    expect(warehouses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
  });

  it('updates listing availability when a supplier switches a warehouse off and on', async () => {
    const listings = await api.get(`/v1/listings?shopId=${network.shop2.id}`, network.distributor.token);
    const honeyListing = listings.body.data.find((listing: { shopSkuCode: string }) => listing.shopSkuCode === 'HONEY').id;
    const honey = async () => {
      const page = await api.get(`/v1/listing-availability?shopId=${network.shop2.id}&limit=200`, network.distributor.token);
      return page.body.data.find((item: { listingId: string }) => item.listingId === honeyListing)?.available as number | undefined;
    };
    await eventually(async () => ((await honey()) ?? 0) > 0, 15_000, 'honey listed with stock');
    expectStatus(await api.patch(`/v1/warehouses/${network.warehouses.farm}`, { status: 'inactive' }, network.farm.token), 200);
    await eventually(async () => (await honey()) === 0, 15_000, 'honey listing at 0');
    expectStatus(await api.patch(`/v1/warehouses/${network.warehouses.farm}`, { status: 'active' }, network.farm.token), 200);
    await eventually(async () => ((await honey()) ?? 0) > 0, 15_000, 'honey listing back');
  });

  it('routes an order again when its routing job gave up, and refuses a retry while it is still waiting', async () => {
    const receipt = await push(shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]));
    await eventually(async () => (await status(receipt.body.id)).body.status === 'routed', 15_000, 'the order routed');
    // Simulate an order whose routing gave up: back to received, its event marked failed.
    await withDatabase(database.url, async (client) => {
      await client.query(`update channel_order set status = 'received' where id = $1`, [receipt.body.id]);
      await client.query(`update outbox_event set processed_at = null, failed_at = now() where type = 'channel_order.received' and aggregate_id = $1`, [receipt.body.id]);
      await client.query(`delete from fulfillment_line_hop where fulfillment_order_line_id in (select id from fulfillment_order_line where channel_order_id = $1)`, [receipt.body.id]);
      await client.query(`delete from fulfillment_order_line where channel_order_id = $1`, [receipt.body.id]);
    });
    expectStatus(await api.post(`/v1/channel-orders/${receipt.body.id}/retry`, {}, network.distributor.token), 200);
    expectError(await api.post(`/v1/channel-orders/${receipt.body.id}/retry`, {}, network.distributor.token), 409, /channel_order_routing_pending|channel_order_illegal_transition/);
    await eventually(async () => (await status(receipt.body.id)).body.status === 'routed', 15_000, 'the order routed again');
  });
});
