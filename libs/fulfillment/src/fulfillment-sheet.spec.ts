import { localTime, SheetContext, SheetLine, sheetRows } from './fulfillment-sheet';

describe('localTime', () => {
  it('writes the Shanghai wall clock by default', () => {
    expect(localTime(new Date('2026-03-31T16:05:00Z'))).toBe('2026-04-01 00:05');
  });

  it('takes another time zone', () => {
    expect(localTime('2026-07-01T12:30:00Z', 'Europe/Berlin')).toBe('2026-07-01 14:30');
  });

  it('writes nothing for no time', () => {
    expect(localTime(null)).toBe('');
  });
});

describe('sheetRows', () => {
  const line: SheetLine = {
    line_id: '7',
    fulfillment_order_id: '3',
    channel_order_id: '5',
    status: 'new',
    warehouse_id: '1',
    sku_id: '9',
    consignee_name: '王小明',
    consignee_phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    address: '文三路 1 号',
    remarks: null,
    quantity: 4,
    cancelled_quantity: 0,
    supply_price_amount: '3000',
    customization_label: '',
    currency: 'CNY',
    created_at: new Date('2026-12-01T02:00:00Z'),
    shipped_at: null,
  };
  const context: SheetContext = {
    language: 'zh-CN',
    timeZone: 'Asia/Shanghai',
    warehouse: undefined,
    sku: { id: '9', code: 'TSHIRT-M', name: 'T-shirt M', spec: '=白色 / M' },
    externalOrderId: 'YZ-20261201-1',
  };

  it('writes the shop order number and the spec (formula-looking text unchanged: its column is a Text column)', () => {
    const [row] = sheetRows(line, [], context);
    expect(row).toEqual(expect.objectContaining({ shopOrder: 'YZ-20261201-1', skuName: 'T-shirt M', spec: '=白色 / M', quantity: 4, createdAt: '2026-12-01 10:00' }));
  });

  it('never asks to ship cancelled units, and marks a line cancelled before it shipped', () => {
    expect(sheetRows({ ...line, cancelled_quantity: 1 }, [], context).map((row) => [row.quantity, row.status])).toEqual([[3, '待发货']]);
    expect(sheetRows({ ...line, cancelled_quantity: 4 }, [], context).map((row) => [row.quantity, row.status])).toEqual([[4, '已取消']]);
    const parcel = { line_id: '7', quantity: 2, carrier_code: 'SF', tracking_number: 'SF1', created_at: new Date('2026-12-01T04:00:00Z') };
    expect(sheetRows({ ...line, status: 'shipped', cancelled_quantity: 2 }, [parcel], context).map((row) => [row.quantity, row.tracking, row.status])).toEqual([[2, 'SF1', '已发货']]);
  });
});
