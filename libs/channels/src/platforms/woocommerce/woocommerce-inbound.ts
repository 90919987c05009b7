import { createHash } from 'node:crypto';
import { decimalToMinorUnits, DomainError } from '@gongxiao/core';
import {
  arrayOf,
  clip,
  countOf,
  currencyOf,
  districtFrom,
  firstPhone,
  headerOf,
  hmacBase64,
  JsonObject,
  minorUnits,
  notThisPlatform,
  objectOf,
  optionalMinorUnits,
  personName,
  readJsonBody,
  reconciledAmounts,
  required,
  sameText,
  textOf,
  unauthenticated,
  countryCodeOf,
} from '../inbound-support';
import { InboundCommand, InboundHeaders, InboundOrder, PlatformDelivery, PlatformInboundAdapter, PlatformShop, WooCommerceCredentials } from '../platform-adapter';

const PAID = new Set(['processing', 'on-hold', 'completed']);
const NOT_PAID = new Set(['pending', 'failed', 'checkout-draft']);
const CANCELLED = new Set(['cancelled', 'refunded']);

/** WooCommerce's ping when a webhook is saved: `webhook_id=<n>`, form-encoded, unsigned. */
export function isWooCommercePing(contentType: string | undefined, rawBody: Buffer | undefined): boolean {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/x-www-form-urlencoded' && /^webhook_id=\d{1,20}$/.test((rawBody ?? Buffer.alloc(0)).toString('utf8').trim());
}

/**
 * WooCommerce (includes/class-wc-webhook.php): X-WC-Webhook-Signature = base64 HMAC-SHA256 of the
 * raw body under the webhook's secret, X-WC-Webhook-Source = the store's home URL, X-WC-Webhook-Topic
 * ("order.created"), X-WC-Webhook-Delivery-ID.
 */
export class WooCommerceInboundAdapter implements PlatformInboundAdapter {
  readonly integration = 'woocommerce' as const;

  verify(headers: InboundHeaders, rawBody: Buffer, shop: PlatformShop): PlatformDelivery {
    const credentials = shop.credentials as WooCommerceCredentials;
    const signature = headerOf(headers, 'x-wc-webhook-signature');
    if (!signature) throw unauthenticated('signature_missing', 'This is not a WooCommerce delivery: X-WC-Webhook-Signature is missing.');
    if (!sameText(signature.trim(), hmacBase64(credentials.webhookSecret, rawBody))) {
      throw unauthenticated('signature_mismatch', "X-WC-Webhook-Signature does not match the body under the secret of the shop's WooCommerce webhook.");
    }
    const source = headerOf(headers, 'x-wc-webhook-source');
    let host: string | undefined;
    try {
      host = source ? new URL(source).host.toLowerCase() : undefined;
    } catch {
      host = undefined;
    }
    if (host !== shop.shopRef) throw unauthenticated('webhook_source_mismatch', `X-WC-Webhook-Source is ${source ?? 'missing'}, not this shop's site ${shop.shopRef}.`);
    const topic = headerOf(headers, 'x-wc-webhook-topic');
    const deliveryId = headerOf(headers, 'x-wc-webhook-delivery-id');
    if (!topic || !deliveryId) throw notThisPlatform('WooCommerce', topic ? 'X-WC-Webhook-Delivery-ID' : 'X-WC-Webhook-Topic', 'is missing');
    const payload = readJsonBody(rawBody, 'The WooCommerce delivery');
    if (!objectOf(payload)) throw notThisPlatform('WooCommerce', 'body', 'is not a JSON object');
    // The delivery id is wp_hash(webhook id + the current second): two orders of one webhook in one second share it, so the body tells them apart.
    return { deliveryId: `${deliveryId.slice(0, 160)}:${createHash('sha256').update(rawBody).digest('hex').slice(0, 16)}`, topic, payload };
  }

  async translate(delivery: PlatformDelivery): Promise<InboundCommand> {
    if (delivery.topic !== 'order.created' && delivery.topic !== 'order.updated') return { kind: 'ignored', reason: `WooCommerce topic ${delivery.topic} is not one Gongxiao acts on` };
    const body = objectOf(delivery.payload)!;
    const externalOrderId = required('WooCommerce', textOf(body.id), 'id');
    const status = required('WooCommerce', textOf(body.status), 'status');
    if (CANCELLED.has(status)) return { kind: 'cancellation', externalOrderId, reason: `WooCommerce: order ${status}` };
    if (NOT_PAID.has(status)) return { kind: 'ignored', reason: `not paid (status ${status})`, externalOrderId };
    if (!PAID.has(status)) return { kind: 'ignored', reason: `status ${status} is not one Gongxiao acts on`, externalOrderId };
    return { kind: 'order', order: wooOrder(body) };
  }
}

