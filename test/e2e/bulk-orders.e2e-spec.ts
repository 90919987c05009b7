import ExcelJS from 'exceljs';
import { ActorContext, ConflictError, readSheetRows, ROLE_PERMISSIONS, SheetImportContext, SheetImportHandler, SheetImportMode, SheetLanguageCode } from '@gongxiao/core';
import { BULK_ORDER_HEADERS, BulkOrdersHandler, OrdersService } from '@gongxiao/orders';
import { expectStatus } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';

type Cells = [
  orderNo: string,
  consignee: string,
  phone: string,
  province: string,
  city: string,
  district: string,
  address: string,
  skuCode: string,
  quantity: string,
  price: string,
  remarks: string,
  placedAt: string,
];

/**
 * A small seller without a shop API uploads its orders in the template (订单号, 收件人, 手机, 省, 市,
 * 区, 详细地址, 商品编码, 数量, 单价, 买家留言, 下单时间): each order goes in exactly as a signed push
 * would, and is routed to its suppliers; bad rows come back with their reasons.
 */
describe('bulk orders by spreadsheet (批量下单)', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api } = stage;
  let network: OrderNetwork;
  let handler: BulkOrdersHandler;
  let pushed: { same: ReturnType<typeof shopOrder>; other: ReturnType<typeof shopOrder> };
  const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
  const no = (name: string) => `BULK-${tag}-${name}`;

  /** The sheet, as a seller fills it in: a two-line order, a region given in columns, and rows with every kind of mistake. */
  const sheet = (): Cells[] => [
    [no('1'), '王小明', '138 0013 8000', '', '', '', '浙江省杭州市西湖区文三路90号', 'TSHIRT', '2', '59.90', '请放门口', '2026-11-22 10:00'],
    [no('1'), '', '', '', '', '', '', 'MUG', '1', '', '', ''],
    [no('2'), '李华', '+86 139 0000 1111', '上海', '上海市', '浦东新区', '张江路88号', 'HONEY', '3', '45', '', ''],
    [no('BADPHONE'), '赵六', '12345', '', '', '', '浙江省杭州市西湖区文三路1号', 'TSHIRT', '1', '', '', ''],
    [no('UNKNOWN'), '钱七', '13700137000', '', '', '', '浙江省杭州市西湖区文三路2号', 'TSHIRT', '1', '', '', ''],
    [no('UNKNOWN'), '钱七', '13700137000', '', '', '', '浙江省杭州市西湖区文三路2号', 'NOPE-404', '1', '', '', ''],
    [no('CONFLICT'), '孙八', '13600136000', '', '', '', '浙江省杭州市西湖区文三路3号', 'TSHIRT', '1', '', '', ''],
    [no('CONFLICT'), '周九', '13600136000', '', '', '', '浙江省杭州市西湖区文三路3号', 'MUG', '1', '', '', ''],
    [no('NOREGION'), '吴十', '13500135000', '', '', '', '文三路4号', 'TSHIRT', '1', '', '', ''],
    // Pushed before with this content: unchanged, not an error.
    [pushed.same.externalOrderId, '张三', '13800138000', '', '', '', '浙江省杭州市西湖区文三路100号', 'TSHIRT', '1', '59.90', '', ''],
    // Pushed before with one unit, here three: rejected.
    [pushed.other.externalOrderId, '张三', '13800138000', '浙江省', '杭州市', '西湖区', '文三路 100 号', 'TSHIRT', '3', '', '', ''],
  ];

  const workbook = async (rows: Cells[], language: SheetLanguageCode) => {
    const book = new ExcelJS.Workbook();
    const worksheet = book.addWorksheet('orders');
    worksheet.addRow(BULK_ORDER_HEADERS[language]);
    for (const row of rows) worksheet.addRow(row);
    return Buffer.from(await book.xlsx.writeBuffer());
  };

  const upload = async (mode: SheetImportMode, language: SheetLanguageCode, options: { shopId?: string; rows?: Cells[] } = {}) => {
    const file = await workbook(options.rows ?? sheet(), language);
    const { rows } = await readSheetRows(file, handler.spec);
    const progress: number[] = [];
    const context: SheetImportContext = {
      actor: new ActorContext(network.distributor.merchantId, new Set(ROLE_PERMISSIONS.owner)),
      importId: `import-${mode}-${language}`,
      fileDigest: 'digest',
      mode,
      language,
      fields: { shopId: options.shopId ?? network.shop.id },
      progress: async (done) => void progress.push(done),
    };
    return { outcome: await handler.apply(context, rows), progress };
  };

  const shopOrders = async () => {
    const response = await api.get(`/v1/channel-orders?shopId=${network.shop.id}&limit=100`, network.distributor.token);
    expectStatus(response, 200);
    return response.body.data as { id: string; externalOrderId: string }[];
  };
  const reasonsByRow = (outcome: { rejected: { rowNumber: number; reason: string }[] }) => Object.fromEntries(outcome.rejected.map((row) => [row.rowNumber, row.reason]));

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    handler = api.app.get(BulkOrdersHandler, { strict: false });
    // What the imports library holds it as.
    const asRegistered: SheetImportHandler = handler;
    expect(asRegistered.kind).toBe('channel_orders');
    const same = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
    const other = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
    for (const order of [same, other]) expectStatus(await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret), 202);
    pushed = { same, other };
  });

  it('all or nothing: one bad row and no order goes in; every bad row is named with its reason (in Chinese)', async () => {
    const before = await shopOrders();
    const { outcome } = await upload('all_or_nothing', 'zh-CN');
    expect(outcome.applied).toBe(0);
    expect(outcome.unchanged).toBe(1);
    expect(outcome.rejected.map((row) => row.rowNumber)).toEqual([5, 6, 7, 8, 9, 10, 12]);
    const reasons = reasonsByRow(outcome);
    expect(reasons[5]).toBe('手机：「12345」不是手机号（11 位）或带区号的座机号');
    expect(reasons[6]).toBe(`同一订单 ${no('UNKNOWN')} 的第 7 行未通过，整单未导入`);
    expect(reasons[7]).toBe('商品编码：店铺「Happy Home Youzan」没有商品编码为「NOPE-404」的商品：先在选品中心把商品上架到该店铺（使用这个编码）');
    for (const row of [8, 9]) expect(reasons[row]).toBe(`收件人：同一订单 ${no('CONFLICT')} 的各行不一致（第 8 行「孙八」，第 9 行「周九」）`);
    expect(reasons[10]).toContain('详细地址：无法分出省、市、区');
    expect(reasons[12]).toMatch(new RegExp(`^订单号：订单 ${pushed.other.externalOrderId} 已收到（供销订单 \\d+），但数量不同`));
    // The rejected rows come back in the template's columns, as uploaded.
    expect(outcome.rejected[0].cells).toEqual([no('BADPHONE'), '赵六', '12345', '', '', '', '浙江省杭州市西湖区文三路1号', 'TSHIRT', '1', '', '', '']);
    expect(await shopOrders()).toHaveLength(before.length);
  });

  it('valid rows: the good orders go in like pushes and are routed to their suppliers; reasons in English', async () => {
    const before = await shopOrders();
    const { outcome, progress } = await upload('valid_rows', 'en');
    expect(outcome.applied).toBe(3);
    expect(outcome.unchanged).toBe(1);
    expect(outcome.rejected.map((row) => row.rowNumber)).toEqual([5, 6, 7, 8, 9, 10, 12]);
    const reasons = reasonsByRow(outcome);
    expect(reasons[5]).toBe('Phone: "12345" is neither an 11-digit mobile number nor a landline with its area code');
    expect(reasons[6]).toBe(`row 7 of the same order ${no('UNKNOWN')} was rejected, so the whole order was not imported`);
    expect(reasons[7]).toBe('SKU code: no listing with SKU code "NOPE-404" in shop "Happy Home Youzan": list the offer in this shop with this code first');
    expect(reasons[9]).toBe(`Consignee: differs between the rows of order ${no('CONFLICT')} (row 8 "孙八", row 9 "周九")`);
    expect(reasons[10]).toContain('Address: cannot tell the province, city and district apart');
    expect(reasons[12]).toContain('with a different Quantity');
    expect(progress[progress.length - 1]).toBe(11);

    const after = await shopOrders();
    expect(after).toHaveLength(before.length + 2);
    const byNo = new Map(after.map((order) => [order.externalOrderId, order.id]));

    // The two-line order: address split, phone normalized, the empty price is the listing's retail price.
    const first = await orderRouted(api, network, byNo.get(no('1'))!);
    expect(first.status).toBe('routed');
    expect(first.consignee).toEqual({ name: '王小明', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路90号' });
    expect(first.remarks).toBe('请放门口');
    expect(first.lines.map((line: { shopSkuCode: string; quantity: number; unitPrice: { amount: number } }) => [line.shopSkuCode, line.quantity, line.unitPrice.amount])).toEqual([
      ['TSHIRT', 2, 5990],
      ['MUG', 1, PRICES.retailMug],
    ]);
    expect(first.total.amount).toBe(2 * 5990 + PRICES.retailMug);

    // Routed exactly like a push: the factory has it in its inbox, with the consignee to ship to.
    const fulfillmentOrderId = first.lines[0].fulfillmentOrderId as string;
    const atFactory = await api.get(`/v1/fulfillment-orders/${fulfillmentOrderId}`, network.factory.token);
    expectStatus(atFactory, 200);
    expect(atFactory.body.consignee).toEqual(expect.objectContaining({ name: '王小明', province: '浙江省', address: '文三路90号' }));
    expect(atFactory.body.lines.map((line: { skuCode: string; quantity: number }) => [line.skuCode, line.quantity]).sort()).toEqual([
      ['MUG-350', 1],
      ['TSHIRT-M', 2],
    ]);

    // The region from its columns ("上海" written in full), the price in yuan, honey routed to the farm.
    const second = await orderRouted(api, network, byNo.get(no('2'))!);
    expect(second.consignee).toEqual(expect.objectContaining({ phone: '13900001111', province: '上海市', city: '上海市', district: '浦东新区', address: '张江路88号' }));
    expect(second.lines[0].unitPrice.amount).toBe(4500);
    const atFarm = await api.get(`/v1/fulfillment-orders/${second.lines[0].fulfillmentOrderId}`, network.farm.token);
    expectStatus(atFarm, 200);
    expect(atFarm.body.lines[0]).toEqual(expect.objectContaining({ skuCode: 'HONEY-500', quantity: 3 }));
  });

  it('the same sheet uploaded again changes nothing: its orders are unchanged, none is added', async () => {
    const before = await shopOrders();
    const { outcome } = await upload('valid_rows', 'zh-CN');
    expect(outcome.applied).toBe(0);
    expect(outcome.unchanged).toBe(4);
    expect(outcome.rejected.map((row) => row.rowNumber)).toEqual([5, 6, 7, 8, 9, 10, 12]);
    expect(await shopOrders()).toHaveLength(before.length);
    // And all or nothing too (its bad rows still refused, nothing applied).
    const again = await upload('all_or_nothing', 'zh-CN', { rows: sheet().slice(0, 3) });
    expect(again.outcome).toEqual({ applied: 0, unchanged: 3, rejected: [] });
  });

  it('an order number uploaded again with another line is rejected, not changed', async () => {
    const rows = sheet().slice(0, 2);
    rows[1][8] = '5';
    const { outcome } = await upload('valid_rows', 'en', { rows });
    expect(outcome.applied).toBe(0);
    expect(outcome.rejected.map((row) => row.reason)).toEqual([expect.stringContaining('with a different Quantity'), expect.stringContaining('with a different Quantity')]);
  });

  it('all or nothing holds while applying too: an order refused at ingest undoes the orders ingested before it', async () => {
    const orders = api.app.get(OrdersService, { strict: false });
    const ingest = orders.ingest.bind(orders);
    // A push of the same order number with other content lands between the check and the ingest.
    const spy = jest.spyOn(orders, 'ingest').mockImplementation(async (shop, input, source, raw) => {
      if (input.externalOrderId === no('RACE-2')) throw new ConflictError('external_order_conflict', 'received meanwhile with other content');
      return ingest(shop, input, source, raw);
    });
    try {
      const rows: Cells[] = [no('RACE-1'), no('RACE-2')].map((orderNo) => [orderNo, '郑一', '13300133000', '', '', '', '浙江省杭州市西湖区文三路5号', 'TSHIRT', '1', '', '', '']);
      const all = await upload('all_or_nothing', 'en', { rows });
      expect(all.outcome.applied).toBe(0);
      expect(all.outcome.rejected.map((row) => [row.rowNumber, row.reason])).toEqual([[3, expect.stringContaining(`order ${no('RACE-2')} was just received from the shop with other content`)]]);
      expect((await shopOrders()).map((order) => order.externalOrderId)).not.toContain(no('RACE-1'));
      const valid = await upload('valid_rows', 'en', { rows });
      expect(valid.outcome.applied).toBe(1);
      expect(valid.outcome.rejected.map((row) => row.rowNumber)).toEqual([3]);
      expect((await shopOrders()).map((order) => order.externalOrderId)).toContain(no('RACE-1'));
    } finally {
      spy.mockRestore();
    }
  });

  it('a shop of another merchant is not found, and nothing is read or applied', async () => {
    const before = await shopOrders();
    await expect(upload('valid_rows', 'en', { shopId: '999999999' })).rejects.toMatchObject({ code: 'shop_not_found', kind: 'not_found' });
    const stranger = await api.post('/v1/shops', { platform: 'other', name: 'Not yours' }, network.factory.token);
    expectStatus(stranger, 201);
    await expect(upload('valid_rows', 'zh-CN', { shopId: stranger.body.id })).rejects.toMatchObject({ code: 'shop_not_found', details: [{ field: 'shopId', reason: 'not one of your shops' }] });
    expect(await shopOrders()).toHaveLength(before.length);
  });
});
