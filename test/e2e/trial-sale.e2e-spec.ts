import { EntityManager } from '@mikro-orm/postgresql';
import { INestApplicationContext } from '@nestjs/common';
import { exampleTrackingNumber } from '@gongxiao/core';
import { OfferTrialsService } from '@gongxiao/offers';
import { cny, expectError, expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

const HOUR = 3_600_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
/** A trial running now, for a day. */
const running = (price: number, unitsPerBuyer: number) => ({ price: cny(price), unitsPerBuyer, startsAt: iso(-HOUR), endsAt: iso(24 * HOUR) });

interface HopRow {
  hop_index: number;
  unit_price_amount: string;
  trial_units: number;
  trial_unit_price_amount: string;
}

/**
 * Trial sale (五折试销): a seller lets each buyer try new goods at a lower price for its first units
 * within a period. Routing takes trial units first and freezes them on the hop beside the regular
 * price; each hop of a chain has its own trial for its own buyer; holds, parcels and the ledger
 * charge exactly what the units cost; a cancelled unit gives its trial unit back; the buyer reads
 * what its trial came to.
 */
describe('trial sale', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;

  const push = (order: unknown, shop = network.shop) => api.signedPost(`/v1/shops/${shop.id}/orders`, order, shop.secret);
  const query = async <Row>(sql: string, params: unknown[] = []): Promise<Row[]> => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];
  const routedOrder = async (lines: { code: string; quantity: number; unitPrice: number }[]) => {
    const receipt = await push(shopOrder(lines));
    expectStatus(receipt, 202);
    const order = await orderRouted(api, network, receipt.body.id);
    expect(order.status).toBe('routed');
    return receipt.body.id as string;
  };
  /** Every hop of the order's lines of one SKU, summed over warehouses, by hop. */
  const hopsOf = (channelOrderId: string, skuId: string) =>
    query<HopRow>(
      `select h.hop_index, h.unit_price_amount::text, sum(h.trial_units)::int as trial_units, max(h.trial_unit_price_amount)::text as trial_unit_price_amount
         from fulfillment_line_hop h join fulfillment_order_line l on l.id = h.fulfillment_order_line_id
        where l.channel_order_id = $1 and l.sku_id = $2 group by h.hop_index, h.unit_price_amount order by h.hop_index`,
      [channelOrderId, skuId],
    );
  const holdsOf = (channelOrderId: string) =>
    query<{
      hop_index: number;
      quantity: number;
      trial_quantity: number;
      unit_price_amount: string;
      trial_unit_price_amount: string;
      posted_quantity: number;
      voided_quantity: number;
      voided_trial_quantity: number;
    }>(
      `select hop_index, quantity, trial_quantity, unit_price_amount::text, trial_unit_price_amount::text, posted_quantity, voided_quantity, voided_trial_quantity
         from settlement_hold where channel_order_id = $1 order by channel_order_line_id, hop_index`,
      [channelOrderId],
    );
  /** Goods charged for the shop order, per buyer → seller, once its parcels' events are handled. */
  const goodsCharged = (channelOrderId: string) =>
    query<{ seller: string; buyer: string; amount: string; units: number }>(
      `select seller_merchant_id::text as seller, buyer_merchant_id::text as buyer, sum(amount)::text as amount, sum(quantity)::int as units
         from ledger_entry where channel_order_id = $1 and kind = 'goods' group by seller_merchant_id, buyer_merchant_id order by seller_merchant_id`,
      [channelOrderId],
    );
  const fulfillmentLine = async (channelOrderId: string) =>
    (await query<{ id: string; fulfillment_order_id: string }>(`select id::text, fulfillment_order_id::text from fulfillment_order_line where channel_order_id = $1 order by id`, [channelOrderId]))[0];
  const ship = async (channelOrderId: string, quantity: number, suffix: string, token = network.factory.token) => {
    const line = await fulfillmentLine(channelOrderId);
    const shipment = await api.post(
      `/v1/fulfillment-orders/${line.fulfillment_order_id}/shipments`,
      { carrierCode: 'SF', trackingNumber: exampleTrackingNumber('SF', `${channelOrderId}${suffix}`), lines: [{ lineId: line.id, quantity }] },
      token,
    );
    expectStatus(shipment, 201);
    return shipment.body.id as string;
  };
  const settled = (shipmentId: string) =>
    eventually(
      async () =>
        (await query<{ n: number }>(`select count(*)::int as n from outbox_event where type = 'shipment.recorded' and aggregate_id = $1 and processed_at is not null`, [shipmentId]))[0].n === 1,
      20_000,
      `shipment ${shipmentId} accrued`,
    );

  beforeAll(async () => {
    network = await buildOrderNetwork(api, { stock: 500 });
  });

  it('refuses trial terms that are not below the price, have no period or another currency, naming the field and changing nothing', async () => {
    const offer = network.offers.factoryTshirt;
    const patch = (body: unknown) => api.patch(`/v1/offers/${offer}`, body, network.factory.token);
    expectError(await patch({ trial: running(PRICES.factoryTshirt, 3) }), 400, 'validation_failed', 'trial.price.amount');
    expectError(await patch({ trial: { ...running(1500, 3), endsAt: iso(-2 * HOUR) } }), 400, 'validation_failed', 'trial.endsAt');
    expectError(await patch({ trial: { ...running(1500, 0) } }), 400, 'validation_failed', 'trial.unitsPerBuyer');
    expectError(await patch({ trial: { ...running(1500, 3), price: { amount: 1500, currency: 'USD' } } }), 400, 'validation_failed', 'trial.price.currency');
    expectError(await patch({ trial: { ...running(1500, 3), startsAt: 'tomorrow' } }), 400, 'validation_failed', 'trial.startsAt');
    expect((await api.get(`/v1/offers/${offer}`, network.factory.token)).body.trial).toBeNull();
    // With a trial, the regular price may not fall to it.
    expectStatus(await api.patch(`/v1/offers/${network.offers.farmHoney}`, { trial: running(1000, 3) }, network.farm.token), 200);
    expectError(await api.patch(`/v1/offers/${network.offers.farmHoney}`, { price: cny(1000) }, network.farm.token), 400, 'validation_failed', 'price.amount');
    expectStatus(await api.patch(`/v1/offers/${network.offers.farmHoney}`, { trial: null }, network.farm.token), 200);
    expect((await api.get(`/v1/offers/${network.offers.farmHoney}`, network.farm.token)).body).toEqual(expect.objectContaining({ price: cny(PRICES.farmHoney), trial: null }));
  });

  it('prices trial units along a broker chain that passes the trial on, each hop for its own buyer, a line straddling the limit, and the limit across orders', async () => {
    // The factory lets the broker try 4 T-shirts at half price; the broker lets each of its buyers try 3 at its own trial price.
    const factory = await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { trial: running(1500, 4) }, network.factory.token);
    expectStatus(factory, 200);
    expect(factory.body.trial).toEqual(expect.objectContaining({ price: cny(1500), unitsPerBuyer: 4, active: true }));
    expectStatus(await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { trial: running(2000, 3) }, network.broker.token), 200);
    // Each buyer sees its own trial and units left (the distributor never the broker's).
    const seen = await api.get(`/v1/available-offers/${network.offers.brokerTshirt}`, network.distributor.token);
    expect(seen.body.trial).toEqual(expect.objectContaining({ price: cny(2000), unitsPerBuyer: 3, unitsLeft: 3, active: true }));
    expect((await api.get(`/v1/available-offers/${network.offers.factoryTshirt}`, network.broker.token)).body.trial).toEqual(expect.objectContaining({ price: cny(1500), unitsLeft: 4 }));

    // 5 T-shirts: 3 at the broker's trial price and 2 at its price; the broker buys 4 at the factory's trial price and 1 at its price.
    const first = await routedOrder([{ code: 'TSHIRT', quantity: 5, unitPrice: PRICES.retailTshirt }]);
    expect(await hopsOf(first, network.skus.tshirt)).toEqual([
      { hop_index: 0, unit_price_amount: String(PRICES.brokerTshirt), trial_units: 3, trial_unit_price_amount: '2000' },
      { hop_index: 1, unit_price_amount: String(PRICES.factoryTshirt), trial_units: 4, trial_unit_price_amount: '1500' },
    ]);
    expect(await holdsOf(first)).toEqual([
      expect.objectContaining({ hop_index: 0, quantity: 5, trial_quantity: 3, unit_price_amount: String(PRICES.brokerTshirt), trial_unit_price_amount: '2000' }),
      expect.objectContaining({ hop_index: 1, quantity: 5, trial_quantity: 4, unit_price_amount: String(PRICES.factoryTshirt), trial_unit_price_amount: '1500' }),
    ]);
    expect((await api.get(`/v1/available-offers/${network.offers.brokerTshirt}`, network.distributor.token)).body.trial.unitsLeft).toBe(0);

    // The trial is used up for both buyers: the next order pays the regular prices at both hops.
    const second = await routedOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]);
    expect(await hopsOf(second, network.skus.tshirt)).toEqual([
      { hop_index: 0, unit_price_amount: String(PRICES.brokerTshirt), trial_units: 0, trial_unit_price_amount: '0' },
      { hop_index: 1, unit_price_amount: String(PRICES.factoryTshirt), trial_units: 0, trial_unit_price_amount: '0' },
    ]);

    // Two parcels of the straddling line: trial units ship first, and the ledger charges exactly what each unit cost.
    const parcel1 = await ship(first, 2, '01');
    await settled(parcel1);
    expect(await goodsCharged(first)).toEqual(
      [
        { seller: network.broker.merchantId, buyer: network.distributor.merchantId, amount: String(2 * 2000), units: 2 },
        { seller: network.factory.merchantId, buyer: network.broker.merchantId, amount: String(2 * 1500), units: 2 },
      ].sort((a, b) => Number(a.seller) - Number(b.seller)),
    );
    const parcel2 = await ship(first, 3, '02');
    await settled(parcel2);
    expect(await goodsCharged(first)).toEqual(
      [
        { seller: network.broker.merchantId, buyer: network.distributor.merchantId, amount: String(3 * 2000 + 2 * PRICES.brokerTshirt), units: 5 },
        { seller: network.factory.merchantId, buyer: network.broker.merchantId, amount: String(4 * 1500 + 1 * PRICES.factoryTshirt), units: 5 },
      ].sort((a, b) => Number(a.seller) - Number(b.seller)),
    );
    // The second parcel's trial units are entries of their own at the trial price.
    const entries = await query<{ source_key: string; quantity: number; unit_price_amount: string }>(
      `select source_key, quantity, unit_price_amount::text from ledger_entry where shipment_id = $1 and kind = 'goods' and buyer_merchant_id = $2 order by source_key`,
      [parcel2, network.distributor.merchantId],
    );
    expect(entries).toEqual([
      { source_key: expect.stringMatching(/:hop:0$/), quantity: 2, unit_price_amount: String(PRICES.brokerTshirt) },
      { source_key: expect.stringMatching(/:hop:0:trial$/), quantity: 1, unit_price_amount: '2000' },
    ]);
    // Every hold is posted whole: nothing of it stays held.
    expect((await holdsOf(first)).every((hold) => hold.posted_quantity === hold.quantity)).toBe(true);
    const held = await query<{ held: string }>(
      `select coalesce(sum(unit_price_amount * (quantity - posted_quantity - voided_quantity)), 0)::text as held from settlement_hold where channel_order_id = $1`,
      [first],
    );
    expect(held[0].held).toBe('0');

    // The consumer rates the T-shirts 1 star (a bad review by the factory's threshold): the figures count it.
    const [{ external_order_id: externalOrderId }] = await query<{ external_order_id: string }>(`select external_order_id from channel_order where id = $1`, [first]);
    const review = { externalReviewId: `RV-${first}`, externalOrderId, lineNo: 1, rating: 1, text: '起球' };
    expectStatus(await api.signedPost(`/v1/shops/${network.shop.id}/reviews`, review, network.shop.secret), 201);
    // The distributor reads what its trial came to.
    const figures = await api.get(`/v1/available-offers/${network.offers.brokerTshirt}/trial`, network.distributor.token);
    expectStatus(figures, 200);
    expect(figures.body).toEqual({
      offerId: network.offers.brokerTshirt,
      trial: expect.objectContaining({ price: cny(2000), unitsLeft: 0 }),
      unitsAtTrialPrice: 3,
      unitsShipped: 3,
      unitsReturned: 0,
      orders: 1,
      badReviews: 1,
    });
    // A returned trial unit keeps its trial (it was used) and is refunded at the trial price it cost, at every hop.
    const opened = await api.post(`/v1/channel-orders/${first}/returns`, { kind: 'return_and_refund', reason: 'too small', lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token);
    expectStatus(opened, 201);
    const returned = opened.body.returns[0];
    expect(returned.money.paidToSeller).toEqual(cny(2000));
    expectStatus(await api.post(`/v1/returns/${returned.id}/return-shipment`, { carrierCode: 'YTO', trackingNumber: 'YT1234567890123' }, network.distributor.token), 200);
    expectStatus(await api.post(`/v1/returns/${returned.id}/receive`, { restock: true }, network.factory.token), 200);
    expectStatus(await api.post(`/v1/returns/${returned.id}/refund`, {}, network.factory.token), 200);
    expect(await query(`select hop_index, amount::text from return_refund where return_request_id = $1 order by hop_index`, [returned.id])).toEqual([
      { hop_index: 0, amount: '2000' },
      { hop_index: 1, amount: '1500' },
    ]);
    expect((await api.get(`/v1/available-offers/${network.offers.brokerTshirt}/trial`, network.distributor.token)).body).toEqual(
      expect.objectContaining({ unitsAtTrialPrice: 3, unitsReturned: 1, trial: expect.objectContaining({ unitsLeft: 0 }) }),
    );
    // Another merchant's trial figures are not there to read.
    expectError(await api.get(`/v1/available-offers/${network.offers.brokerTshirt}/trial`, network.farm.token), 404, 'offer_not_found');
  });

  it('lets a broker keep the trial it buys on: its buyer pays the regular price while the broker pays the trial price', async () => {
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryMug}`, { trial: running(750, 10) }, network.factory.token), 200);
    expect((await api.get(`/v1/available-offers/${network.offers.brokerMug}`, network.distributor.token)).body.trial).toBeNull();
    const order = await routedOrder([{ code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug }]);
    expect(await hopsOf(order, network.skus.mug)).toEqual([
      { hop_index: 0, unit_price_amount: String(PRICES.brokerMug), trial_units: 0, trial_unit_price_amount: '0' },
      { hop_index: 1, unit_price_amount: String(PRICES.factoryMug), trial_units: 2, trial_unit_price_amount: '750' },
    ]);
    expect((await api.get(`/v1/available-offers/${network.offers.factoryMug}`, network.broker.token)).body.trial).toEqual(expect.objectContaining({ unitsLeft: 8 }));
    const parcel = await ship(order, 2, '01');
    await settled(parcel);
    expect(await goodsCharged(order)).toEqual(
      [
        { seller: network.broker.merchantId, buyer: network.distributor.merchantId, amount: String(2 * PRICES.brokerMug), units: 2 },
        { seller: network.factory.merchantId, buyer: network.broker.merchantId, amount: String(2 * 750), units: 2 },
      ].sort((a, b) => Number(a.seller) - Number(b.seller)),
    );
  });

  it('prices an order outside the period at the regular price, and gives a cancelled unit its trial unit back', async () => {
    // The farm's trial starts tomorrow: today's order pays the regular price.
    const later = { price: cny(1000), unitsPerBuyer: 3, startsAt: iso(24 * HOUR), endsAt: iso(48 * HOUR) };
    const patched = await api.patch(`/v1/offers/${network.offers.farmHoney}`, { trial: later }, network.farm.token);
    expect(patched.body.trial).toEqual(expect.objectContaining({ active: false }));
    const before = await routedOrder([{ code: 'HONEY', quantity: 2, unitPrice: PRICES.retailHoney }]);
    expect(await hopsOf(before, network.skus.honey)).toEqual([{ hop_index: 0, unit_price_amount: String(PRICES.farmHoney), trial_units: 0, trial_unit_price_amount: '0' }]);

    // Once it runs, 5 jars straddle the limit of 3; cancelling 3 of them leaves 2 live units, both trial units: one trial unit goes back.
    expectStatus(await api.patch(`/v1/offers/${network.offers.farmHoney}`, { trial: running(1000, 3) }, network.farm.token), 200);
    const straddling = await routedOrder([{ code: 'HONEY', quantity: 5, unitPrice: PRICES.retailHoney }]);
    expect(await hopsOf(straddling, network.skus.honey)).toEqual([{ hop_index: 0, unit_price_amount: String(PRICES.farmHoney), trial_units: 3, trial_unit_price_amount: '1000' }]);
    expectStatus(await api.post(`/v1/channel-orders/${straddling}/cancel`, { lines: [{ lineNo: 1, quantity: 3 }] }, network.distributor.token), 200);
    expect((await api.get(`/v1/available-offers/${network.offers.farmHoney}`, network.distributor.token)).body.trial).toEqual(expect.objectContaining({ unitsLeft: 1 }));
    // Settlement voids the cancelled units at what they cost: 2 regular and 1 trial unit.
    const [hold] = await eventually(
      async () => {
        const holds = await holdsOf(straddling);
        return holds[0]?.voided_quantity === 3 && holds;
      },
      20_000,
      'the cancelled units voided',
    );
    expect(hold).toEqual(expect.objectContaining({ quantity: 5, trial_quantity: 3, voided_quantity: 3, voided_trial_quantity: 1 }));
    const balance = await query<{ held: string }>(`select held_amount::text as held from settlement_balance where seller_merchant_id = $1 and buyer_merchant_id = $2`, [
      network.farm.merchantId,
      network.distributor.merchantId,
    ]);
    // What stays held for the pair: 2 regular jars of the earlier order and the 2 trial jars left of this one.
    expect(balance[0].held).toBe(String(2 * PRICES.farmHoney + 2 * 1000));
    const parcel = await ship(straddling, 2, '01', network.farm.token);
    await settled(parcel);
    expect(await goodsCharged(straddling)).toEqual([{ seller: network.farm.merchantId, buyer: network.distributor.merchantId, amount: String(2 * 1000), units: 2 }]);
    const figures = await api.get(`/v1/available-offers/${network.offers.farmHoney}/trial`, network.distributor.token);
    expect(figures.body).toEqual(expect.objectContaining({ unitsAtTrialPrice: 2, unitsShipped: 2, orders: 1, trial: expect.objectContaining({ unitsLeft: 1 }) }));
  });

  it('never gives more trial units than each buyer may have, however many orders route at once', async () => {
    // A fresh offer of honey to the distributor alone, so that its count starts at zero, listed in both shops.
    const offer = await api.post(
      '/v1/offers',
      { skuId: network.skus.honey, buyerMerchantId: network.distributor.merchantId, price: cny(PRICES.farmHoney), trial: running(1000, 3) },
      network.farm.token,
    );
    expectStatus(offer, 201);
    for (const shop of [network.shop, network.shop2]) {
      expectStatus(await api.post('/v1/listings', { shopId: shop.id, shopSkuCode: 'HONEY-TRIAL', offerId: offer.body.id, retailPrice: cny(PRICES.retailHoney) }, network.distributor.token), 201);
    }
    const receipts = await Promise.all(
      Array.from({ length: 8 }, (_, index) => push(shopOrder([{ code: 'HONEY-TRIAL', quantity: 1, unitPrice: PRICES.retailHoney }]), index % 2 ? network.shop : network.shop2)),
    );
    for (const receipt of receipts) expect((await orderRouted(api, network, receipt.body.id)).status).toBe('routed');
    const trial = await query<{ units: number; orders: number }>(
      `select coalesce(sum(h.trial_units), 0)::int as units, count(*) filter (where h.trial_units > 0)::int as orders
         from fulfillment_line_hop h where h.offer_id = $1`,
      [offer.body.id],
    );
    expect(trial[0]).toEqual({ units: 3, orders: 3 });
    expect(await query(`select units_taken from offer_trial_use where offer_id = $1`, [offer.body.id])).toEqual([{ units_taken: 3 }]);

    // Two transactions taking the last units at once: the second waits for the first and is refused.
    const worker = stage.worker as INestApplicationContext;
    const trials = worker.get(OfferTrialsService);
    const em = worker.get(EntityManager);
    const take = { offerId: offer.body.id as string, buyerMerchantId: network.broker.merchantId, units: 2, priceAmount: 1000 };
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = em.fork().transactional(async (tx) => {
      const taken = await trials.take(tx, [take]);
      await firstHolds;
      return taken;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const racing = em.fork().transactional((tx) => trials.take(tx, [take]));
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();
    expect(await first).toBe(true);
    expect(await racing).toBe(false);
    expect(await query(`select units_taken from offer_trial_use where offer_id = $1 and buyer_merchant_id = $2`, [offer.body.id, network.broker.merchantId])).toEqual([{ units_taken: 2 }]);
  });
});
