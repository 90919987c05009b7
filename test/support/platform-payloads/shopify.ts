import { createHmac } from 'node:crypto';

/**
 * Shopify webhook payloads as the Admin API (REST webhooks, 2025-01) sends them, after the published
 * sample of orders/create: ids are JSON numbers (written here as raw text, since some exceed 2^53),
 * money as decimal strings with *_set money bags in shop and presentment currency.
 */
export const SHOPIFY_DOMAIN = 'happy-home.myshopify.com';

export interface ShopifyLine {
  id: string;
  variantId: string | null;
  sku: string;
  quantity: number;
  price: string;
  title?: string;
  requiresShipping?: boolean;
}

const money = (amount: string, currency: string) => `{"shop_money":{"amount":"${amount}","currency_code":"${currency}"},"presentment_money":{"amount":"${amount}","currency_code":"${currency}"}}`;

/** An order payload (orders/create, orders/updated, orders/cancelled) as raw JSON text. */
export function shopifyOrderJson(order: {
  id: string;
  name?: string;
  currency?: string;
  lines: ShopifyLine[];
  shipping?: string;
  discount?: string;
  total?: string;
  cancelledAt?: string | null;
  financialStatus?: string;
  province?: string;
  note?: string | null;
}): string {
  const currency = order.currency ?? 'CNY';
  const lines = order.lines
    .map(
      (line) =>
        `{"id":${line.id},"admin_graphql_api_id":"gid://shopify/LineItem/${line.id}","attributed_staffs":[],"current_quantity":${line.quantity},"fulfillable_quantity":${line.quantity},` +
        `"fulfillment_service":"manual","fulfillment_status":null,"gift_card":false,"grams":200,"name":${JSON.stringify(line.title ?? line.sku)},"price":"${line.price}","price_set":${money(line.price, currency)},` +
        `"product_exists":true,"product_id":632910392,"properties":[],"quantity":${line.quantity},"requires_shipping":${line.requiresShipping ?? true},"sku":${JSON.stringify(line.sku)},"taxable":true,` +
        `"title":${JSON.stringify(line.title ?? 'T-shirt')},"total_discount":"0.00","total_discount_set":${money('0.00', currency)},"variant_id":${line.variantId ?? 'null'},"variant_inventory_management":"shopify",` +
        `"variant_title":"M","vendor":null,"tax_lines":[],"duties":[],"discount_allocations":[]}`,
    )
    .join(',');
  const goods = order.lines.reduce((sum, line) => sum + Number(line.price.replace('.', '')) * line.quantity, 0);
  const subtotal = (goods / 100).toFixed(2);
  const shipping = order.shipping ?? '0.00';
  const discount = order.discount ?? '0.00';
  const total = order.total ?? ((goods + Number(shipping.replace('.', '')) - Number(discount.replace('.', ''))) / 100).toFixed(2);
  return (
    `{"id":${order.id},"admin_graphql_api_id":"gid://shopify/Order/${order.id}","app_id":null,"browser_ip":null,"buyer_accepts_marketing":false,` +
    `"cancel_reason":${order.cancelledAt ? '"customer"' : 'null'},"cancelled_at":${order.cancelledAt ? JSON.stringify(order.cancelledAt) : 'null'},"cart_token":null,"checkout_id":null,` +
    `"closed_at":null,"confirmation_number":"ZBYWUHRVU","confirmed":true,"contact_email":"jon@example.com","created_at":"2026-11-30T10:00:00+08:00","currency":"${currency}",` +
    `"current_subtotal_price":"${subtotal}","current_total_price":"${total}","email":"jon@example.com","estimated_taxes":false,"financial_status":"${order.financialStatus ?? 'paid'}",` +
    `"fulfillment_status":null,"landing_site":null,"name":"${order.name ?? '#1001'}","note":${order.note === undefined ? '"请尽快发货"' : JSON.stringify(order.note)},"number":1,"order_number":1001,` +
    `"phone":null,"presentment_currency":"${currency}","processed_at":"2026-11-30T10:00:00+08:00","source_name":"web","subtotal_price":"${subtotal}","subtotal_price_set":${money(subtotal, currency)},` +
    `"tags":"","tax_lines":[],"taxes_included":true,"test":false,"total_discounts":"${discount}","total_discounts_set":${money(discount, currency)},"total_line_items_price":"${subtotal}",` +
    `"total_price":"${total}","total_price_set":${money(total, currency)},"total_shipping_price_set":${money(shipping, currency)},"total_tax":"0.00","total_weight":0,"updated_at":"2026-11-30T10:00:00+08:00",` +
    `"billing_address":{"first_name":"三","last_name":"张","address1":"天河路 385 号","phone":"13800138000","city":"Guangzhou","zip":"510620","province":"Guangdong","country":"China","country_code":"CN","province_code":"GD"},` +
    `"customer":{"id":115310627314723954,"email":"jon@example.com","first_name":"三","last_name":"张","phone":null},"discount_applications":[],"fulfillments":[],"line_items":[${lines}],` +
    `"payment_terms":null,"refunds":[],"shipping_address":{"first_name":"三","address1":"天河路 385 号 3 楼","phone":"+86 138 0013 8000","city":"Guangzhou","zip":"510620",` +
    `"province":"${order.province ?? 'Guangdong'}","country":"China","last_name":"张","address2":"天河区","company":null,"latitude":null,"longitude":null,"name":"三 张","country_code":"CN","province_code":"GD"},` +
    `"shipping_lines":[{"id":271878346596884015,"code":"Standard","price":"${shipping}","price_set":${money(shipping, currency)},"title":"Standard"}]}`
  );
}

/** A refunds/create payload: refund line items with their restock_type. */
export function shopifyRefundJson(refund: { id: string; orderId: string; lines: { id: string; lineItemId: string; quantity: number; restockType: 'cancel' | 'return' | 'no_restock' }[] }): string {
  const lines = refund.lines
    .map((line) => `{"id":${line.id},"line_item_id":${line.lineItemId},"location_id":24826418,"quantity":${line.quantity},"restock_type":"${line.restockType}","subtotal":"19.99","total_tax":"0.00"}`)
    .join(',');
  return `{"id":${refund.id},"order_id":${refund.orderId},"created_at":"2026-11-30T12:00:00+08:00","note":"Things were damaged","user_id":548380009,"processed_at":"2026-11-30T12:00:00+08:00","restock":true,"duties":[],"total_duties_set":{"shop_money":{"amount":"0.00","currency_code":"CNY"}},"admin_graphql_api_id":"gid://shopify/Refund/${refund.id}","refund_line_items":[${lines}],"transactions":[],"order_adjustments":[]}`;
}

/** The headers Shopify sends with a delivery, signed with the app's secret. */
export function shopifyHeaders(body: string, secret: string, topic: string, webhookId: string, options: { domain?: string; triggeredAt?: string; hmac?: string } = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-hmac-sha256': options.hmac ?? createHmac('sha256', secret).update(body, 'utf8').digest('base64'),
    'x-shopify-shop-domain': options.domain ?? SHOPIFY_DOMAIN,
    'x-shopify-api-version': '2025-01',
    'x-shopify-webhook-id': webhookId,
    'x-shopify-triggered-at': options.triggeredAt ?? new Date().toISOString(),
    'x-shopify-event-id': `evt-${webhookId}`,
  };
}
