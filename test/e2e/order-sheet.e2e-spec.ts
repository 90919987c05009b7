import type { Worksheet } from 'exceljs';
import { expectStatus } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';

const CHINESE_HEADERS = [
  '发货单号',
  '订单号',
  '店铺订单号',
  '收件人',
  '手机',
  '省',
  '市',
  '区',
  '详细地址',
  '商品编码',
  '商品名称',
  '规格',
  '定制',
  '数量',
  '买家留言',
  '快递公司',
  '快递单号',
  '状态',
  '下单时间',
  '发货时间',
];

/** The sheet's rows after the header, each as header name → cell value. */
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
 * The supplier's order sheet (发货单) as a warehouse reads it: Chinese headers, a frozen header row,
 * one row per parcel once a line ships (carrier beside its own tracking number and quantity), one row
 * with empty carrier cells for a line not yet shipped, phone numbers as text, times on the Shanghai wall clock.
 */
describe('the supplier’s order sheet (发货单)', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api } = stage;
  let network: OrderNetwork;
  let fulfillmentOrder: { id: string; createdAt: string; lines: { id: string; skuCode: string }[] };
  let channelOrderId: string;
  let externalOrderId: string;

  const download = async (query: string) => {
    const response = await api.app.inject({ method: 'GET', url: `/v1/fulfillment-orders/export.xlsx?${query}`, headers: { authorization: `Bearer ${network.factory.token}` } });
    expect(response.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    return workbook.worksheets[0];
  };

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    const consignee = { name: '王小明', phone: '057188886666', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路 1 号' };
    const order = shopOrder(
      [
        { code: 'TSHIRT', quantity: 4, unitPrice: PRICES.retailTshirt },
        { code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug },
      ],
      consignee,
    );
    const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, { ...order, remarks: '请放门口' }, network.shop.secret);
    expectStatus(push, 202);
    channelOrderId = push.body.id;
    externalOrderId = order.externalOrderId;
    expect((await orderRouted(api, network, channelOrderId)).status).toBe('routed');
    const inbox = await api.get('/v1/fulfillment-orders?status=new', network.factory.token);
    expect(inbox.body.data).toHaveLength(1);
    fulfillmentOrder = inbox.body.data[0];
    const tshirt = fulfillmentOrder.lines.find((line) => line.skuCode === 'TSHIRT-M')!;
    const ship = (carrierCode: string, trackingNumber: string, quantity: number) =>
      api.post(`/v1/fulfillment-orders/${fulfillmentOrder.id}/shipments`, { carrierCode, trackingNumber, lines: [{ lineId: tshirt.id, quantity }] }, network.factory.token);
    expectStatus(await ship('SF', 'SF1234567890123', 2), 201);
    expectStatus(await ship('ZTO', '78912345678901', 1), 201);
  });

  it('writes Chinese headers in order above a frozen header row', async () => {
    const sheet = await download('status=partially_shipped');
    expect(sheet.name).toBe('发货单');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, CHINESE_HEADERS.length)).toEqual(CHINESE_HEADERS);
    expect(sheet.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
    // 详细地址 is wider than 省.
    expect(sheet.getColumn(CHINESE_HEADERS.indexOf('详细地址') + 1).width).toBeGreaterThan(sheet.getColumn(CHINESE_HEADERS.indexOf('省') + 1).width!);
  });

  it('writes one row per parcel, carrier beside its own tracking number, one for what is left of a line, and one for the line not yet shipped', async () => {
    const rows = recordsOf(await download('status=partially_shipped'));
    expect(rows.map((row) => [row['商品编码'], row['数量'], row['快递公司'], row['快递单号']])).toEqual([
      ['TSHIRT-M', 2, '顺丰速运', 'SF1234567890123'],
      ['TSHIRT-M', 1, '中通快递', '78912345678901'],
      // The T-shirt still to ship: its own row, no carrier yet.
      ['TSHIRT-M', 1, null, null],
      ['MUG-350', 1, null, null],
    ]);
    for (const row of rows) {
      expect(row).toEqual(
        expect.objectContaining({ 发货单号: fulfillmentOrder.id, 订单号: channelOrderId, 店铺订单号: externalOrderId, 收件人: '王小明', 省: '浙江省', 买家留言: '请放门口', 状态: '部分发货' }),
      );
    }
    // The phone number is a text cell: its leading zero stays.
    expect(rows[0]['手机']).toBe('057188886666');
    // Tracking numbers and codes are text too, never numbers.
    expect(typeof rows[1]['快递单号']).toBe('string');
  });

  it('writes times as text on the Shanghai wall clock', async () => {
    const rows = recordsOf(await download('status=partially_shipped'));
    const shanghai = new Date(Date.parse(fulfillmentOrder.createdAt) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(rows.map((row) => row['下单时间'])).toEqual([shanghai, shanghai, shanghai, shanghai]);
    expect(rows[0]['发货时间']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(rows[2]['发货时间']).toBeNull();
    expect(rows[3]['发货时间']).toBeNull();
  });

  it('writes English headers, statuses and carrier names with language=en', async () => {
    const sheet = await download('status=partially_shipped&language=en');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual(['Fulfillment order', 'Order', 'Shop order no.', 'Consignee', 'Phone']);
    expect(header).toEqual(expect.arrayContaining(['SKU name', 'Spec']));
    expect(header).toEqual(expect.arrayContaining(['Carrier', 'Tracking number', 'Status', 'Created at', 'Shipped at']));
    const rows = recordsOf(sheet);
    expect(rows.map((row) => [row['Carrier'], row['Tracking number'], row['Status']])).toEqual([
      ['SF Express', 'SF1234567890123', 'Partially shipped'],
      ['ZTO Express', '78912345678901', 'Partially shipped'],
      [null, null, 'Partially shipped'],
      [null, null, 'Partially shipped'],
    ]);
  });

  it('refuses a language it does not write', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/fulfillment-orders/export.xlsx?language=fr', headers: { authorization: `Bearer ${network.factory.token}` } });
    expect(response.statusCode).toBe(400);
  });
});
