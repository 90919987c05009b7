import { MikroORM } from '@mikro-orm/core';
import { Queue } from 'bullmq';
import { eventIdsOf, QueueName, redisConnectionOptions, signatureMatches } from '@gongxiao/core';
import { WebhooksService } from '@gongxiao/webhooks';
import { cny, expectError, expectStatus, invitationFrom, moneyAmounts, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { testConfig } from '../support/test-environment';
import { eventually, WebhookSink } from '../support/webhook-sink';

/**
 * The order flow as shops, a broker and suppliers live it: signed pushes, split and route by
 * origin supplier and province, the supplier's inbox and ERP webhook, shipments and tracking back
 * to the distributor and its shop — against real PostgreSQL, Redis and the real worker.
 */
describe('order flow: push → split and route → supplier → shipment → tracking back', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50', WEBHOOK_MAX_ATTEMPTS: '3' } });
  const { api, database } = stage;
  let sink: WebhookSink;
  let network: OrderNetwork;

  const push = (order: unknown, shop = network.shop) => api.signedPost(`/v1/shops/${shop.id}/orders`, order, shop.secret);
  const channelOrder = (id: string) => api.get(`/v1/channel-orders/${id}`, network.distributor.token);
  const settled = (id: string) =>
    eventually(
      async () => {
        const response = await channelOrder(id);
        return response.body.status !== 'received' && response.body;
      },
      20_000,
      `order ${id} to be routed`,
    );

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { shopCallbackUrl: sink.url('/shop-callback') });
  });

  afterAll(async () => {
    await sink?.close();
  });

  describe('a shop pushes an order', () => {
    it('accepts a signed order with 202, and the same order again with 200 and the same id, changing nothing', async () => {
      const order = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
      const first = await push(order);
      expectStatus(first, 202);
      expect(first.body).toEqual(expect.objectContaining({ externalOrderId: order.externalOrderId, duplicate: false }));
      const again = await push(order);
      expectStatus(again, 200);
      expect(again.body).toEqual(expect.objectContaining({ id: first.body.id, duplicate: true }));
      // The same order re-serialised with its keys in another order is still the same order.
      const reordered = { lines: order.lines, consignee: order.consignee, currency: order.currency, externalOrderId: order.externalOrderId };
      expect((await push(reordered)).body.id).toBe(first.body.id);
      const rows = await withDatabase(database.url, (client) =>
        client.query(
          `select count(*)::int as orders, (select count(*)::int from outbox_event where type = 'channel_order.received' and aggregate_id = $2) as events
                        from channel_order where external_order_id = $1`,
          [order.externalOrderId, first.body.id],
        ),
      );
      expect(rows.rows[0]).toEqual({ orders: 1, events: 1 });
    });

    it('refuses the same external id with other content (409 naming the conflict)', async () => {
      const order = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
      expectStatus(await push(order), 202);
      const changed = { ...order, lines: [{ ...order.lines[0], quantity: 5 }] };
      expectError(await push(changed), 409, 'external_order_conflict', 'externalOrderId');
    });

    it('refuses a bad signature, a stale timestamp and an unknown shop', async () => {
      const order = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
      const url = `/v1/shops/${network.shop.id}/orders`;
      expectError(await api.signedPost(url, order, 'whsec_wrong'), 401, 'unauthenticated');
      expectError(await api.signedPost(url, order, network.shop.secret, { timestamp: Math.floor(Date.now() / 1000) - 301 }), 401, 'timestamp_out_of_tolerance');
      expectError(await api.signedPost(url, order, network.shop.secret, { signature: 'v1=' + '0'.repeat(64) }), 401, 'unauthenticated');
      expectError(await api.request('POST', url, { body: order }), 401, 'timestamp_missing');
      // Another shop's secret does not sign for this shop.
      expectError(await api.signedPost(url, order, network.shop2.secret), 401, 'unauthenticated');
      expectError(await api.signedPost('/v1/shops/999999/orders', order, network.shop.secret), 404, 'shop_not_found');
      const stored = await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from channel_order where external_order_id = $1`, [order.externalOrderId]));
      expect(stored.rows[0].n).toBe(0);
    });

    it('names the bad field of a signed but invalid order and stores nothing', async () => {
      const order = shopOrder([{ code: 'TSHIRT', quantity: 0, unitPrice: 10.5 }]);
      const response = await push({ ...order, surprise: true });
      expectError(response, 400, 'validation_failed');
      const fields = response.body.error.details.map((detail: { field: string }) => detail.field);
      expect(fields).toEqual(expect.arrayContaining(['lines[0].quantity', 'lines[0].unitPrice', 'surprise']));
      expectError(await push({ ...shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: 100 }]), amounts: { total: 1 } }), 400, 'amounts_mismatch', 'amounts.total');
      // A NUL character PostgreSQL cannot store is a 400, not a 500, and nothing is written.
      const withNul = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: 100 }], { name: 'Zhang\u0000San' });
      expectError(await push(withNul), 400, 'validation_failed', 'consignee.name');
      const nulStored = await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from channel_order where external_order_id = $1`, [withNul.externalOrderId]));
      expect(nulStored.rows[0].n).toBe(0);
      const stored = await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from channel_order where external_order_id = $1`, [order.externalOrderId]));
      expect(stored.rows[0].n).toBe(0);
    });
  });

  describe('split and route', () => {
    it('splits a multi-supplier order into one fulfillment order per supplier warehouse, nearest warehouse first', async () => {
      const order = shopOrder(
        [
          { code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt },
          { code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug },
          { code: 'HONEY', quantity: 3, unitPrice: PRICES.retailHoney },
        ],
        { province: '广东省', city: '广州市' },
      );
      const receipt = await push(order);
      const routed = await settled(receipt.body.id);
      expect(routed.status).toBe('routed');

      const factoryInbox = await api.get(`/v1/fulfillment-orders?status=new&limit=200`, network.factory.token);
      const fromThisOrder = factoryInbox.body.data.filter((fo: any) => fo.consignee.province === '广东省' && fo.lines.some((l: any) => l.skuCode === 'TSHIRT-M' && l.quantity === 2));
      expect(fromThisOrder).toHaveLength(1);
      expect(fromThisOrder[0].warehouseId).toBe(network.warehouses.guangdong);
      expect(fromThisOrder[0].lines.map((line: any) => [line.skuCode, line.quantity, line.supplyPrice])).toEqual(
        expect.arrayContaining([
          ['TSHIRT-M', 2, cny(PRICES.factoryTshirt)],
          ['MUG-350', 1, cny(PRICES.factoryMug)],
        ]),
      );
      const farmInbox = await api.get(`/v1/fulfillment-orders?status=new`, network.farm.token);
      expect(farmInbox.body.data.some((fo: any) => fo.lines.some((line: any) => line.skuCode === 'HONEY-500' && line.quantity === 3 && line.supplyPrice.amount === PRICES.farmHoney))).toBe(true);

      // The supplier sees its own price only: never the broker's resale price nor the retail price.
      const factoryAmounts = moneyAmounts((await api.get(`/v1/fulfillment-orders/${fromThisOrder[0].id}`, network.factory.token)).body);
      expect(factoryAmounts).toContain(PRICES.factoryTshirt);
      expect(factoryAmounts).not.toContain(PRICES.brokerTshirt);
      expect(factoryAmounts).not.toContain(PRICES.retailTshirt);
      // The distributor sees what it pays per line (the broker's price), never the factory's.
      const distributorView = await channelOrder(receipt.body.id);
      const tshirtLine = distributorView.body.lines.find((line: any) => line.shopSkuCode === 'TSHIRT');
      expect(tshirtLine.supplyPrice).toEqual(cny(PRICES.brokerTshirt));
      expect(moneyAmounts(distributorView.body)).not.toContain(PRICES.factoryTshirt);
    });

    it('prefers the consignee province, and freezes every hop price at routing', async () => {
      const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }], { province: '浙江省' }));
      await settled(receipt.body.id);
      const hops = await withDatabase(database.url, (client) =>
        client.query(
          `select o.warehouse_id::text, h.hop_index, h.seller_merchant_id::text as seller, h.buyer_merchant_id::text as buyer, h.unit_price_amount::int as price
             from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id
             join fulfillment_line_hop h on h.fulfillment_order_line_id = l.id
            where l.channel_order_id = $1 order by h.hop_index`,
          [receipt.body.id],
        ),
      );
      expect(hops.rows).toEqual([
        { warehouse_id: network.warehouses.zhejiang, hop_index: 0, seller: network.broker.merchantId, buyer: network.distributor.merchantId, price: PRICES.brokerTshirt },
        { warehouse_id: network.warehouses.zhejiang, hop_index: 1, seller: network.factory.merchantId, buyer: network.broker.merchantId, price: PRICES.factoryTshirt },
      ]);
      // A later price change does not touch routed orders.
      expectStatus(await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { price: cny(4500) }, network.broker.token), 200);
      const after = await channelOrder(receipt.body.id);
      expect(after.body.lines[0].supplyPrice).toEqual(cny(PRICES.brokerTshirt));
      expectStatus(await api.patch(`/v1/offers/${network.offers.brokerTshirt}`, { price: cny(PRICES.brokerTshirt) }, network.broker.token), 200);
    });

    it("ships from the consignee's province even when another warehouse has the better priority", async () => {
      // Zhejiang has priority 10, Guangdong 20: only the province can send this parcel to Guangdong
      // (written without 省, as shops often do).
      const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }], { province: '广东', city: '广州市' }));
      expect((await settled(receipt.body.id)).status).toBe('routed');
      const parcels = await withDatabase(database.url, (client) =>
        client.query(`select distinct o.warehouse_id::text from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id where l.channel_order_id = $1`, [receipt.body.id]),
      );
      expect(parcels.rows).toEqual([{ warehouse_id: network.warehouses.guangdong }]);
    });

    it('holds an order with an unknown shop SKU as an exception, reserving nothing, and routes it on retry once listed', async () => {
      const reservedBefore = await reservedUnits();
      const receipt = await push(
        shopOrder([
          { code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt },
          { code: 'NOT-LISTED', quantity: 1, unitPrice: 100 },
        ]),
      );
      const held = await settled(receipt.body.id);
      expect(held.status).toBe('exception');
      expect(held.exceptionCode).toBe('unknown_shop_sku');
      expect(held.exceptionReason).toContain('NOT-LISTED');
      expect(await reservedUnits()).toBe(reservedBefore);

      expectStatus(await api.post('/v1/listings', { shopId: network.shop.id, shopSkuCode: 'NOT-LISTED', offerId: network.offers.farmHoney, retailPrice: cny(100) }, network.distributor.token), 201);
      expectStatus(await api.post(`/v1/channel-orders/${receipt.body.id}/retry`, {}, network.distributor.token), 200);
      const routed = await settled(receipt.body.id);
      expect(routed.status).toBe('routed');
      expect(await reservedUnits()).toBe(reservedBefore + 2);
      // Retrying a routed order is refused, naming its state.
      expectError(await api.post(`/v1/channel-orders/${receipt.body.id}/retry`, {}, network.distributor.token), 409, 'channel_order_illegal_transition');
    });

    it('holds an order whose partnership is suspended, with a reason naming the partners', async () => {
      const partnerships = await api.get('/v1/partnerships?side=upstream', network.distributor.token);
      const withFarm = partnerships.body.data.find((p: any) => p.upstream.merchantId === network.farm.merchantId);
      expectStatus(await api.post(`/v1/partnerships/${withFarm.id}/suspend`, {}, network.farm.token), 200);
      const receipt = await push(shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney }]));
      const held = await settled(receipt.body.id);
      expect(held).toEqual(expect.objectContaining({ status: 'exception', exceptionCode: 'partnership_inactive' }));
      expectStatus(await api.post(`/v1/partnerships/${withFarm.id}/resume`, {}, network.farm.token), 200);
      expectStatus(await api.post(`/v1/channel-orders/${receipt.body.id}/retry`, {}, network.distributor.token), 200);
      expect((await settled(receipt.body.id)).status).toBe('routed');
    });

    it('says a partnership further up is interrupted without naming who is above the broker, or their stock', async () => {
      const upstream = (await api.get('/v1/partnerships?side=upstream', network.broker.token)).body.data.find((p: any) => p.upstream.merchantId === network.factory.merchantId);
      expectStatus(await api.post(`/v1/partnerships/${upstream.id}/suspend`, {}, network.broker.token), 200);
      const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]));
      const held = await settled(receipt.body.id);
      expect(held).toEqual(expect.objectContaining({ status: 'exception', exceptionCode: 'partnership_inactive' }));
      expect(held.exceptionReason).toContain('further up');
      expect(held.exceptionReason).not.toContain(`merchant ${network.factory.merchantId}`);
      expectStatus(await api.post(`/v1/partnerships/${upstream.id}/resume`, {}, network.broker.token), 200);

      // Not enough stock upstream: the distributor is not told the factory's figure.
      const tooMany = await push(shopOrder([{ code: 'TSHIRT', quantity: 99_999, unitPrice: PRICES.retailTshirt }]));
      const short = await settled(tooMany.body.id);
      expect(short.exceptionCode).toBe('stock_insufficient');
      expect(short.exceptionReason).not.toMatch(/\d+ available/);
    });

    it('does not let an inviter turn its own invitation active by "resuming" it', async () => {
      const outsider = await api.post('/v1/auth/sign-up', { merchantName: 'Outsider', ownerName: 'O', email: `outsider-${Date.now()}@example.com`, password: 'long enough pass' });
      expectStatus(await api.post('/v1/partnerships', { downstreamMerchantId: outsider.body.merchant.id }, network.factory.token), 202);
      const invitation = await invitationFrom(api, network.factory.merchantId, outsider.body);
      // The inviter does not even see its invitation before it is accepted; the invitee cannot "resume" it either.
      expectError(await api.post(`/v1/partnerships/${invitation}/resume`, {}, network.factory.token), 404, 'partnership_not_found');
      expectError(await api.post(`/v1/partnerships/${invitation}/resume`, {}, outsider.body.token), 409, 'partnership_illegal_transition');
      expect((await api.get(`/v1/partnerships/${invitation}`, outsider.body.token)).body.status).toBe('invited');
    });
  });

  describe('dispatch, shipment and tracking back', () => {
    it('POSTs new fulfillment orders to the supplier ERP, signed, retried until it answers, and shows the delivery', async () => {
      const erp = await api.post(
        '/v1/warehouses',
        { code: 'ERP-WH', name: 'ERP warehouse', province: '江苏省', priority: 1, receiveMode: 'erp_webhook', erpWebhookUrl: sink.url('/erp') },
        network.farm.token,
      );
      expectStatus(erp, 201);
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: erp.body.id, skuId: network.skus.honey, onHand: 50 }, network.farm.token), 200);
      sink.answerOn('/erp', 500);
      const receipt = await push(shopOrder([{ code: 'HONEY', quantity: 2, unitPrice: PRICES.retailHoney }], { province: '江苏省' }));
      await settled(receipt.body.id);

      const delivered = await eventually(
        async () => {
          const deliveries = await api.get('/v1/webhook-deliveries?status=delivered', network.farm.token);
          return deliveries.body.data.find((delivery: any) => delivery.targetKind === 'warehouse_erp');
        },
        20_000,
        'the ERP delivery',
      );
      expect(delivered.attempts).toBe(2);
      const calls = sink.on('/erp');
      expect(calls).toHaveLength(2);
      const last = calls[1];
      expect(signatureMatches(erp.body.erpWebhookSecret, String(last.headers['x-gongxiao-timestamp']), last.rawBody, String(last.headers['x-gongxiao-signature']))).toBe(true);
      expect(last.headers['x-gongxiao-event-id']).toBe(delivered.eventId);
      expect(last.body.event).toBe('fulfillment_order.created');
      expect(last.body.data.lines[0]).toEqual(expect.objectContaining({ skuCode: 'HONEY-500', quantity: 2, supplyPrice: cny(PRICES.farmHoney) }));
      // Only its own supply price, and the customization extra within it (none here).
      expect(moneyAmounts(last.body).sort()).toEqual([0, PRICES.farmHoney]);

      // Redelivery by hand sends the same event again.
      expectStatus(await api.post(`/v1/webhook-deliveries/${delivered.id}/redeliver`, {}, network.farm.token), 200);
      await eventually(async () => sink.on('/erp').length === 3, 10_000, 'the redelivery');
      expect(sink.on('/erp')[2].headers['x-gongxiao-event-id']).toBe(delivered.eventId);
      // Another merchant cannot see or redeliver it.
      expectError(await api.get(`/v1/webhook-deliveries/${delivered.id}`, network.factory.token), 404, 'webhook_delivery_not_found');
      expectError(await api.post(`/v1/webhook-deliveries/${delivered.id}/redeliver`, {}, network.distributor.token), 404, 'webhook_delivery_not_found');
      await api.patch(`/v1/warehouses/${erp.body.id}`, { status: 'inactive' }, network.farm.token);
    });

    it('sends deliveries created together in one job, at once; an endpoint that fails holds up none of the others', async () => {
      const erp = await api.post('/v1/warehouses', { code: 'ERP-GROUP', name: 'ERP group', province: '江苏省', receiveMode: 'erp_webhook', erpWebhookUrl: sink.url('/erp') }, network.farm.token);
      expectStatus(erp, 201);
      sink.answerOn('/group-b', 500);
      const orm = stage.worker.get(MikroORM);
      const webhooks = stage.worker.get(WebhooksService);
      const paths = ['/group-a', '/group-b', '/group-c'];
      const tag = Date.now();
      await orm.em.fork().transactional((em) =>
        webhooks.scheduleAll(
          em as never,
          paths.map((path) => ({
            merchantId: network.farm.merchantId,
            targetKind: 'warehouse_erp' as const,
            targetId: erp.body.id,
            eventType: 'fulfillment_order.created',
            subjectId: path,
            dedupKey: `test:group:${tag}:${path}`,
            url: sink.url(path),
            data: { path },
          })),
        ),
      );
      const rows = () =>
        withDatabase(database.url, (client) =>
          client.query<{ path: string; status: string; attempts: number; event_id: string }>(
            `select d.subject_id as path, d.status, d.attempts, e.id::text as event_id
               from webhook_delivery d join outbox_event e on e.type = 'webhook_delivery.created' and e.aggregate_id = d.id::text
              where d.dedup_key like $1 order by d.subject_id`,
            [`test:group:${tag}:%`],
          ),
        );
      await eventually(async () => (await rows()).rows.every((row) => row.status === 'delivered'), 20_000, 'every delivery of the group');
      expect((await rows()).rows.map((row) => [row.path, row.attempts])).toEqual([
        ['/group-a', 1],
        ['/group-b', 2],
        ['/group-c', 1],
      ]);
      // The good endpoints got their event once, though the job ran again for the failed one.
      expect(paths.map((path) => sink.on(path).map((call) => call.status))).toEqual([[200], [500, 200], [200]]);
      for (const path of paths)
        expect(
          signatureMatches(erp.body.erpWebhookSecret, String(sink.on(path)[0].headers['x-gongxiao-timestamp']), sink.on(path)[0].rawBody, String(sink.on(path)[0].headers['x-gongxiao-signature'])),
        ).toBe(true);
      // One job carried all three (they were created in one transaction).
      const eventIds = (await rows()).rows.map((row) => row.event_id).sort();
      const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(testConfig(database).REDIS_URL), prefix: testConfig(database).QUEUE_PREFIX });
      try {
        const carriers = (await queue.getJobs(['completed'], 0, -1)).filter((job) => eventIdsOf(job.data).some((id) => eventIds.includes(id)));
        expect(carriers.map((job) => eventIdsOf(job.data).sort())).toEqual([eventIds]);
        expect(carriers[0].attemptsMade).toBe(2);
      } finally {
        await queue.close();
      }
      await api.patch(`/v1/warehouses/${erp.body.id}`, { status: 'inactive' }, network.farm.token);
    });

    it('records partial then full shipments; stock, order states, tracking and the shop callback follow', async () => {
      const receipt = await push(shopOrder([{ code: 'MUG', quantity: 3, unitPrice: PRICES.retailMug }], { province: '浙江省' }));
      await settled(receipt.body.id);
      const inbox = await api.get(`/v1/fulfillment-orders?warehouseId=${network.warehouses.zhejiang}&status=new&limit=200`, network.factory.token);
      const fo = inbox.body.data.find((item: any) => item.lines.length === 1 && item.lines[0].skuCode === 'MUG-350' && item.lines[0].quantity === 3);
      expect(fo).toBeDefined();
      const line = fo.lines[0];
      const stockBefore = await stockOf(network.warehouses.zhejiang, network.skus.mug);

      expectStatus(await api.post(`/v1/fulfillment-orders/${fo.id}/acknowledge`, {}, network.factory.token), 200);
      expectError(
        await api.post(`/v1/fulfillment-orders/${fo.id}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF100000000001', lines: [{ lineId: line.id, quantity: 4 }] }, network.factory.token),
        400,
        'shipment_exceeds_order',
        'lines[0].quantity',
      );
      const first = await api.post(
        `/v1/fulfillment-orders/${fo.id}/shipments`,
        { carrierCode: 'SF', trackingNumber: 'SF100000000001', lines: [{ lineId: line.id, quantity: 1 }] },
        network.factory.token,
      );
      expectStatus(first, 201);
      expect((await channelOrder(receipt.body.id)).body.status).toBe('partially_shipped');
      // The same parcel reported twice is recorded once.
      const repeated = await api.post(
        `/v1/fulfillment-orders/${fo.id}/shipments`,
        { carrierCode: 'SF', trackingNumber: 'SF100000000001', lines: [{ lineId: line.id, quantity: 1 }] },
        network.factory.token,
      );
      expectStatus(repeated, 200);
      expect(repeated.body.id).toBe(first.body.id);

      // A second partial parcel is fine too.
      const middle = await api.post(
        `/v1/fulfillment-orders/${fo.id}/shipments`,
        { carrierCode: 'SF', trackingNumber: 'SF100000000002', lines: [{ lineId: line.id, quantity: 1 }] },
        network.factory.token,
      );
      expectStatus(middle, 201);
      const second = await api.post(`/v1/fulfillment-orders/${fo.id}/shipments`, { carrierCode: 'YTO', trackingNumber: 'YT1000000000002' }, network.factory.token);
      expectStatus(second, 201);
      expect(second.body.lines).toEqual([{ lineId: line.id, quantity: 1 }]);
      expect((await api.get(`/v1/fulfillment-orders/${fo.id}`, network.factory.token)).body.status).toBe('shipped');
      expectError(
        await api.post(`/v1/fulfillment-orders/${fo.id}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF100000000003' }, network.factory.token),
        409,
        'fulfillment_order_already_shipped',
      );

      const shipped = await channelOrder(receipt.body.id);
      expect(shipped.body.status).toBe('shipped');
      expect(shipped.body.lines[0].shipments.map((s: any) => [s.carrierCode, s.trackingNumber, s.quantity])).toEqual([
        ['SF', 'SF100000000001', 1],
        ['SF', 'SF100000000002', 1],
        ['YTO', 'YT1000000000002', 1],
      ]);
      const stockAfter = await stockOf(network.warehouses.zhejiang, network.skus.mug);
      expect(stockAfter).toEqual({ on_hand: stockBefore.on_hand - 3, reserved: stockBefore.reserved - 3 });

      const callbacks = await eventually(
        async () => {
          const calls = sink.on('/shop-callback').filter((call) => call.body.data.channelOrderId === receipt.body.id);
          return calls.length === 3 && calls;
        },
        15_000,
        'three shop callbacks',
      );
      const events = callbacks.map((call) => call.body.event).sort();
      expect(events).toEqual(['channel_order.partially_shipped', 'channel_order.partially_shipped', 'channel_order.shipped']);
      const shippedCall = callbacks.find((call) => call.body.event === 'channel_order.shipped')!;
      expect(shippedCall.body.data.shipment).toEqual(expect.objectContaining({ carrierCode: 'YTO', trackingNumber: 'YT1000000000002', lines: [{ lineNo: 1, shopSkuCode: 'MUG', quantity: 1 }] }));
      expect(signatureMatches(network.shop.secret, String(shippedCall.headers['x-gongxiao-timestamp']), shippedCall.rawBody, String(shippedCall.headers['x-gongxiao-signature']))).toBe(true);
    });

    it('keeps each party to its own hop: others get 404 for fulfillment orders and channel orders', async () => {
      const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]));
      await settled(receipt.body.id);
      const fo = (await api.get('/v1/fulfillment-orders?limit=1', network.factory.token)).body.data[0];
      for (const outsider of [network.broker, network.distributor, network.farm]) {
        expectError(await api.get(`/v1/fulfillment-orders/${fo.id}`, outsider.token), 404, 'fulfillment_order_not_found');
        expectError(await api.post(`/v1/fulfillment-orders/${fo.id}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF100000009999' }, outsider.token), 404, 'fulfillment_order_not_found');
        expectError(await api.post(`/v1/fulfillment-orders/${fo.id}/acknowledge`, {}, outsider.token), 404, 'fulfillment_order_not_found');
      }
      for (const outsider of [network.factory, network.broker, network.farm]) {
        expectError(await api.get(`/v1/channel-orders/${receipt.body.id}`, outsider.token), 404, 'channel_order_not_found');
        expectError(await api.post(`/v1/channel-orders/${receipt.body.id}/retry`, {}, outsider.token), 404, 'channel_order_not_found');
        expect((await api.get('/v1/channel-orders', outsider.token)).body.data).toEqual([]);
      }
      // The broker has no fulfillment orders of its own to ship.
      expect((await api.get('/v1/fulfillment-orders', network.broker.token)).body.data).toEqual([]);
    });

    it('exports the supplier’s shipped orders to an .xlsx', async () => {
      const response = await api.app.inject({ method: 'GET', url: '/v1/fulfillment-orders/export.xlsx', headers: { authorization: `Bearer ${network.factory.token}` } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('spreadsheetml');
      const ExcelJS = (await import('exceljs')).default;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const [header, ...rows] = workbook.worksheets[0].getSheetValues().filter(Boolean) as unknown[][];
      expect(header).toEqual(expect.arrayContaining(['发货单号', '快递公司', '快递单号']));
      const cell = (row: unknown[], name: string) => row[header.indexOf(name)];
      // One row per parcel: each carrier beside its own tracking number and the quantity in it.
      const parcels = rows.filter((row) => ['SF100000000001', 'SF100000000002', 'YT1000000000002'].includes(cell(row, '快递单号') as string));
      expect(parcels.map((row) => [cell(row, '商品编码'), cell(row, '快递公司'), cell(row, '快递单号'), cell(row, '数量')])).toEqual([
        ['MUG-350', '顺丰速运', 'SF100000000001', 1],
        ['MUG-350', '顺丰速运', 'SF100000000002', 1],
        ['MUG-350', '圆通速递', 'YT1000000000002', 1],
      ]);
    });

    it('writes every formula-looking text of the export as the text itself, in a Text-format cell (never a formula)', async () => {
      // Text a consumer, a shop or a supplier typed, starting with each character a spreadsheet
      // reads as a formula (= + - @). Warehouse and SKU codes cannot be created that way through
      // the API; they are set in the database, so the export does not lean on another context's validation.
      const warehouse = await api.post('/v1/warehouses', { code: 'FORMULA', name: 'Formula', province: '海南省', priority: 50 }, network.farm.token);
      expectStatus(warehouse, 201);
      const product = await api.post('/v1/products', { name: 'Formula honey', skus: [{ code: 'FORMULA-HONEY', name: '@SUM(1+1)*cmd|"/C calc"!A0' }] }, network.farm.token);
      expectStatus(product, 201);
      const skuId = product.body.skus[0].id as string;
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: warehouse.body.id, skuId, onHand: 5 }, network.farm.token), 200);
      const offer = await api.post('/v1/offers', { skuId, price: cny(PRICES.farmHoney) }, network.farm.token);
      expectStatus(offer, 201);
      expectStatus(await api.post('/v1/listings', { shopId: network.shop.id, shopSkuCode: 'FORMULA-1', offerId: offer.body.id, retailPrice: cny(PRICES.retailHoney) }, network.distributor.token), 201);
      await withDatabase(database.url, async (client) => {
        await client.query(`update warehouse set code = '=WAREHOUSE()' where id = $1`, [warehouse.body.id]);
        await client.query(`update sku set code = '+SKU-CODE' where id = $1`, [skuId]);
      });
      const consignee = { name: '=HYPERLINK("http://evil.example","x")', phone: '+86 138 0013 8000', province: '@海南', city: '-海口', district: '+美兰', address: '=1+2' };
      const receipt = await push({ ...shopOrder([{ code: 'FORMULA-1', quantity: 1, unitPrice: PRICES.retailHoney }], consignee), remarks: '@remarks =cmd' });
      expectStatus(receipt, 202);
      expect((await settled(receipt.body.id)).status).toBe('routed');
      const inbox = await api.get(`/v1/fulfillment-orders?warehouseId=${warehouse.body.id}&status=new`, network.farm.token);
      expect(inbox.body.data).toHaveLength(1);
      const fulfillmentOrderId = inbox.body.data[0].id as string;
      expectStatus(await api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/acknowledge`, {}, network.farm.token), 200);
      expectStatus(await api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'OTHER', trackingNumber: '-0001' }, network.farm.token), 201);

      const response = await api.app.inject({
        method: 'GET',
        url: `/v1/fulfillment-orders/export.xlsx?warehouseId=${warehouse.body.id}&language=en`,
        headers: { authorization: `Bearer ${network.farm.token}` },
      });
      expect(response.statusCode).toBe(200);
      const ExcelJS = (await import('exceljs')).default;
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      expect(sheet.rowCount).toBe(2);
      const header = sheet.getRow(1).values as unknown[];
      const cells = new Map<string, unknown>();
      const formats = new Map<string, string>();
      sheet.getRow(2).eachCell({ includeEmpty: true }, (cell, column) => {
        cells.set(String(header[column]), cell.value);
        formats.set(String(header[column]), cell.numFmt);
      });
      // Nothing is a formula (no object values): the text comes back unchanged, and every cell that
      // starts like a formula has the Text format, so editing it in Excel keeps it text.
      expect([...cells].filter(([, value]) => typeof value === 'object' && value !== null)).toEqual([]);
      const formulaLooking = [...cells].filter(([, value]) => typeof value === 'string' && /^[=+\-@\t\r\n]/.test(value)).map(([column]) => column);
      expect(formulaLooking.length).toBeGreaterThanOrEqual(10);
      expect(formulaLooking.filter((column) => formats.get(column) !== '@')).toEqual([]);
      expect(
        Object.fromEntries(
          [...cells].filter(([column]) => ['Warehouse', 'Consignee', 'Phone', 'Province', 'City', 'District', 'Address', 'SKU code', 'SKU name', 'Carrier', 'Tracking number'].includes(column)),
        ),
      ).toEqual({
        Warehouse: '=WAREHOUSE()',
        Consignee: consignee.name,
        Phone: consignee.phone,
        Province: consignee.province,
        City: consignee.city,
        District: consignee.district,
        Address: consignee.address,
        'SKU code': '+SKU-CODE',
        'SKU name': '@SUM(1+1)*cmd|"/C calc"!A0',
        Carrier: 'Other carrier',
        'Tracking number': '-0001',
      });
      expectStatus(await api.patch(`/v1/warehouses/${warehouse.body.id}`, { status: 'inactive' }, network.farm.token), 200);
    });
  });

  describe('merge window', () => {
    it('merges orders from two shops to the same consignee into one fulfillment order, released when the window closes', async () => {
      const merging = await api.post('/v1/warehouses', { code: 'MERGE', name: 'Merging', province: '四川省', priority: 0, mergeWindowMinutes: 5 }, network.farm.token);
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: merging.body.id, skuId: network.skus.honey, onHand: 20 }, network.farm.token), 200);
      const consignee = { name: '李四', phone: '13900000000', province: '四川省', city: '成都市', district: '武侯区', address: '天府大道 1 号' };
      const one = await push(shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney }], consignee), network.shop);
      const two = await push(shopOrder([{ code: 'HONEY', quantity: 2, unitPrice: PRICES.retailHoney }], consignee), network.shop2);
      await settled(one.body.id);
      await settled(two.body.id);
      const pending = await api.get(`/v1/fulfillment-orders?status=pending_merge&warehouseId=${merging.body.id}`, network.farm.token);
      expect(pending.body.data).toHaveLength(1);
      expect(pending.body.data[0].lines.map((line: any) => line.quantity).sort()).toEqual([1, 2]);
      // Close the window now instead of waiting five minutes.
      await withDatabase(database.url, (client) => client.query(`update fulfillment_order set release_at = now() where id = $1`, [pending.body.data[0].id]));
      await withDatabase(database.url, (client) =>
        client.query(
          `update outbox_event set enqueued_at = null, payload = jsonb_set(payload, '{releaseAt}', to_jsonb(now()::text)) where type = 'fulfillment_order.merge_window_opened' and aggregate_id = $1`,
          [pending.body.data[0].id],
        ),
      );
      const { Queue } = await import('bullmq');
      const config = testConfig(database);
      const queue = new Queue('routing', { connection: { host: '127.0.0.1', port: 6379 }, prefix: config.QUEUE_PREFIX });
      const delayed = await queue.getDelayed();
      await Promise.all(delayed.map((job) => job.promote()));
      await queue.close();
      await eventually(async () => (await api.get(`/v1/fulfillment-orders/${pending.body.data[0].id}`, network.farm.token)).body.status === 'new', 15_000, 'the release');
      await api.patch(`/v1/warehouses/${merging.body.id}`, { status: 'inactive' }, network.farm.token);
    });
  });

  async function reservedUnits(): Promise<number> {
    const result = await withDatabase(database.url, (client) => client.query(`select coalesce(sum(reserved), 0)::int as reserved from stock_level`));
    return result.rows[0].reserved;
  }

  async function stockOf(warehouseId: string, skuId: string): Promise<{ on_hand: number; reserved: number }> {
    const result = await withDatabase(database.url, (client) => client.query(`select on_hand, reserved from stock_level where warehouse_id = $1 and sku_id = $2`, [warehouseId, skuId]));
    return result.rows[0];
  }
});
