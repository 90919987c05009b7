import { SHOPIFY_DOMAIN, shopifyHeaders, shopifyOrderJson, shopifyRefundJson } from '../../../../../test/support/platform-payloads/shopify';
import { InboundLookups, PlatformShop } from '../platform-adapter';
import { ShopifyInboundAdapter } from './shopify-inbound';

const SECRET = 'shpss_unit_secret';
const shop = {
  id: '1',
  merchantId: '2',
  status: 'active',
  integration: 'shopify',
  shopRef: SHOPIFY_DOMAIN,
  credentials: { shopDomain: SHOPIFY_DOMAIN, webhookSecret: SECRET, accessToken: 'shpat_x' },
} as PlatformShop;
const lookups = (codes: Record<string, string> = {}): InboundLookups => ({
  shopSkuCodesByVariant: async (ids) => new Map(ids.filter((variant) => codes[variant]).map((variant) => [variant, codes[variant]])),
  youzanTrade: async () => null,
});
const adapter = new ShopifyInboundAdapter();
const ORDER_ID = '5000000000000000123';
const LINE_ID = '5000000000000000999';
const body = shopifyOrderJson({ id: ORDER_ID, lines: [{ id: LINE_ID, variantId: '44000000000000001', sku: 'TSHIRT', quantity: 3, price: '19.99' }], shipping: '10.00' });
const delivered = (raw: string, topic = 'orders/create', options: Parameters<typeof shopifyHeaders>[4] = {}) =>
  adapter.verify(shopifyHeaders(raw, SECRET, topic, 'wh-1', options), Buffer.from(raw), shop);
