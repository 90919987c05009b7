import { DomainError, LosslessJson } from '@gongxiao/core';
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
import { InboundCommand, InboundHeaders, InboundLookups, InboundOrder, PlatformDelivery, PlatformInboundAdapter, PlatformShop, ShopifyCredentials } from '../platform-adapter';

/** Shopify retries a failed delivery for up to 48 hours; older deliveries (by X-Shopify-Triggered-At) are replays. */
export const SHOPIFY_MAX_DELIVERY_AGE_MS = 72 * 3600_000;
const FUTURE_SKEW_MS = 5 * 60_000;
const ORDER_TOPICS = new Set(['orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled']);
const PAID = new Set(['paid', 'partially_paid', 'authorized', 'partially_refunded', 'refunded']);

/** An amount of a Shopify money bag (`price_set.shop_money.amount`), else its plain field (`price`). */
function shopMoney(object: JsonObject, field: string): LosslessJson | undefined {
  const bag = objectOf(objectOf(object[`${field}_set`])?.shop_money);
  return bag?.amount ?? object[field];
}

/**
 * Shopify (Admin API webhooks): X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body under the
 * app's client secret), X-Shopify-Shop-Domain (the shop's), X-Shopify-Topic, X-Shopify-Webhook-Id.
 */
export class ShopifyInboundAdapter implements PlatformInboundAdapter {
  readonly integration = 'shopify' as const;

  verify(headers: InboundHeaders, rawBody: Buffer, shop: PlatformShop): PlatformDelivery {
    const credentials = shop.credentials as ShopifyCredentials;
    const signature = headerOf(headers, 'x-shopify-hmac-sha256');
    if (!signature) throw unauthenticated('signature_missing', 'This is not a Shopify delivery: X-Shopify-Hmac-Sha256 is missing.');
    if (!sameText(signature.trim(), hmacBase64(credentials.webhookSecret, rawBody))) {
      throw unauthenticated('signature_mismatch', "X-Shopify-Hmac-Sha256 does not match the body under the shop's Shopify app secret.");
    }
    const domain = headerOf(headers, 'x-shopify-shop-domain')?.toLowerCase();
    if (domain !== shop.shopRef) throw unauthenticated('shop_domain_mismatch', `X-Shopify-Shop-Domain is ${domain ?? 'missing'}, not this shop's ${shop.shopRef}.`);
    const deliveryId = headerOf(headers, 'x-shopify-webhook-id');
    const topic = headerOf(headers, 'x-shopify-topic');
    if (!deliveryId || !topic) throw notThisPlatform('Shopify', deliveryId ? 'X-Shopify-Topic' : 'X-Shopify-Webhook-Id', 'is missing');
    checkTriggeredAt(headerOf(headers, 'x-shopify-triggered-at'));
    const payload = readJsonBody(rawBody, 'The Shopify delivery');
    if (!objectOf(payload)) throw notThisPlatform('Shopify', 'body', 'is not a JSON object');
    return { deliveryId: deliveryId.slice(0, 200), topic, payload };
  }

  async translate(delivery: PlatformDelivery, _shop: PlatformShop, lookups: InboundLookups): Promise<InboundCommand> {
    const body = objectOf(delivery.payload)!;
    if (delivery.topic === 'refunds/create') return refundCommand(body);
    if (!ORDER_TOPICS.has(delivery.topic)) return { kind: 'ignored', reason: `Shopify topic ${delivery.topic} is not one Gongxiao acts on` };
    const externalOrderId = required('Shopify', textOf(body.id), 'id');
    if (textOf(body.cancelled_at) !== undefined || delivery.topic === 'orders/cancelled') {
      return { kind: 'cancellation', externalOrderId, reason: clip(`Shopify: cancelled (${textOf(body.cancel_reason) ?? 'no reason given'})`, 500)! };
    }
    const financial = textOf(body.financial_status);
    if (financial !== undefined && !PAID.has(financial)) return { kind: 'ignored', reason: `not paid yet (financial_status ${financial})`, externalOrderId };
    const order = await shopifyOrder(body, lookups);
    return order ? { kind: 'order', order } : { kind: 'ignored', reason: 'no line of the order needs shipping', externalOrderId };
  }
}

/** Shopify sends X-Shopify-Triggered-At on every delivery; a retry keeps the first time, so the window covers its 48 hours of retries. */
function checkTriggeredAt(value: string | undefined): void {
  if (value === undefined) return;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return;
  const now = Date.now();
  if (now - at > SHOPIFY_MAX_DELIVERY_AGE_MS || at - now > FUTURE_SKEW_MS) {
    throw new DomainError(
      'invalid',
      'delivery_out_of_tolerance',
      `X-Shopify-Triggered-At ${value} is outside the ${SHOPIFY_MAX_DELIVERY_AGE_MS / 3600_000} hours Gongxiao takes a delivery: a replay.`,
      [{ field: 'X-Shopify-Triggered-At', reason: 'too old or in the future' }],
    );
  }
}

