import { cny, expectStatus, withDatabase } from '../support/merchant-network';
import { exampleTrackingNumber } from '@gongxiao/core';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

/**
 * What fulfillment and after-sales tell settlement, read straight from the outbox: every fact a
 * ledger needs travels in the event (settlement reads none of their tables). And routing holds
 * what each buyer owes along the chain: an order whose buyer lacks funds waits, with a reason a
 * person can act on, until the funds arrive.
 */
describe('the settlement feed', () => {
  const { api, database } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  let network: OrderNetwork;
  /** Shipping fees per parcel, in fen: each seller sets its own on its own offer. */
  const FEES = { factoryTshirt: 800, brokerTshirt: 1000 };

  const push = (order: unknown) => api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  const routed = (id: string) => orderRouted(api, network, id);
  const query = async <Row>(sql: string, params: unknown[] = []): Promise<Row[]> => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];
  const events = <Payload>(type: string, aggregateId: string) =>
    query<{ payload: Payload; merchant_id: string }>(`select payload, merchant_id::text from outbox_event where type = $1 and aggregate_id = $2 order by id`, [type, aggregateId]);
  const fulfillmentOrderOf = async (channelOrderId: string) =>
    (await query<{ id: string }>(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [channelOrderId])).map((row) => row.id);
  const tshirtHops = () => [
    {
      hopIndex: 0,
      sellerMerchantId: network.broker.merchantId,
      buyerMerchantId: network.distributor.merchantId,
      unitPriceAmount: String(PRICES.brokerTshirt),
      shippingFeeAmount: String(FEES.brokerTshirt),
      currency: 'CNY',
    },
    {
      hopIndex: 1,
      sellerMerchantId: network.factory.merchantId,
      buyerMerchantId: network.broker.merchantId,
      unitPriceAmount: String(PRICES.factoryTshirt),
      shippingFeeAmount: String(FEES.factoryTshirt),
      currency: 'CNY',
    },
  ];

  beforeAll(async () => {
    network = await buildOrderNetwork(api, { stock: 500 });
    // The factory charges the broker a fee per parcel; the broker passes a fee of its own down to the distributor.
    const factoryFee = await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shippingFee: cny(FEES.factoryTshirt) }, network.factory.token);
    expectStatus(factoryFee, 200);
    expect(factoryFee.body.shippingFee).toEqual(cny(FEES.factoryTshirt));
    expectStatus(await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { shippingFee: cny(FEES.brokerTshirt) }, network.broker.token), 200);
    // The distributor sees the fee it pays, never the broker's cost.
    const available = await api.get(`/v1/available-offers/${network.offers.brokerTshirt}`, network.distributor.token);
    expect(available.body).toEqual(expect.objectContaining({ price: cny(PRICES.brokerTshirt), shippingFee: cny(FEES.brokerTshirt) }));
  });

  it('holds an order whose buyer lacks funds, names the partnership and the amounts, and routes it once the funds arrive', async () => {
    // The distributor pays the broker in advance and has paid nothing yet.
    await query(
      `insert into settlement_balance (seller_merchant_id, buyer_merchant_id, currency, terms, paid_amount) values ($1, $2, 'CNY', 'prepaid', 0)
       on conflict (seller_merchant_id, buyer_merchant_id, currency) do update set terms = 'prepaid', paid_amount = 0, credit_limit_amount = 0`,
      [network.broker.merchantId, network.distributor.merchantId],
    );
    const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt }]));
    expectStatus(receipt, 202);
    const held = await routed(receipt.body.id);
    expect(held.status).toBe('exception');
    expect(held).toEqual(
      expect.objectContaining({
        exceptionCode: 'insufficient_funds',
        exceptionReason: `You lack funds with seller ${network.broker.merchantId}: this order needs ¥120.00 and ¥0.00 is available (short ¥120.00). Top up with that seller or ask it to raise your credit limit; the order is routed again automatically.`,
      }),
    );
    expect(await fulfillmentOrderOf(receipt.body.id)).toEqual([]);
    expect(await query(`select 1 from settlement_hold where channel_order_id = $1`, [receipt.body.id])).toEqual([]);

    // The distributor tops up; settlement says so, and the order is routed again by itself.
    await query(`update settlement_balance set paid_amount = 1000000 where seller_merchant_id = $1 and buyer_merchant_id = $2`, [network.broker.merchantId, network.distributor.merchantId]);
    await query(`insert into outbox_event (type, merchant_id, aggregate_id, payload) values ('funds.added', $1, $2, $3)`, [
      network.broker.merchantId,
      `${network.broker.merchantId}:${network.distributor.merchantId}`,
      { sellerMerchantId: network.broker.merchantId, buyerMerchantId: network.distributor.merchantId, currency: 'CNY' },
    ]);
    const order = await eventually(
      async () => {
        const response = await api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token);
        return response.body.status === 'routed' && response.body;
      },
      20_000,
      'the held order routed after the top-up',
    );
    expect(order.exceptionCode).toBeNull();
    expect(await fulfillmentOrderOf(receipt.body.id)).toHaveLength(1);
    const holds = await query<{ hop_index: number; quantity: number; unit_price_amount: string }>(
      `select hop_index, quantity, unit_price_amount::text from settlement_hold where channel_order_id = $1 order by hop_index`,
      [receipt.body.id],
    );
    expect(holds).toEqual([
      { hop_index: 0, quantity: 3, unit_price_amount: String(PRICES.brokerTshirt) },
      { hop_index: 1, quantity: 3, unit_price_amount: String(PRICES.factoryTshirt) },
    ]);
  });

  it('tells settlement of a parcel once, with every line, its shop order and every hop at its frozen price and fee', async () => {
    const pushed = shopOrder([
      { code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt },
      { code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug },
    ]);
    const receipt = await push(pushed);
    expect((await routed(receipt.body.id)).status).toBe('routed');
    const [foId] = await fulfillmentOrderOf(receipt.body.id);
    // A later price or fee does not change what this order was routed at.
    expectStatus(await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { price: cny(PRICES.brokerTshirt + 500), shippingFee: cny(1) }, network.broker.token), 200);
    const shipment = await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: exampleTrackingNumber('SF', `${receipt.body.id}01`) }, network.factory.token);
    expectStatus(shipment, 201);
    // Recording the same parcel again changes nothing.
    expectStatus(await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: exampleTrackingNumber('SF', `${receipt.body.id}01`) }, network.factory.token), 200);
    expectStatus(await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { price: cny(PRICES.brokerTshirt), shippingFee: cny(FEES.brokerTshirt) }, network.broker.token), 200);

    const recorded = await events<Record<string, unknown>>('shipment.recorded', shipment.body.id);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].merchant_id).toBe(network.factory.merchantId);
    const lines = await query<{ id: string; channel_order_line_id: string; sku_id: string }>(
      `select id::text, channel_order_line_id::text, sku_id::text from fulfillment_order_line where fulfillment_order_id = $1 order by id`,
      [foId],
    );
    const tshirt = lines.find((line) => line.sku_id === network.skus.tshirt)!;
    const mug = lines.find((line) => line.sku_id === network.skus.mug)!;
    const payload = recorded[0].payload as { lines: unknown[] };
    expect(payload).toEqual({
      shipmentId: shipment.body.id,
      fulfillmentOrderId: foId,
      supplierMerchantId: network.factory.merchantId,
      shippedAt: shipment.body.createdAt,
      carrierCode: 'SF',
      trackingNumber: exampleTrackingNumber('SF', `${receipt.body.id}01`),
      lines: expect.any(Array),
    });
    const common = { channelOrderId: receipt.body.id, externalOrderId: pushed.externalOrderId };
    expect(payload.lines).toEqual(
      expect.arrayContaining([
        { ...common, fulfillmentOrderLineId: tshirt.id, channelOrderLineId: tshirt.channel_order_line_id, skuId: network.skus.tshirt, skuCode: 'TSHIRT-M', quantity: 2, hops: tshirtHops() },
        {
          ...common,
          fulfillmentOrderLineId: mug.id,
          channelOrderLineId: mug.channel_order_line_id,
          skuId: network.skus.mug,
          skuCode: 'MUG-350',
          quantity: 1,
          hops: [
            {
              hopIndex: 0,
              sellerMerchantId: network.broker.merchantId,
              buyerMerchantId: network.distributor.merchantId,
              unitPriceAmount: String(PRICES.brokerMug),
              shippingFeeAmount: '0',
              currency: 'CNY',
            },
            {
              hopIndex: 1,
              sellerMerchantId: network.factory.merchantId,
              buyerMerchantId: network.broker.merchantId,
              unitPriceAmount: String(PRICES.factoryMug),
              shippingFeeAmount: '0',
              currency: 'CNY',
            },
          ],
        },
      ]),
    );
    expect(payload.lines).toHaveLength(2);
  });

  it('tells settlement which units a cancellation stopped before they shipped', async () => {
    const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]));
    expect((await routed(receipt.body.id)).status).toBe('routed');
    const cancel = await api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, { reason: 'changed my mind' }, network.distributor.token);
    expectStatus(cancel, 200);
    const [line] = await query<{ id: string; channel_order_line_id: string }>(`select id::text, channel_order_line_id::text from fulfillment_order_line where channel_order_id = $1`, [
      receipt.body.id,
    ]);
    const cancelled = await events<{ cancellationKey: string }>('fulfillment_lines.cancelled', receipt.body.id);
    expect(cancelled).toHaveLength(1);
    expect(cancelled[0].payload).toEqual({
      cancellationKey: expect.stringMatching(new RegExp(`^cancel:${receipt.body.id}:`)),
      channelOrderId: receipt.body.id,
      lines: [{ fulfillmentOrderLineId: line.id, channelOrderLineId: line.channel_order_line_id, quantity: 2 }],
    });
  });

  it('tells settlement of a refund, per line and hop', async () => {
    const pushed = shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]);
    const receipt = await push(pushed);
    expect((await routed(receipt.body.id)).status).toBe('routed');
    const [foId] = await fulfillmentOrderOf(receipt.body.id);
    expectStatus(await api.post(`/v1/fulfillment-orders/${foId}/shipments`, { carrierCode: 'SF', trackingNumber: exampleTrackingNumber('SF', `${receipt.body.id}02`) }, network.factory.token), 201);
    const opened = await api.post(
      `/v1/channel-orders/${receipt.body.id}/returns`,
      { kind: 'refund_only', reason: 'a seam came loose', lines: [{ lineNo: 1, quantity: 1 }] },
      network.distributor.token,
    );
    expectStatus(opened, 201);
    const returnId = opened.body.returns[0].id as string;
    // A refund without a return needs the supplier's approval.
    if (opened.body.returns[0].status === 'pending_approval') expectStatus(await api.post(`/v1/returns/${returnId}/approve`, {}, network.factory.token), 200);
    const refunded = await api.post(`/v1/returns/${returnId}/refund`, {}, network.factory.token);
    expectStatus(refunded, 200);

    const [line] = await query<{ id: string; channel_order_line_id: string }>(`select id::text, channel_order_line_id::text from fulfillment_order_line where channel_order_id = $1`, [
      receipt.body.id,
    ]);
    const recorded = await events<{ refunds: unknown[] }>('refund.recorded', returnId);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].merchant_id).toBe(network.factory.merchantId);
    const row = {
      fulfillmentOrderId: foId,
      fulfillmentOrderLineId: line.id,
      channelOrderLineId: line.channel_order_line_id,
      skuId: network.skus.tshirt,
      skuCode: 'TSHIRT-M',
      quantity: 1,
      currency: 'CNY',
    };
    expect(recorded[0].payload).toEqual({
      returnRequestId: returnId,
      // The case's first refund; a top-up is told as refund 2, 3… (its own ledger keys).
      refundNo: 1,
      channelOrderId: receipt.body.id,
      externalOrderId: pushed.externalOrderId,
      refundedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      refunds: expect.arrayContaining([
        { ...row, hopIndex: 0, sellerMerchantId: network.broker.merchantId, buyerMerchantId: network.distributor.merchantId, amount: String(PRICES.brokerTshirt) },
        { ...row, hopIndex: 1, sellerMerchantId: network.factory.merchantId, buyerMerchantId: network.broker.merchantId, amount: String(PRICES.factoryTshirt) },
      ]),
    });
    expect(recorded[0].payload.refunds).toHaveLength(2);
  });
});
