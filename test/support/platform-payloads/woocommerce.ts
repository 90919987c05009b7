import { createHmac } from 'node:crypto';

/**
 * WooCommerce webhook payloads as includes/class-wc-webhook.php delivers them: the REST API v3 order
 * (wc/v3 orders) as JSON, `price` a JSON number (a float in PHP), totals as decimal strings.
 */
export const WOO_SITE = 'https://shop.happy-home.example';

export interface WooLine {
  id: number;
  sku: string;
  quantity: number;
  /** The unit price as PHP writes the float (e.g. 19.99, 16.666666666666668). */
  priceLexeme: string;
  subtotal: string;
}

export function wooOrderJson(order: { id: number; status: string; lines: WooLine[]; shipping?: string; discount?: string; total?: string; state?: string; currency?: string }): string {
  const lines = order.lines
    .map(
      (line) =>
        `{"id":${line.id},"name":"T-shirt - M","product_id":93,"variation_id":0,"quantity":${line.quantity},"tax_class":"","subtotal":"${line.subtotal}","subtotal_tax":"0.00","total":"${line.subtotal}",` +
        `"total_tax":"0.00","taxes":[],"meta_data":[],"sku":${JSON.stringify(line.sku)},"price":${line.priceLexeme},"image":{"id":"","src":""},"parent_name":null}`,
    )
    .join(',');
  const shipping = order.shipping ?? '10.00';
  const goods = order.lines.reduce((sum, line) => sum + Number(line.subtotal.replace('.', '')), 0);
  const discount = order.discount ?? '0.00';
  const total = order.total ?? ((goods + Number(shipping.replace('.', '')) - Number(discount.replace('.', ''))) / 100).toFixed(2);
  return (
    `{"id":${order.id},"parent_id":0,"status":"${order.status}","currency":"${order.currency ?? 'CNY'}","version":"9.4.2","prices_include_tax":false,"date_created":"2026-11-30T10:00:00",` +
    `"date_modified":"2026-11-30T10:00:00","discount_total":"${discount}","discount_tax":"0.00","shipping_total":"${shipping}","shipping_tax":"0.00","cart_tax":"0.00","total":"${total}","total_tax":"0.00",` +
    `"customer_id":0,"order_key":"wc_order_58d2d042d1d","billing":{"first_name":"三","last_name":"张","company":"","address_1":"文三路 100 号","address_2":"西湖区","city":"杭州市","state":"${order.state ?? 'CN12'}",` +
    `"postcode":"310000","country":"CN","email":"zhangsan@example.com","phone":"13800138000"},"shipping":{"first_name":"三","last_name":"张","company":"","address_1":"文三路 100 号 2 单元","address_2":"西湖区",` +
    `"city":"杭州市","state":"${order.state ?? 'CN12'}","postcode":"310000","country":"CN","phone":""},"payment_method":"alipay","payment_method_title":"Alipay","transaction_id":"","customer_ip_address":"",` +
    `"customer_user_agent":"","created_via":"checkout","customer_note":"周末送货","date_completed":null,"date_paid":"2026-11-30T10:01:00","cart_hash":"","number":"${order.id}","meta_data":[],` +
    `"line_items":[${lines}],"tax_lines":[],"shipping_lines":[{"id":${order.id}01,"method_title":"Flat rate","method_id":"flat_rate","instance_id":"1","total":"${shipping}","total_tax":"0.00","taxes":[],"meta_data":[]}],` +
    `"fee_lines":[],"coupon_lines":[],"refunds":[],"payment_url":"","is_editable":false,"needs_payment":false,"needs_processing":true,"date_created_gmt":"2026-11-30T02:00:00",` +
    `"date_modified_gmt":"2026-11-30T02:00:00","date_completed_gmt":null,"date_paid_gmt":"2026-11-30T02:01:00","currency_symbol":"¥","_links":{"self":[{"href":"${WOO_SITE}/wp-json/wc/v3/orders/${order.id}"}]}}`
  );
}

/** The headers WooCommerce sends with a delivery (class-wc-webhook.php get_delivery_headers… deliver). */
export function wooHeaders(body: string, secret: string, topic: string, deliveryId: string, options: { source?: string; signature?: string } = {}): Record<string, string> {
  const [resource, event] = topic.split('.');
  return {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
    'x-wc-webhook-source': options.source ?? `${WOO_SITE}/`,
    'x-wc-webhook-topic': topic,
    'x-wc-webhook-resource': resource,
    'x-wc-webhook-event': event,
    'x-wc-webhook-signature': options.signature ?? createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
    'x-wc-webhook-id': '12',
    'x-wc-webhook-delivery-id': deliveryId,
  };
}