/**
 * The unit price of a line: its `subtotal` (a decimal string, before coupons) over the quantity when
 * that divides exactly; else `price` as written (the raw JSON number's text, never a float); else the
 * subtotal over the quantity rounded half up (to the fen).
 */
export function wooUnitPrice(item: JsonObject, quantity: number, field: string): number {
  const subtotal = minorUnits(item.subtotal, `${field}.subtotal`);
  if (quantity > 0 && subtotal % quantity === 0) return subtotal / quantity;
  const price = textOf(item.price) === undefined ? null : decimalToMinorUnits(textOf(item.price)!);
  if (price !== null && price >= 0n) return Number(price);
  return quantity > 0 ? Math.floor((2 * subtotal + quantity) / (2 * quantity)) : subtotal;
}

function wooOrder(body: JsonObject): InboundOrder {
  const currency = currencyOf(textOf(body.currency), 'currency');
  const lines = arrayOf(body.line_items).map((value, index) => {
    const item = objectOf(value);
    if (!item) throw notThisPlatform('WooCommerce', `line_items[${index}]`, 'is not an object');
    const quantity = countOf(item.quantity) ?? 0;
    const lineId = textOf(item.id);
    const variation = textOf(item.variation_id);
    const product = textOf(item.product_id);
    return {
      shopSkuCode: textOf(item.sku) ?? (variation && variation !== '0' ? variation : (product ?? `woo-line-${lineId ?? index + 1}`)),
      ...(lineId ? { externalLineId: lineId } : {}),
      ...(textOf(item.name) ? { title: clip(textOf(item.name), 300) } : {}),
      quantity,
      unitPrice: wooUnitPrice(item, quantity, `line_items[${index}]`),
    };
  });
  const goods = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const shipping = optionalMinorUnits(body.shipping_total, 'shipping_total');
  const discount = optionalMinorUnits(body.discount_total, 'discount_total');
  const total = optionalMinorUnits(body.total, 'total');
  const remarks = [`WooCommerce #${textOf(body.number) ?? textOf(body.id)}`, textOf(body.customer_note)].filter(Boolean).join(' · ');
  const created = textOf(body.date_created_gmt);
  return {
    externalOrderId: textOf(body.id)!,
    currency,
    consignee: wooConsignee(body),
    lines,
    amounts: reconciledAmounts(goods, shipping, discount, total),
    remarks: clip(remarks, 1000),
    ...(created && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(created) ? { placedAt: `${created}Z` } : {}),
  };
}

/** The shipping address (the billing one when the order has none); the state as sent ("CN12" = Zhejiang, "Guangdong"): normalized in ingest. */
function wooConsignee(body: JsonObject): InboundOrder['consignee'] {
  const billing = objectOf(body.billing) ?? {};
  const shipping = objectOf(body.shipping);
  const address = shipping && (textOf(shipping.address_1) || textOf(shipping.city)) ? shipping : billing;
  if (!textOf(address.address_1) && !textOf(address.city)) {
    throw new DomainError('invalid', 'platform_payload_invalid', 'The WooCommerce order has no shipping or billing address.', [{ field: 'shipping', reason: 'no address' }]);
  }
  const city = textOf(address.city) ?? '';
  const line1 = textOf(address.address_1);
  const line2 = textOf(address.address_2);
  // WooCommerce has no order or customer phone of its own: the shipping one (WooCommerce 5.6+), then billing.
  const phone = firstPhone(textOf(address.phone), textOf(shipping?.phone), textOf(billing.phone));
  return {
    name: personName(textOf(address.first_name), textOf(address.last_name), textOf(address.company)),
    phone,
    province: textOf(address.state) ?? '',
    city,
    district: districtFrom(city, line1, line2),
    address: [line1, line2].filter(Boolean).join(' '),
    ...countryCodeOf(textOf(address.country)),
  };
}
