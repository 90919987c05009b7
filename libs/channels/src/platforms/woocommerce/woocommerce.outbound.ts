import { createHash } from 'node:crypto';
import { carrierForPlatform, LosslessJson, parseLosslessJson, platformRequest, PlatformRequestMethod } from '@gongxiao/core';
import { PlatformCallContext, PlatformCallOutcome, PlatformOutbound, PlatformShop, ShipmentCall, StockCall } from '../platform-adapter';
import { failedCall, jsonWithNumericIds, refusedCall } from '../platform-call-outcome';
import { wooCommerceAuthorized } from './woocommerce-auth';

type WooCommerceShop = Extract<PlatformShop, { integration: 'woocommerce' }>;

/** The order meta the Shipment Tracking extension keeps its parcels in (an array of tracking items). */
export const TRACKING_META_KEY = '_wc_shipment_tracking_items';
/** WooCommerce's batch endpoints take at most 100 objects per request. */
const BATCH_LIMIT = 100;

function request(shop: WooCommerceShop, method: PlatformRequestMethod, path: string, body: string | undefined, context: PlatformCallContext) {
  const url = `${shop.credentials.siteUrl.replace(/\/+$/, '')}/wp-json/wc/v3/${path}`;
  const signed = wooCommerceAuthorized(method, url, shop.credentials.consumerKey, shop.credentials.consumerSecret);
  return platformRequest(method, signed.url, { accept: 'application/json', 'content-type': 'application/json', ...signed.headers }, body, context.timeoutMs, context.allowList);
}

/** The tracking items an order has already (its meta as GET orders/{id} answers it). */
function trackingItemsOf(order: LosslessJson): LosslessJson[] {
  const meta = order && typeof order === 'object' && !Array.isArray(order) ? order.meta_data : undefined;
  if (!Array.isArray(meta)) return [];
  const entry = meta.find((item) => item && typeof item === 'object' && !Array.isArray(item) && item.key === TRACKING_META_KEY) as { value?: LosslessJson } | undefined;
  return Array.isArray(entry?.value) ? entry.value : [];
}

/** One parcel as the Shipment Tracking extension stores it; its tracking_id is the shipment's, so a retry adds nothing. */
export function trackingItem(call: ShipmentCall): Record<string, string> {
  const provider = carrierForPlatform('woocommerce', call.carrierCode) ?? call.carrierCode;
  return {
    tracking_provider: provider,
    custom_tracking_provider: provider,
    custom_tracking_link: '',
    tracking_number: call.trackingNumber,
    date_shipped: String(Math.floor(new Date(call.shippedAt).getTime() / 1000)),
    tracking_id: createHash('md5').update(`gongxiao-shipment-${call.shipmentId}`).digest('hex'),
  };
}

/**
 * The WooCommerce REST API (wc/v3): a shipment reads the order, adds its parcel to the Shipment
 * Tracking items in the order's meta (keeping the ones there) and, once every unit has shipped, sets
 * the order `completed` (PUT orders/{id}); stock updates simple products with products/batch and
 * variations with products/{parent}/variations/batch, `manage_stock` on.
 */
export const wooCommerceOutbound: PlatformOutbound<'woocommerce'> = {
  async tellShipment(shop: WooCommerceShop, call: ShipmentCall, context: PlatformCallContext): Promise<PlatformCallOutcome> {
    if (!/^\d{1,20}$/.test(call.externalOrderId)) return refusedCall(`The shop order ${call.externalOrderId} is not a WooCommerce order id`);
    const read = await request(shop, 'GET', `orders/${call.externalOrderId}`, undefined, context);
    if (!read.ok) return failedCall('Reading the order', read);
    let existing: LosslessJson[];
    try {
      existing = trackingItemsOf(parseLosslessJson(read.body));
    } catch {
      return { status: 'failed', retry: true, statusCode: read.statusCode, error: 'WooCommerce answered the order with something that is not JSON' };
    }
    const item = trackingItem(call);
    // Told already: this shipment's tracking item, or any item with this tracking number (added by hand or by another tool).
    const told = existing.some(
      (entry) =>
        entry &&
        typeof entry === 'object' &&
        !Array.isArray(entry) &&
        (entry.tracking_id === item.tracking_id || (typeof entry.tracking_number === 'string' && entry.tracking_number.trim() === item.tracking_number)),
    );
    const body = { ...(told ? {} : { meta_data: [{ key: TRACKING_META_KEY, value: [...existing, item] }] }), ...(call.orderShipped ? { status: 'completed' } : {}) };
    if (Object.keys(body).length === 0) return { status: 'done', statusCode: read.statusCode, note: 'The order had this parcel already' };
    const updated = await request(shop, 'PUT', `orders/${call.externalOrderId}`, JSON.stringify(body), context);
    return updated.ok ? { status: 'done', statusCode: updated.statusCode } : failedCall('Updating the order', updated);
  },

  async tellStock(shop: WooCommerceShop, call: StockCall, context: PlatformCallContext): Promise<PlatformCallOutcome> {
    const skipped = call.listings.filter((listing) => !listing.platformProductId).map((listing) => listing.shopSkuCode);
    // Simple products go to products/batch; variations to their parent's variations/batch.
    const groups = new Map<string, { id: string; stock_quantity: number; manage_stock: true }[]>();
    for (const listing of call.listings.filter((candidate) => candidate.platformProductId)) {
      const path = listing.platformVariantId ? `products/${listing.platformProductId}/variations/batch` : 'products/batch';
      groups.set(path, [...(groups.get(path) ?? []), { id: listing.platformVariantId ?? listing.platformProductId!, stock_quantity: listing.available, manage_stock: true }]);
    }
    let statusCode: number | null = null;
    const refused: string[] = [];
    for (const [path, updates] of groups) {
      for (let start = 0; start < updates.length; start += BATCH_LIMIT) {
        const sent = await request(shop, 'POST', path, jsonWithNumericIds({ update: updates.slice(start, start + BATCH_LIMIT) }, ['id']), context);
        if (!sent.ok) return failedCall(`Updating stock (${path})`, sent);
        statusCode = sent.statusCode;
        refused.push(...batchErrors(sent.body));
      }
    }
    const notes = [...(skipped.length > 0 ? [`Not sent (no WooCommerce product id): ${skipped.join(', ')}`] : []), ...(refused.length > 0 ? [`WooCommerce refused: ${refused.join('; ')}`] : [])];
    return { status: groups.size === 0 ? 'skipped' : 'done', statusCode, note: notes.length > 0 ? notes.join('. ') : undefined };
  },
};

/** The per-object errors of a batch answer ({"update": [{"id": 0, "error": {"code", "message"}}]}). */
function batchErrors(body: string): string[] {
  try {
    const answer = parseLosslessJson(body);
    const updates = answer && typeof answer === 'object' && !Array.isArray(answer) && Array.isArray(answer.update) ? answer.update : [];
    return updates.flatMap((entry) => {
      const error = entry && typeof entry === 'object' && !Array.isArray(entry) ? entry.error : undefined;
      return error && typeof error === 'object' && !Array.isArray(error) ? [`${String(entry && typeof entry === 'object' && !Array.isArray(entry) ? entry.id : '?')}: ${String(error.message)}`] : [];
    });
  } catch {
    return [];
  }
}
