import type { Worksheet } from 'exceljs';
import { exampleTrackingNumber } from '@gongxiao/core';
import { cny, expectError, expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

const HOUR = 3_600_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

/** The factory's options on its T-shirt: engraving ¥5.00, gift box ¥3.00 (plain free), a logo file. */
const OPTIONS = [
  { key: 'engraving', label: '刻字', kind: 'text', required: true, maxLength: 10, extraPriceAmount: 500 },
  {
    key: 'packaging',
    label: '包装',
    kind: 'choice',
    choices: [
      { value: 'plain', label: '简装', extraPriceAmount: 0 },
      { value: 'gift_box', label: '礼盒', extraPriceAmount: 300 },
    ],
  },
  { key: 'logo', label: 'Logo', kind: 'file_url' },
];
const LOGO = 'https://cdn.example.com/logos/sunrise.png';
/** What the shop sends: unsorted keys, untrimmed text. */
const CHOSEN = { packaging: 'gift_box', logo: LOGO, engraving: '  生日快乐 ' };
const EXTRA = 500 + 300;
const LABEL = `刻字: 生日快乐；包装: 礼盒；Logo: ${LOGO}`;

function recordsOf(sheet: Worksheet): Record<string, unknown>[] {
  const header = sheet.getRow(1).values as unknown[];
  const records: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const record: Record<string, unknown> = {};
    row.eachCell({ includeEmpty: true }, (cell, column) => (record[String(header[column])] = cell.value));
    records.push(record);
  });
  return records;
}

/**
 * Light customization (轻定制): the origin supplier declares what buyers may set per line and what it
 * costs; a broker's re-share shows the options on; a shop's line carries its choices, checked at
 * routing; every hop's frozen price includes the extra, so holds and the ledger do too; the supplier
 * reads the normalized options on its line, in its ERP payload and in its order sheet's 定制 column.
 */
