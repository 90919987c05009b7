import type { ResolvedListing } from '@gongxiao/channels';
import { SheetRow } from '@gongxiao/core';
import { BULK_ORDER_COLUMNS, BulkOrderColumn } from './bulk-orders.sheet';
import { planBulkOrders, PlanFacts } from './bulk-order-plan';
import { ReceivedOrder } from './received-orders';

const listing = (code: string, retail: number, status = 'active', currency = 'CNY'): [string, ResolvedListing] => [
  code,
  { listingId: `L-${code}`, shopSkuCode: code, offerId: '1', skuId: null, retailPriceAmount: retail, currency, status },
];

const facts = (received: ReceivedOrder[] = []): PlanFacts => ({
  shopName: '小店',
  listings: new Map([listing('TEA', 3900), listing('CUP', 1500), listing('OLD', 100, 'paused'), listing('USD', 100, 'active', 'USD')]),
  received: new Map(received.map((order) => [order.externalOrderId, order])),
  utcOffset: '+08:00',
});

let rowNumber = 1;
const row = (cells: Partial<Record<BulkOrderColumn, string>>): SheetRow<BulkOrderColumn> => ({
  rowNumber: ++rowNumber,
  values: Object.fromEntries(BULK_ORDER_COLUMNS.map((column) => [column, cells[column] ?? ''])) as Record<BulkOrderColumn, string>,
});
const good = (orderNo: string, more: Partial<Record<BulkOrderColumn, string>> = {}) =>
  row({ orderNo, consignee: '张三', phone: '13800138000', address: '浙江省杭州市西湖区文三路90号', skuCode: 'TEA', quantity: '1', ...more });

beforeEach(() => (rowNumber = 1));

