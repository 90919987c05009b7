import { YOUZAN_CLIENT_ID, YOUZAN_KDT_ID, youzanEnvelope, youzanFullOrderInfo, youzanHeaders } from '../../../../../test/support/platform-payloads/youzan';
import { parseLosslessJson } from '@gongxiao/core';
import { InboundLookups, PlatformShop } from '../platform-adapter';
import { YouzanInboundAdapter, youzanMessage } from './youzan-inbound';

const SECRET = 'yz-unit-secret';
const shop = {
  id: '1',
  merchantId: '2',
  status: 'active',
  integration: 'youzan',
  shopRef: YOUZAN_KDT_ID,
  credentials: { clientId: YOUZAN_CLIENT_ID, clientSecret: SECRET, kdtId: YOUZAN_KDT_ID },
} as PlatformShop;
const adapter = new YouzanInboundAdapter();
const TID = 'E20261130100000000001';
const OID = '2873491203477823746';
const full = youzanFullOrderInfo({ tid: TID, lines: [{ oid: OID, outerSkuId: 'TSHIRT', itemId: '2873491203477823747', skuId: '2873491203477823748', num: 3, price: '19.99' }], postFee: '10.00' });
const fetched: string[] = [];
const lookups: InboundLookups = { shopSkuCodesByVariant: async () => new Map(), youzanTrade: async (tid) => (fetched.push(tid), parseLosslessJson(`{"full_order_info":${full}}`)) };
const verify = (raw: string, headers = youzanHeaders(raw, SECRET, '')) => adapter.verify(headers, Buffer.from(raw), shop);
const translate = (raw: string) => adapter.translate(verify(raw), shop, lookups);
const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('Youzan inbound', () => {
  it('decodes msg as Java URL-encodes it ("+" a space) and reads it without loss', () => {
    expect(youzanMessage('%7B%22a%22%3A%22x+y%22%2C%22oid%22%3A2873491203477823746%7D')).toEqual({ a: 'x y', oid: OID });
    expect(youzanMessage('{"tid":"E1"}')).toEqual({ tid: 'E1' });
  });

  it('verifies sign = md5(client_id + msg + client_secret), or Event-Sign over the body, and the kdt_id', () => {
    const raw = youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${full}}`, secret: SECRET, msgId: 'm-1' });
    expect(verify(raw)).toEqual(expect.objectContaining({ deliveryId: 'm-1', topic: 'trade_TradePaid' }));
    expect(verify(raw, youzanHeaders(raw, SECRET, 'trade_TradePaid', { headerSign: true })).topic).toBe('trade_TradePaid');
    expect(codeOf(() => verify(raw.replace('19.99', '19.98')))).toBe('signature_mismatch');
    expect(codeOf(() => verify(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: '{}', secret: 'wrong' })))).toBe('signature_mismatch');
    expect(codeOf(() => verify(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: '{}', secret: SECRET, kdtId: '1' })))).toBe('kdt_id_mismatch');
    expect(codeOf(() => verify(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: '{}', secret: SECRET, clientId: 'someone-else' })))).toBe('signature_mismatch');
    expect(codeOf(() => verify('{"id":1}'))).toBe('signature_missing');
  });

  it('legacy sign covers msg only: the shop is the one the msg names (kdt_id / node_kdt_id, or a chain root_kdt_id), not the unsigned envelope', () => {
    // The msg names this shop (order_info.node_kdt_id): a forged envelope kdt_id changes nothing.
    expect(verify(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${full}}`, secret: SECRET, kdtId: '1' })).signedOnly).toBe('msg');
    // The msg names another shop: refused even when the envelope says this one.
    const elsewhere = full.replace(/"node_kdt_id":\d+/, '"node_kdt_id":777');
    expect(codeOf(() => verify(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${elsewhere}}`, secret: SECRET })))).toBe('kdt_id_mismatch');
    // A chain store's branch, pushed to the head store's shop.
    const branch = full.replace(/"node_kdt_id":(\d+)/, '"node_kdt_id":777,"root_kdt_id":$1');
    expect(verify(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${branch}}`, secret: SECRET })).topic).toBe('trade_TradePaid');
    // Event-Sign covers the whole body: the envelope's kdt_id is trusted there.
    const headerSigned = youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${elsewhere}}`, secret: SECRET });
    expect(verify(headerSigned, youzanHeaders(headerSigned, SECRET, 'trade_TradePaid', { headerSign: true })).signedOnly).toBeUndefined();
  });

  it('legacy sign: paid-ness and a close come from the signed msg, never the envelope type or status', async () => {
    const unpaid = youzanFullOrderInfo({ tid: TID, status: 'WAIT_BUYER_PAY', payTime: '', lines: [{ oid: OID, outerSkuId: 'T', itemId: '1', skuId: '2', num: 1, price: '1.00' }] });
    expect(await translate(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${unpaid}}`, secret: SECRET }))).toEqual(
      expect.objectContaining({ kind: 'ignored', reason: expect.stringContaining('not paid') }),
    );
    expect(await translate(youzanEnvelope({ type: 'trade_TradeClose', tid: TID, msgJson: `{"full_order_info":${full}}`, secret: SECRET, status: 'TRADE_CLOSE' }))).toEqual(
      expect.objectContaining({ kind: 'ignored', reason: expect.stringContaining('does not say the trade closed') }),
    );
    expect((await translate(youzanEnvelope({ type: 'trade_TradeClose', tid: TID, msgJson: `{"tid":"${TID}","status":"TRADE_CLOSED"}`, secret: SECRET }))).kind).toBe('cancellation');
    // With Event-Sign the envelope is signed: its type says paid.
    const signed = youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${unpaid}}`, secret: SECRET });
    const delivery = verify(signed, youzanHeaders(signed, SECRET, 'trade_TradePaid', { headerSign: true }));
    expect((await adapter.translate(delivery, shop, lookups)).kind).toBe('order');
  });

  it('translates trade_TradePaid: tid, oid kept as text, prices exact, address_extra read, paid total reconciled', async () => {
    const command = await translate(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${full}}`, secret: SECRET }));
    expect(command).toEqual({
      kind: 'order',
      order: expect.objectContaining({
        externalOrderId: TID,
        currency: 'CNY',
        lines: [expect.objectContaining({ shopSkuCode: 'TSHIRT', externalLineId: OID, quantity: 3, unitPrice: 1999 })],
        amounts: { shipping: 1000, total: 6997 },
        consignee: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路 100 号 2 单元 301' },
        remarks: '请用顺丰',
        placedAt: '2026-11-30T10:00:00+08:00',
      }),
    });
    // No district field: the division code inside address_extra stands in for it.
    const noDistrict = full.replace('"delivery_district":"西湖区"', '"delivery_district":""');
    const fromExtra = await translate(youzanEnvelope({ type: 'trade_TradePaid', tid: TID, msgJson: `{"full_order_info":${noDistrict}}`, secret: SECRET }));
    expect(fromExtra.kind === 'order' && fromExtra.order.consignee.district).toBe('330106');
  });

  it('fetches the trade when the message names only its tid', async () => {
    fetched.length = 0;
    const command = await translate(youzanEnvelope({ type: 'trade_TradeBuyerPay', tid: TID, msgJson: `{"tid":"${TID}"}`, secret: SECRET }));
    expect(fetched).toEqual([TID]);
    expect(command.kind === 'order' && command.order.lines[0].externalLineId).toBe(OID);
  });

  it('trade_TradeCreate only once paid; trade_TradeClose a cancellation; other types ignored', async () => {
    const unpaid = youzanFullOrderInfo({ tid: TID, status: 'WAIT_BUYER_PAY', payTime: '', lines: [{ oid: OID, outerSkuId: 'T', itemId: '1', skuId: '2', num: 1, price: '1.00' }] });
    expect(await translate(youzanEnvelope({ type: 'trade_TradeCreate', tid: TID, msgJson: `{"full_order_info":${unpaid}}`, secret: SECRET }))).toEqual(
      expect.objectContaining({ kind: 'ignored', reason: expect.stringContaining('WAIT_BUYER_PAY') }),
    );
    expect((await translate(youzanEnvelope({ type: 'trade_TradeCreate', tid: TID, msgJson: `{"full_order_info":${full}}`, secret: SECRET }))).kind).toBe('order');
    expect(await translate(youzanEnvelope({ type: 'trade_TradeClose', tid: TID, msgJson: `{"tid":"${TID}","close_type":1}`, secret: SECRET }))).toEqual(
      expect.objectContaining({ kind: 'cancellation', externalOrderId: TID }),
    );
    expect((await translate(youzanEnvelope({ type: 'SCRM_CUSTOMER_EVENT', tid: TID, msgJson: '{}', secret: SECRET }))).kind).toBe('ignored');
  });
});