const translated = (raw: string, topic = 'orders/create', codes: Record<string, string> = {}) => adapter.translate(delivered(raw, topic), shop, lookups(codes));
const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('Shopify inbound', () => {
  it('verifies the base64 HMAC of the raw body, the shop domain and the webhook id, and reads ids above 2^53 exactly', () => {
    const delivery = delivered(body);
    expect(delivery).toEqual(expect.objectContaining({ deliveryId: 'wh-1', topic: 'orders/create' }));
    expect((delivery.payload as { id: string }).id).toBe(ORDER_ID);
    expect(codeOf(() => adapter.verify(shopifyHeaders(body, SECRET, 'orders/create', 'wh-1'), Buffer.from(body.replace('19.99', '19.98')), shop))).toBe('signature_mismatch');
    expect(codeOf(() => adapter.verify(shopifyHeaders(body, 'other-secret', 'orders/create', 'wh-1'), Buffer.from(body), shop))).toBe('signature_mismatch');
    expect(codeOf(() => adapter.verify({ 'x-shopify-topic': 'orders/create' }, Buffer.from(body), shop))).toBe('signature_missing');
    expect(codeOf(() => delivered(body, 'orders/create', { domain: 'evil.myshopify.com' }))).toBe('shop_domain_mismatch');
    expect(codeOf(() => delivered('{"id":1', 'orders/create'))).toBe('invalid_json');
  });

  it("takes Shopify's retries (X-Shopify-Triggered-At up to 72 hours old) and refuses older or future deliveries", () => {
    expect(() => delivered(body, 'orders/create', { triggeredAt: new Date(Date.now() - 47 * 3600_000).toISOString() })).not.toThrow();
    expect(codeOf(() => delivered(body, 'orders/create', { triggeredAt: new Date(Date.now() - 73 * 3600_000).toISOString() }))).toBe('delivery_out_of_tolerance');
    expect(codeOf(() => delivered(body, 'orders/create', { triggeredAt: new Date(Date.now() + 3600_000).toISOString() }))).toBe('delivery_out_of_tolerance');
  });

  it('translates an order: shop money in minor units exactly, line ids, the address as written, total only when it reconciles', async () => {
    const command = await translated(body);
    if (command.kind !== 'order') throw new Error(command.kind);
    expect(command.order).toEqual(
      expect.objectContaining({
        externalOrderId: ORDER_ID,
        currency: 'CNY',
        lines: [expect.objectContaining({ shopSkuCode: 'TSHIRT', externalLineId: LINE_ID, quantity: 3, unitPrice: 1999 })],
        amounts: { shipping: 1000, discount: 0, total: 6997 },
        consignee: { name: '张三', phone: '+8613800138000', province: 'Guangdong', city: 'Guangzhou', district: '天河区', address: '天河路 385 号 3 楼 天河区', countryCode: 'CN' },
        placedAt: '2026-11-30T10:00:00+08:00',
      }),
    );
    // Taxes added on top (taxes_included false): the total does not reconcile, so it is not sent.
    const taxed = await translated(shopifyOrderJson({ id: ORDER_ID, lines: [{ id: LINE_ID, variantId: null, sku: 'TSHIRT', quantity: 3, price: '19.99' }], total: '65.97' }));
    expect(taxed.kind === 'order' && taxed.order.amounts).toEqual({ shipping: 0, discount: 0 });
  });

  it('maps a line without a SKU by its variant id: the listing mapped to it, else the variant id itself', async () => {
    const raw = shopifyOrderJson({
      id: ORDER_ID,
      lines: [
        { id: '1', variantId: '44000000000000001', sku: '', quantity: 1, price: '1.00' },
        { id: '2', variantId: '44000000000000002', sku: '', quantity: 1, price: '1.00' },
      ],
    });
    const command = await translated(raw, 'orders/create', { '44000000000000001': 'MUG' });
    expect(command.kind === 'order' && command.order.lines.map((line) => line.shopSkuCode)).toEqual(['MUG', '44000000000000002']);
  });

  it('unpaid orders and other topics are ignored; cancelled orders and refunds with restock_type "cancel" are cancellations', async () => {
    expect(await translated(shopifyOrderJson({ id: ORDER_ID, lines: [{ id: LINE_ID, variantId: null, sku: 'T', quantity: 1, price: '1.00' }], financialStatus: 'pending' }))).toEqual(
      expect.objectContaining({ kind: 'ignored', reason: expect.stringContaining('pending') }),
    );
    expect(await translated('{"id":1}', 'products/update')).toEqual(expect.objectContaining({ kind: 'ignored' }));
    expect(await translated(shopifyOrderJson({ id: ORDER_ID, lines: [], cancelledAt: '2026-11-30T11:00:00+08:00' }), 'orders/updated')).toEqual(
      expect.objectContaining({ kind: 'cancellation', externalOrderId: ORDER_ID }),
    );
    const refund = shopifyRefundJson({
      id: '5000000000000000777',
      orderId: ORDER_ID,
      lines: [
        { id: '1', lineItemId: LINE_ID, quantity: 2, restockType: 'cancel' },
        { id: '2', lineItemId: '5000000000000000998', quantity: 1, restockType: 'return' },
      ],
    });
    expect(await translated(refund, 'refunds/create')).toEqual({
      kind: 'cancellation',
      externalOrderId: ORDER_ID,
      reason: expect.any(String),
      cancellationId: 'shopify-refund-5000000000000000777',
      lines: [{ externalLineId: LINE_ID, quantity: 2 }],
    });
  });

  it('takes the phone as platforms write it: extension and punctuation dropped; the first found among shipping, order, customer, billing', async () => {
    const phoneOf = async (raw: string) => {
      const command = await translated(raw);
      return command.kind === 'order' ? command.order.consignee.phone : command.kind;
    };
    expect(await phoneOf(body.replace('"phone":"+86 138 0013 8000"', '"phone":"(555) 555-5555 x123"'))).toBe('5555555555');
    expect(await phoneOf(body.replace('"phone":"+86 138 0013 8000"', '"phone":"+1 555.555.5555 ext. 4"'))).toBe('+15555555555');
    // No shipping phone: the order's, then the customer's, then the billing one.
    const noShippingPhone = body.replace('"phone":"+86 138 0013 8000"', '"phone":null');
    expect(await phoneOf(noShippingPhone)).toBe('13800138000');
    expect(await phoneOf(noShippingPhone.replace('"phone":null,"presentment_currency"', '"phone":"+86 139-0000-1111","presentment_currency"'))).toBe('+8613900001111');
    expect(await phoneOf(noShippingPhone.replace('"last_name":"张","phone":null}', '"last_name":"张","phone":"021 5555 0000"}'))).toBe('02155550000');
  });

  it('refuses an order in a currency Gongxiao does not take with a 422', async () => {
    await expect(translated(shopifyOrderJson({ id: ORDER_ID, currency: 'JPY', lines: [{ id: LINE_ID, variantId: null, sku: 'T', quantity: 1, price: '100' }] }))).rejects.toMatchObject({
      code: 'unsupported_currency',
      kind: 'unprocessable',
    });
  });
});