describe('planBulkOrders', () => {
  it('makes one order of the rows with one order number; a continuation row takes the order’s consignee; an empty price is the retail price', async () => {
    const plan = await planBulkOrders([good('A', { unitPrice: '35.5', remarks: '放门口', placedAt: '2026-11-22 10:00' }), row({ orderNo: 'A', skuCode: 'CUP', quantity: '2' })], facts());
    expect(plan.rejected).toEqual([]);
    expect(plan.orders).toHaveLength(1);
    expect({ ...plan.orders[0].input }).toEqual({
      externalOrderId: 'A',
      currency: 'CNY',
      consignee: expect.objectContaining({ name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路90号' }),
      lines: [expect.objectContaining({ shopSkuCode: 'TEA', quantity: 1, unitPrice: 3550 }), expect.objectContaining({ shopSkuCode: 'CUP', quantity: 2, unitPrice: 1500 })],
      remarks: '放门口',
      placedAt: '2026-11-22T10:00:00+08:00',
    });
    expect(plan.orders[0].rows.map((item) => item.rowNumber)).toEqual([2, 3]);
  });

  it('rejects a whole order for one bad row, saying so on the good rows', async () => {
    const plan = await planBulkOrders([good('A'), good('A', { skuCode: 'OLD' }), good('A', { quantity: '0' }), good('B')], facts());
    expect(plan.orders.map((order) => order.input.externalOrderId)).toEqual(['B']);
    expect(plan.rejected.map((item) => [item.rowNumber, item.reason['zh-CN']])).toEqual([
      [2, '同一订单 A 的第 3、4 行未通过，整单未导入'],
      [3, '商品编码：店铺「小店」的商品「OLD」已暂停销售：先恢复销售'],
      [4, '数量：至少为 1'],
    ]);
    expect(plan.rejected[0].reason.en).toBe('rows 3, 4 of the same order A were rejected, so the whole order was not imported');
  });

  it('collects every problem of a row', async () => {
    const plan = await planBulkOrders([row({ orderNo: 'A', phone: '1', skuCode: 'NONE', quantity: 'x', unitPrice: '1.234' })], facts());
    expect(plan.rejected[0].reason.en).toBe(
      'SKU code: no listing with SKU code "NONE" in shop "小店": list the offer in this shop with this code first; Quantity: "x" is not a whole number of units; ' +
        'Unit price: "1.234" has more than two decimals (prices are in fen); Phone: "1" is neither an 11-digit mobile number nor a landline with its area code',
    );
  });

  it('rejects a row without an order number on its own', async () => {
    const plan = await planBulkOrders([good(''), good('B')], facts());
    expect(plan.rejected.map((item) => [item.rowNumber, item.reason.en])).toEqual([[2, 'Order no.: is required']]);
    expect(plan.orders).toHaveLength(1);
  });

  it('names the column in which the rows of an order disagree', async () => {
    const plan = await planBulkOrders([good('A'), good('A', { phone: '13900139000' })], facts());
    expect(plan.rejected.map((item) => item.reason.en)).toEqual([
      'Phone: differs between the rows of order A (row 2 "13800138000", row 3 "13900139000")',
      'Phone: differs between the rows of order A (row 2 "13800138000", row 3 "13900139000")',
    ]);
  });

  it('requires the consignee on some row of the order', async () => {
    const plan = await planBulkOrders([row({ orderNo: 'A', address: '浙江省杭州市西湖区文三路90号', skuCode: 'TEA', quantity: '1' })], facts());
    expect(plan.rejected[0].reason['zh-CN']).toBe('收件人：必填；手机：必填');
  });

  it('takes the region from its columns, and refuses one that contradicts the address', async () => {
    const given = await planBulkOrders([good('A', { province: '江苏', city: '苏州市', district: '姑苏区', address: '人民路1号' })], facts());
    expect(given.orders[0].input.consignee).toEqual(expect.objectContaining({ province: '江苏省', city: '苏州市', district: '姑苏区', address: '人民路1号' }));
    const repeated = await planBulkOrders([good('A', { province: '浙江省', city: '杭州市', district: '西湖区' })], facts());
    expect(repeated.orders[0].input.consignee.address).toBe('文三路90号');
    const contradicts = await planBulkOrders([good('A', { province: '江苏省' })], facts());
    expect(contradicts.rejected[0].reason['zh-CN']).toBe('省：「江苏省」与详细地址中的「浙江省」不一致');
    const unsplit = await planBulkOrders([good('A', { address: '文三路90号' })], facts());
    expect(unsplit.rejected[0].reason.en).toContain('Address: cannot tell the province, city and district apart');
  });

  it('refuses a listing in another currency and a text too long for the order', async () => {
    const plan = await planBulkOrders([good('A', { skuCode: 'USD' }), good('B', { remarks: '很'.repeat(1001) })], facts());
    expect(plan.rejected.map((item) => item.reason.en)).toEqual(['SKU code: the listing "USD" is priced in USD; sheet orders are in CNY only', 'Remarks: must be at most 1000 characters']);
  });

  it('an order received before is unchanged when it is the same, rejected naming the columns when not', async () => {
    const received: ReceivedOrder = {
      id: '77',
      externalOrderId: 'A',
      consignee: { name: '张三', phone: '138-0013-8000', province: '浙江', city: '杭州', district: '西湖区', address: '浙江省杭州市西湖区 文三路 90 号' },
      lines: [{ shopSkuCode: 'TEA', quantity: 1, unitPrice: 3000 }],
      remarks: null,
      placedAt: null,
    };
    // The sheet gives no price: the received price (3000, not the retail 3900) is not compared.
    const same = await planBulkOrders([good('A')], facts([received]));
    expect(same).toEqual({ orders: [], unchangedRows: 1, rejected: [] });
    const other = await planBulkOrders([good('A', { quantity: '2', unitPrice: '39', consignee: '李四' })], facts([received]));
    expect(other.rejected[0].reason.en).toBe(
      'Order no.: order A was already received (Gongxiao order 77) with a different Consignee, Quantity, Unit price: an order cannot be changed by uploading it again; cancel it and upload it under a new order number',
    );
    expect(other.unchangedRows).toBe(0);
  });
});