/** refunds/create: units refunded with restock_type "cancel" were never shipped, so they are a partial cancellation; the rest is money only. */
function refundCommand(refund: JsonObject): InboundCommand {
  const externalOrderId = required('Shopify', textOf(refund.order_id), 'order_id');
  const refundId = required('Shopify', textOf(refund.id), 'id');
  const lines: { externalLineId: string; quantity: number }[] = [];
  for (const item of arrayOf(refund.refund_line_items).map(objectOf)) {
    if (!item || textOf(item.restock_type) !== 'cancel') continue;
    const lineId = textOf(item.line_item_id) ?? textOf(objectOf(item.line_item)?.id);
    const quantity = countOf(item.quantity);
    if (lineId && quantity) lines.push({ externalLineId: lineId, quantity });
  }
  if (lines.length === 0) return { kind: 'ignored', reason: `refund ${refundId} cancels no unshipped units (no refund line with restock_type "cancel")`, externalOrderId };
  return { kind: 'cancellation', externalOrderId, reason: `Shopify refund ${refundId}: units cancelled`, cancellationId: `shopify-refund-${refundId}`.slice(0, 64), lines };
}

/** A Shopify order as a push; null when none of its lines needs shipping (gift cards, services). */
async function shopifyOrder(body: JsonObject, lookups: InboundLookups): Promise<InboundOrder | null> {
  const currency = currencyOf(textOf(body.currency), 'currency');
  const items = arrayOf(body.line_items)
    .map(objectOf)
    .filter((item): item is JsonObject => item !== undefined && item.requires_shipping !== false);
  if (items.length === 0) return null;
  const needVariant = items.filter((item) => !textOf(item.sku)).flatMap((item) => textOf(item.variant_id) ?? []);
  const byVariant = needVariant.length ? await lookups.shopSkuCodesByVariant(needVariant) : new Map<string, string>();
  const lines = items.map((item, index) => {
    const lineId = textOf(item.id);
    const variantId = textOf(item.variant_id);
    const title = [textOf(item.title), textOf(item.variant_title)].filter(Boolean).join(' ');
    return {
      shopSkuCode: textOf(item.sku) ?? (variantId ? (byVariant.get(variantId) ?? variantId) : `shopify-line-${lineId ?? index + 1}`),
      ...(lineId ? { externalLineId: lineId } : {}),
      ...(title ? { title: clip(title, 300) } : {}),
      quantity: countOf(item.quantity) ?? 0,
      unitPrice: minorUnits(shopMoney(item, 'price'), `line_items[${index}].price_set.shop_money.amount`),
    };
  });
  const goods = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const shipping = optionalMinorUnits(shopMoney(body, 'total_shipping_price'), 'total_shipping_price_set.shop_money.amount');
  const discount = optionalMinorUnits(shopMoney(body, 'total_discounts'), 'total_discounts_set.shop_money.amount');
  const total = optionalMinorUnits(shopMoney(body, 'total_price'), 'total_price_set.shop_money.amount');
  const remarks = [textOf(body.name) ? `Shopify ${textOf(body.name)}` : undefined, textOf(body.note)].filter(Boolean).join(' · ');
  return {
    externalOrderId: textOf(body.id)!,
    currency,
    consignee: shopifyConsignee(body),
    lines,
    amounts: reconciledAmounts(goods, shipping, discount, total),
    ...(remarks ? { remarks: clip(remarks, 1000) } : {}),
    ...(textOf(body.created_at) ? { placedAt: textOf(body.created_at) } : {}),
  };
}

/** The shipping address as Shopify writes it (province in English or a code: normalized in ingest). */
function shopifyConsignee(body: JsonObject): InboundOrder['consignee'] {
  const address = objectOf(body.shipping_address);
  if (!address) throw notThisPlatform('Shopify', 'shipping_address', 'is missing (an order Gongxiao ships needs one)');
  const name = personName(textOf(address.first_name), textOf(address.last_name), textOf(address.name));
  const phone = firstPhone(textOf(address.phone), textOf(body.phone), textOf(objectOf(body.customer)?.phone), textOf(objectOf(body.billing_address)?.phone));
  const city = textOf(address.city) ?? '';
  const line1 = textOf(address.address1);
  const line2 = textOf(address.address2);
  return {
    name,
    phone,
    province: textOf(address.province) ?? textOf(address.province_code) ?? '',
    city,
    district: districtFrom(city, line1, line2),
    address: [line1, line2].filter(Boolean).join(' '),
    // The country decides whether the region is normalized to China's divisions (a foreign address passes as written).
    ...countryCodeOf(textOf(address.country_code)),
  };
}
