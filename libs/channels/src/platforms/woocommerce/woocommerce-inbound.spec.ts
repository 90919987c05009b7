import { WOO_SITE, wooHeaders, wooOrderJson } from '../../../../../test/support/platform-payloads/woocommerce';
import { objectOf, readJsonBody } from '../inbound-support';
import { PlatformShop } from '../platform-adapter';
import { isWooCommercePing, WooCommerceInboundAdapter, wooUnitPrice } from './woocommerce-inbound';

const SECRET = 'woo-unit-secret';
const shop = { id: '1', merchantId: '2', status: 'active', integration: 'woocommerce', shopRef: new URL(WOO_SITE).host, credentials: { siteUrl: WOO_SITE, webhookSecret: SECRET } } as PlatformShop;
const adapter = new WooCommerceInboundAdapter();
const order = (status: string) => wooOrderJson({ id: 4711, status, lines: [{ id: 31, sku: 'TSHIRT', quantity: 3, priceLexeme: '19.99', subtotal: '59.97' }] });
const translate = (raw: string, topic = 'order.created') => adapter.translate(adapter.verify(wooHeaders(raw, SECRET, topic, 'd-1'), Buffer.from(raw), shop));
const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('WooCommerce inbound', () => {
  it('verifies X-WC-Webhook-Signature over the raw body and X-WC-Webhook-Source against the store', () => {
    const raw = order('processing');
    expect(adapter.verify(wooHeaders(raw, SECRET, 'order.created', 'd-1'), Buffer.from(raw), shop)).toEqual(
      expect.objectContaining({ deliveryId: expect.stringMatching(/^d-1:[0-9a-f]{16}$/), topic: 'order.created' }),
    );
    expect(codeOf(() => adapter.verify(wooHeaders(raw, SECRET, 'order.created', 'd-1'), Buffer.from(raw.replace('59.97', '59.96')), shop))).toBe('signature_mismatch');
    expect(codeOf(() => adapter.verify(wooHeaders(raw, SECRET, 'order.created', 'd-1', { source: 'https://elsewhere.example/' }), Buffer.from(raw), shop))).toBe('webhook_source_mismatch');
    expect(codeOf(() => adapter.verify({}, Buffer.from(raw), shop))).toBe('signature_missing');
  });

  it('knows the ping: form-encoded webhook_id=<n>, and nothing else', () => {
    expect(isWooCommercePing('application/x-www-form-urlencoded', Buffer.from('webhook_id=12'))).toBe(true);
    expect(isWooCommercePing('application/json', Buffer.from('webhook_id=12'))).toBe(false);
    expect(isWooCommercePing('application/x-www-form-urlencoded', Buffer.from('webhook_id=12&x=1'))).toBe(false);
  });

  it('prices a line from its subtotal when it divides, else from the price as written, never through a float', () => {
    const item = (subtotal: string, price: string) => objectOf(readJsonBody(`{"subtotal":"${subtotal}","price":${price}}`, 'line'))!;
    expect(wooUnitPrice(item('59.97', '19.99'), 3, 'l')).toBe(1999);
    expect(wooUnitPrice(item('100.00', '33.33'), 3, 'l')).toBe(3333);
    // A price PHP wrote with float noise: the subtotal over the quantity, rounded half up.
    expect(wooUnitPrice(item('50.00', '16.666666666666668'), 3, 'l')).toBe(1667);
  });

  it('processing / on-hold / completed are orders; pending / failed / checkout-draft ignored; cancelled / refunded cancellations', async () => {
    const command = await translate(order('processing'));
    expect(command).toEqual({
      kind: 'order',
      order: expect.objectContaining({
        externalOrderId: '4711',
        currency: 'CNY',
        lines: [{ shopSkuCode: 'TSHIRT', externalLineId: '31', title: 'T-shirt - M', quantity: 3, unitPrice: 1999 }],
        amounts: { shipping: 1000, discount: 0, total: 6997 },
        consignee: { name: '张三', phone: '13800138000', province: 'CN12', city: '杭州市', district: '西湖区', address: '文三路 100 号 2 单元 西湖区', countryCode: 'CN' },
        placedAt: '2026-11-30T02:00:00Z',
      }),
    });
    for (const status of ['on-hold', 'completed']) expect((await translate(order(status))).kind).toBe('order');
    for (const status of ['pending', 'failed', 'checkout-draft'])
      expect(await translate(order(status))).toEqual(expect.objectContaining({ kind: 'ignored', reason: expect.stringContaining('not paid') }));
    for (const status of ['cancelled', 'refunded']) expect(await translate(order(status), 'order.updated')).toEqual(expect.objectContaining({ kind: 'cancellation', externalOrderId: '4711' }));
    expect((await translate('{"id":93}', 'product.updated')).kind).toBe('ignored');
  });
});
