import { carrierForPlatform, parseLosslessJson, platformRequest } from '@gongxiao/core';
import { PlatformCallContext, PlatformCallOutcome, PlatformOutbound, PlatformShop, ShipmentCall, StockCall } from '../platform-adapter';
import { failedCall, jsonWithNumericIds, refusedCall } from '../platform-call-outcome';
import { platformApiBaseOf } from '../platform-shops';
import { fulfillmentOrderLines, fulfillmentPlan, parcelFulfilledAlready } from './shopify-fulfillment-plan';

type ShopifyShop = Extract<PlatformShop, { integration: 'shopify' }>;

/** The Admin API version called when the shop's credentials name none (a stable version inside Shopify's twelve-month support window at 2026-12); `credentials.apiVersion` overrides it. */
export const SHOPIFY_DEFAULT_API_VERSION = '2026-10';

const adminUrl = (shop: ShopifyShop, path: string) => `${platformApiBaseOf(shop).replace(/\/+$/, '')}/admin/api/${shop.credentials.apiVersion ?? SHOPIFY_DEFAULT_API_VERSION}/${path}`;
const headersOf = (shop: ShopifyShop) => ({ 'x-shopify-access-token': shop.credentials.accessToken, accept: 'application/json', 'content-type': 'application/json' });
const ID_KEYS = ['fulfillment_order_id', 'id', 'location_id', 'inventory_item_id'] as const;

/** Whether the order's fulfillments hold this parcel (an earlier attempt's answer lost): its outcome if so or if they cannot be read, false to go on. */
async function toldAlready(shop: ShopifyShop, call: ShipmentCall, context: PlatformCallContext): Promise<PlatformCallOutcome | false> {
  const read = await platformRequest('GET', adminUrl(shop, `orders/${call.externalOrderId}/fulfillments.json`), headersOf(shop), undefined, context.timeoutMs, context.allowList);
  if (!read.ok) return failedCall('Reading the fulfillments', read);
  let answer;
  try {
    answer = parseLosslessJson(read.body);
  } catch {
    return { status: 'failed', retry: true, statusCode: read.statusCode, error: 'Shopify answered the fulfillments with something that is not JSON' };
  }
  if (!parcelFulfilledAlready(answer, call.trackingNumber, call.lines)) return false;
  return { status: 'done', statusCode: read.statusCode, note: `Shopify had a fulfillment with tracking ${call.trackingNumber} for these line items already` };
}

/**
 * Shopify's REST Admin API, fulfillment-order based: a shipment reads the order's fulfillment orders
 * (GET orders/{id}/fulfillment_orders.json), picks the fulfillment order line items of the shipped line
 * items, checks the order's fulfillments (GET orders/{id}/fulfillments.json: one with this tracking
 * number and line items means the parcel was told already) and creates one fulfillment for them with
 * the tracking (POST fulfillments.json); stock sets
 * each listing's inventory item at the shop's location (POST inventory_levels/set.json).
 */
export const shopifyOutbound: PlatformOutbound<'shopify'> = {
  async tellShipment(shop: ShopifyShop, call: ShipmentCall, context: PlatformCallContext): Promise<PlatformCallOutcome> {
    if (!/^\d{1,30}$/.test(call.externalOrderId)) return refusedCall(`The shop order ${call.externalOrderId} is not a Shopify order id`);
    const read = await platformRequest('GET', adminUrl(shop, `orders/${call.externalOrderId}/fulfillment_orders.json`), headersOf(shop), undefined, context.timeoutMs, context.allowList);
    if (!read.ok) return failedCall('Reading the fulfillment orders', read);
    let answer;
    try {
      answer = parseLosslessJson(read.body);
    } catch {
      return { status: 'failed', retry: true, statusCode: read.statusCode, error: 'Shopify answered the fulfillment orders with something that is not JSON' };
    }
    const plan = fulfillmentPlan(fulfillmentOrderLines(answer), call.lines);
    if (plan.kind === 'impossible') return refusedCall(plan.reason, read.statusCode);
    if (plan.kind === 'already_fulfilled') return { status: 'done', statusCode: read.statusCode, note: 'Shopify had these line items fulfilled already' };
    const told = await toldAlready(shop, call, context);
    if (told !== false) return told;
    const company = carrierForPlatform('shopify', call.carrierCode) ?? call.carrierCode;
    const body = {
      fulfillment: {
        line_items_by_fulfillment_order: plan.lineItemsByFulfillmentOrder,
        tracking_info: { company, number: call.trackingNumber },
        notify_customer: true,
      },
    };
    const created = await platformRequest('POST', adminUrl(shop, 'fulfillments.json'), headersOf(shop), jsonWithNumericIds(body, ID_KEYS), context.timeoutMs, context.allowList);
    return created.ok ? { status: 'done', statusCode: created.statusCode } : failedCall('Creating the fulfillment', created);
  },

  async tellStock(shop: ShopifyShop, call: StockCall, context: PlatformCallContext): Promise<PlatformCallOutcome> {
    const locationId = shop.credentials.locationId;
    if (!locationId) return { status: 'skipped', statusCode: null, note: 'The shop’s Shopify credentials name no locationId: stock is not set' };
    const skipped: string[] = [];
    let statusCode: number | null = null;
    for (const listing of call.listings) {
      if (!listing.platformInventoryItemId) {
        skipped.push(listing.shopSkuCode);
        continue;
      }
      const body = { location_id: locationId, inventory_item_id: listing.platformInventoryItemId, available: listing.available };
      const set = await platformRequest('POST', adminUrl(shop, 'inventory_levels/set.json'), headersOf(shop), jsonWithNumericIds(body, ID_KEYS), context.timeoutMs, context.allowList);
      if (!set.ok) return failedCall(`Setting the inventory of ${listing.shopSkuCode}`, set);
      statusCode = set.statusCode;
    }
    const note = skipped.length > 0 ? `Not set (no Shopify inventory item id): ${skipped.join(', ')}` : undefined;
    return { status: skipped.length === call.listings.length ? 'skipped' : 'done', statusCode, note };
  },
};