describe('light customization (轻定制)', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;
  let sink: WebhookSink;

  const push = (order: unknown) => api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  const query = async <Row>(sql: string, params: unknown[] = []): Promise<Row[]> => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];
  const tshirtOrder = (customization: unknown, quantity = 2) => {
    const order = shopOrder([{ code: 'TSHIRT', quantity, unitPrice: PRICES.retailTshirt }]);
    return { ...order, lines: order.lines.map((line) => ({ ...line, customization })) };
  };
  const pushed = async (order: unknown) => {
    const receipt = await push(order);
    expectStatus(receipt, 202);
    return orderRouted(api, network, receipt.body.id);
  };
  const hopPrices = (channelOrderId: string) =>
    query<{ hop_index: number; unit_price_amount: string; trial_units: number; trial_unit_price_amount: string }>(
      `select h.hop_index, h.unit_price_amount::text, h.trial_units, h.trial_unit_price_amount::text
         from fulfillment_line_hop h join fulfillment_order_line l on l.id = h.fulfillment_order_line_id where l.channel_order_id = $1 order by h.hop_index`,
      [channelOrderId],
    );
  const reservedTshirts = async () => (await query<{ reserved: string }>(`select coalesce(sum(reserved), 0)::text as reserved from stock_level where sku_id = $1`, [network.skus.tshirt]))[0].reserved;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { stock: 200 });
  });
  afterAll(async () => {
    await sink?.close();
  });

  it('refuses bad option declarations naming the field, and a re-share declaring its own, changing nothing', async () => {
    const put = (offerId: string, options: unknown, token = network.factory.token) => api.put(`/v1/offers/${offerId}/customization`, { options }, token);
    const offer = network.offers.factoryTshirt;
    expectError(await put(offer, [{ key: 'Engraving', label: '刻字', kind: 'text' }]), 400, 'validation_failed', 'options[0].key');
    expectError(
      await put(offer, [OPTIONS[0], { ...OPTIONS[1], choices: [{ value: 'gift_box', label: '礼盒', extraPriceAmount: -1 }] }]),
      400,
      'validation_failed',
      'options[1].choices[0].extraPriceAmount',
    );
    expectError(await put(offer, [OPTIONS[0], OPTIONS[1], { ...OPTIONS[2], maxLength: 20 }]), 400, 'validation_failed', 'options[2].maxLength');
    expectError(await put(offer, [OPTIONS[0], { ...OPTIONS[0], label: 'again' }]), 400, 'validation_failed', 'options[1].key');
    expectError(await put(offer, [{ key: 'box', label: '包装', kind: 'choice' }]), 400, 'validation_failed', 'options[0].choices');
    expectError(await put(offer, [{ ...OPTIONS[0], maxLength: 201 }]), 400, 'validation_failed', 'options[0].maxLength');
    expectError(await put(offer, [{ key: 'x', label: 'X', kind: 'sticker' }]), 400, 'validation_failed', 'options[0].kind');
    expectError(
      await put(
        offer,
        Array.from({ length: 11 }, (_, index) => ({ key: `k${index}`, label: 'K', kind: 'text' })),
      ),
      400,
      'validation_failed',
      'options',
    );
    // The broker re-shares the T-shirt: its options are the factory's, not its own to declare.
    expectError(await put(network.offers.brokerTshirt, OPTIONS, network.broker.token), 400, 'customization_origin_only', 'offerId');
    // Another merchant's offer is not there to customize.
    expectError(await put(offer, OPTIONS, network.broker.token), 404, 'offer_not_found');
    expect((await api.get(`/v1/offers/${offer}`, network.factory.token)).body.customization).toEqual({ offerId: offer, inherited: false, currency: 'CNY', options: [] });
  });

  it("declares the options on the origin offer; the broker's re-share shows them to its buyer with the extra prices", async () => {
    const declared = await api.put(`/v1/offers/${network.offers.factoryTshirt}/customization`, { options: OPTIONS }, network.factory.token);
    expectStatus(declared, 200);
    expect(declared.body.options).toEqual([
      { key: 'engraving', label: '刻字', kind: 'text', required: true, maxLength: 10, choices: [], extraPriceAmount: 500 },
      { key: 'packaging', label: '包装', kind: 'choice', required: false, maxLength: null, choices: OPTIONS[1].choices, extraPriceAmount: 0 },
      { key: 'logo', label: 'Logo', kind: 'file_url', required: false, maxLength: null, choices: [], extraPriceAmount: 0 },
    ]);
    const own = await api.get(`/v1/offers/${network.offers.brokerTshirt}`, network.broker.token);
    expect(own.body.customization).toEqual({ offerId: network.offers.brokerTshirt, inherited: true, currency: 'CNY', options: declared.body.options });
    const available = await api.get(`/v1/available-offers/${network.offers.brokerTshirt}`, network.distributor.token);
    expect(available.body.customization.options).toEqual(declared.body.options);
    const listed = await api.get('/v1/available-offers', network.distributor.token);
    expect(listed.body.data.find((item: { id: string }) => item.id === network.offers.brokerTshirt).customization.options).toHaveLength(3);
    expect(listed.body.data.find((item: { id: string }) => item.id === network.offers.farmHoney).customization.options).toEqual([]);
  });

  it('routes a customized line with the extra in every hop, holds and ledger, and shows the options to the supplier, its ERP and its sheet', async () => {
    const order = await pushed(tshirtOrder(CHOSEN, 2));
    expect(order.status).toBe('routed');
    // Each seller passes the origin's extra on at cost: +800 fen at every hop.
    expect(await hopPrices(order.id)).toEqual([
      { hop_index: 0, unit_price_amount: String(PRICES.brokerTshirt + EXTRA), trial_units: 0, trial_unit_price_amount: '0' },
      { hop_index: 1, unit_price_amount: String(PRICES.factoryTshirt + EXTRA), trial_units: 0, trial_unit_price_amount: '0' },
    ]);
    expect(await query(`select hop_index, quantity, unit_price_amount::text from settlement_hold where channel_order_id = $1 order by hop_index`, [order.id])).toEqual([
      { hop_index: 0, quantity: 2, unit_price_amount: String(PRICES.brokerTshirt + EXTRA) },
      { hop_index: 1, quantity: 2, unit_price_amount: String(PRICES.factoryTshirt + EXTRA) },
    ]);

    // The supplier's line: normalized options (keys sorted, values trimmed), the canonical key, its text, the extra beside the price.
    const [row] = await query<{ fulfillment_order_id: string; id: string; customization: object; customization_key: string }>(
      `select fulfillment_order_id::text, id::text, customization, customization_key from fulfillment_order_line where channel_order_id = $1`,
      [order.id],
    );
    // jsonb keeps keys in its own order; the api gives them sorted.
    expect(row.customization).toEqual({ engraving: '生日快乐', logo: LOGO, packaging: 'gift_box' });
    const supplier = await api.get(`/v1/fulfillment-orders/${row.fulfillment_order_id}`, network.factory.token);
    expectStatus(supplier, 200);
    expect(supplier.body.lines[0]).toEqual(
      expect.objectContaining({
        supplyPrice: cny(PRICES.factoryTshirt + EXTRA),
        customization: { engraving: '生日快乐', logo: LOGO, packaging: 'gift_box' },
        customizationKey: `engraving=${encodeURIComponent('生日快乐')}&logo=${encodeURIComponent(LOGO)}&packaging=gift_box`,
        customizationLabel: LABEL,
        customizationExtra: cny(EXTRA),
      }),
    );
    expect(Object.keys(supplier.body.lines[0].customization)).toEqual(['engraving', 'logo', 'packaging']);
    expect(row.customization_key).toBe(supplier.body.lines[0].customizationKey);
    // The distributor's view of its line: what the shop sent, as routed, and the extra within the price it pays.
    const mine = await api.get(`/v1/channel-orders/${order.id}`, network.distributor.token);
    expect(mine.body.lines[0]).toEqual(
      expect.objectContaining({
        customization: CHOSEN,
        routedCustomization: { engraving: '生日快乐', logo: LOGO, packaging: 'gift_box' },
        customizationLabel: LABEL,
        supplyPrice: cny(PRICES.brokerTshirt + EXTRA),
        customizationExtra: cny(EXTRA),
      }),
    );

    // Shipped: the ledger charges every hop its price with the extra.
    const shipment = await api.post(
      `/v1/fulfillment-orders/${row.fulfillment_order_id}/shipments`,
      { carrierCode: 'SF', trackingNumber: exampleTrackingNumber('SF', `${order.id}01`), lines: [{ lineId: row.id, quantity: 2 }] },
      network.factory.token,
    );
    expectStatus(shipment, 201);
    const charged = await eventually(
      async () => {
        const rows = await query<{ seller: string; amount: string }>(
          `select seller_merchant_id::text as seller, sum(amount)::text as amount from ledger_entry where channel_order_id = $1 and kind = 'goods' group by seller_merchant_id`,
          [order.id],
        );
        return rows.length === 2 && rows;
      },
      20_000,
      'the goods accrued',
    );
    expect(Object.fromEntries(charged.map((entry) => [entry.seller, entry.amount]))).toEqual({
      [network.broker.merchantId]: String(2 * (PRICES.brokerTshirt + EXTRA)),
      [network.factory.merchantId]: String(2 * (PRICES.factoryTshirt + EXTRA)),
    });

    // The order sheet (.xlsx) read back: the 定制 column carries the text.
    const response = await api.app.inject({ method: 'GET', url: '/v1/fulfillment-orders/export.xlsx?status=shipped', headers: { authorization: `Bearer ${network.factory.token}` } });
    expect(response.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const records = recordsOf(workbook.worksheets[0]).filter((record) => record['发货单号'] === row.fulfillment_order_id);
    expect(records).toEqual([expect.objectContaining({ 定制: LABEL, 数量: 2, '供货价(分)': PRICES.factoryTshirt + EXTRA })]);
    const english = await api.app.inject({ method: 'GET', url: '/v1/fulfillment-orders/export.xlsx?status=shipped&language=en', headers: { authorization: `Bearer ${network.factory.token}` } });
    const englishBook = new ExcelJS.Workbook();
    await englishBook.xlsx.load(english.rawPayload as unknown as ArrayBuffer);
    expect((englishBook.worksheets[0].getRow(1).values as unknown[]).includes('Customization')).toBe(true);
  });

  it('holds a line whose customization the options do not allow, naming the key, with nothing reserved; corrected, it routes', async () => {
    const reserved = await reservedTshirts();
    const cases: [unknown, string, RegExp][] = [
      [{ ...CHOSEN, colour: 'red' }, 'colour', /"colour" is not an option/],
      [{ ...CHOSEN, engraving: '这段刻字实在是太长了超过十个字' }, 'engraving', /"engraving" is \d+ characters long, at most 10/],
      [{ ...CHOSEN, packaging: 'velvet' }, 'packaging', /"packaging" "velvet" is not one of/],
      [{ packaging: 'plain' }, 'engraving', /"engraving" is required/],
      [{ ...CHOSEN, logo: 'javascript:alert(1)' }, 'logo', /"logo" is not an http\(s\) URL/],
      [{ ...CHOSEN, engraving: '生日\n快乐' }, 'engraving', /"engraving" contains control characters/],
    ];
    const held: string[] = [];
    for (const [customization, key, reason] of cases) {
      const order = await pushed(tshirtOrder(customization, 1));
      expect(order).toEqual(expect.objectContaining({ status: 'exception', exceptionCode: 'customization_invalid' }));
      expect(order.exceptionReason).toMatch(reason);
      expect(order.exceptionReason).toContain(`"${key}"`);
      held.push(order.id);
    }
    // Nothing of them was reserved, written or held.
    expect(await reservedTshirts()).toBe(reserved);
    expect(await query(`select id from fulfillment_order_line where channel_order_id = any($1::bigint[])`, [held])).toEqual([]);
    expect(await query(`select 1 from settlement_hold where channel_order_id = any($1::bigint[])`, [held])).toEqual([]);
    // A shape that is not an object of texts is refused at the door.
    expectError(await push(tshirtOrder({ engraving: 5 })), 400, 'validation_failed', 'lines[0].customization');

    // The distributor corrects the line and retries: it routes with the corrected options.
    const [first] = held;
    const lineId = (await api.get(`/v1/channel-orders/${first}`, network.distributor.token)).body.lines[0].id;
    const corrected = await api.put(`/v1/channel-orders/${first}/lines/${lineId}/customization`, { customization: { engraving: 'LOVE', packaging: 'plain' } }, network.distributor.token);
    expectStatus(corrected, 200);
    expect(corrected.body.lines[0].customization).toEqual({ engraving: 'LOVE', packaging: 'plain' });
    expectError(await api.put(`/v1/channel-orders/${first}/lines/${lineId}/customization`, { customization: {} }, network.farm.token), 404, 'channel_order_not_found');
    expectStatus(await api.post(`/v1/channel-orders/${first}/retry`, {}, network.distributor.token), 200);
    const routed = await eventually(
      async () => {
        const order = (await api.get(`/v1/channel-orders/${first}`, network.distributor.token)).body;
        return order.status === 'routed' && order;
      },
      20_000,
      'the corrected order routed',
    );
    expect(routed.lines[0]).toEqual(expect.objectContaining({ customizationLabel: '刻字: LOVE；包装: 简装', customizationExtra: cny(500), supplyPrice: cny(PRICES.brokerTshirt + 500) }));
    // Routed, it can no longer be corrected.
    expectError(await api.put(`/v1/channel-orders/${first}/lines/${lineId}/customization`, { customization: {} }, network.distributor.token), 409, 'channel_order_not_exception');
  });

  it('adds the extra on top of the trial price too', async () => {
    const trial = { price: cny(1500), unitsPerBuyer: 1, startsAt: iso(-HOUR), endsAt: iso(24 * HOUR) };
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { trial }, network.factory.token), 200);
    const order = await pushed(tshirtOrder(CHOSEN, 2));
    expect(order.status).toBe('routed');
    expect(await hopPrices(order.id)).toEqual([
      { hop_index: 0, unit_price_amount: String(PRICES.brokerTshirt + EXTRA), trial_units: 0, trial_unit_price_amount: '0' },
      { hop_index: 1, unit_price_amount: String(PRICES.factoryTshirt + EXTRA), trial_units: 1, trial_unit_price_amount: String(1500 + EXTRA) },
    ]);
    expect(await query(`select hop_index, trial_quantity, trial_unit_price_amount::text from settlement_hold where channel_order_id = $1 order by hop_index`, [order.id])).toEqual([
      { hop_index: 0, trial_quantity: 0, trial_unit_price_amount: '0' },
      { hop_index: 1, trial_quantity: 1, trial_unit_price_amount: String(1500 + EXTRA) },
    ]);
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { trial: null }, network.factory.token), 200);
  });

  it("sends the options in the supplier ERP's payload; removed, new lines carry none", async () => {
    const erp = await api.post(
      '/v1/warehouses',
      { code: 'ERP-CUSTOM', name: 'ERP custom', province: '江苏省', priority: 1, receiveMode: 'erp_webhook', erpWebhookUrl: sink.url('/erp') },
      network.factory.token,
    );
    expectStatus(erp, 201);
    expectStatus(await api.put('/v1/stock-levels', { warehouseId: erp.body.id, skuId: network.skus.tshirt, onHand: 10 }, network.factory.token), 200);
    const order = { ...tshirtOrder(CHOSEN, 1), consignee: { ...shopOrder([]).consignee, province: '江苏省', city: '南京市', district: '玄武区' } };
    expect((await pushed(order)).status).toBe('routed');
    const call = await eventually(async () => sink.on('/erp')[0], 20_000, 'the ERP call');
    expect(call.body.data.lines[0]).toEqual(
      expect.objectContaining({
        customization: { engraving: '生日快乐', logo: LOGO, packaging: 'gift_box' },
        customizationLabel: LABEL,
        customizationExtra: cny(EXTRA),
        supplyPrice: cny(PRICES.factoryTshirt + EXTRA),
      }),
    );
    await api.patch(`/v1/warehouses/${erp.body.id}`, { status: 'inactive' }, network.factory.token);

    // The factory removes its options: a plain line routes at the regular prices, and a customized one is held (no such option now).
    const removed = await api.delete(`/v1/offers/${network.offers.factoryTshirt}/customization`, network.factory.token);
    expectStatus(removed, 200);
    expect(removed.body.options).toEqual([]);
    const plain = await pushed(tshirtOrder(undefined, 1));
    expect(plain.status).toBe('routed');
    expect((await hopPrices(plain.id)).map((hop) => hop.unit_price_amount)).toEqual([String(PRICES.brokerTshirt), String(PRICES.factoryTshirt)]);
    expect(plain.lines[0]).toEqual(expect.objectContaining({ customization: null, routedCustomization: {}, customizationLabel: '', customizationExtra: cny(0) }));
    expect((await pushed(tshirtOrder({ engraving: 'hi' }, 1))).exceptionCode).toBe('customization_invalid');
  });
});
