import { createHash } from 'node:crypto';
import { carrierForPlatform, LosslessJson, parseLosslessJson, platformRequest } from '@gongxiao/core';
import { PlatformCallContext, PlatformCallOutcome, PlatformOutbound, PlatformShop, ShipmentCall, StockCall } from '../platform-adapter';
import { failedCall, platformMessage, refusedCall } from '../platform-call-outcome';
import { platformApiBaseOf } from '../platform-shops';

type YouzanShop = Extract<PlatformShop, { integration: 'youzan' }>;
type Answer = { [key: string]: LosslessJson };

/**
 * Tokens by Gongxiao shop and the hash of its client secret, until a minute before Youzan says they
 * expire (a worker process's own cache). Never by client id + kdt_id alone: those are public, and
 * another merchant's shop naming them (with any secret) must not be handed this shop's token.
 */
const tokens = new Map<string, { token: string; until: number }>();
/** Gateway codes of a missing, unknown or expired token: a new one is fetched and the call tried again. */
const TOKEN_CODES = new Set(['4201', '4202', '4203']);

const baseOf = (shop: YouzanShop) => platformApiBaseOf(shop).replace(/\/+$/, '');
const tokenKey = (shop: YouzanShop) => `${shop.id}|${createHash('sha256').update(shop.credentials.clientSecret).digest('hex')}|${baseOf(shop)}|${shop.credentials.clientId}|${shop.credentials.kdtId}`;
const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8', accept: 'application/json' };

function parsed(body: string): Answer | null {
  try {
    const value = parseLosslessJson(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** Youzan answers HTTP 200 whatever happened: success only when the answer says so. */
const succeeded = (answer: Answer | null) => answer !== null && answer.gw_err_resp === undefined && (answer.success === true || answer.code === '200');

/** A silent-authorization token for the shop (自用型应用: POST /auth/token, grant_id = kdt_id), cached until it expires. */
async function accessToken(shop: YouzanShop, context: PlatformCallContext): Promise<{ token: string } | Extract<PlatformCallOutcome, { status: 'failed' }>> {
  const cached = tokens.get(tokenKey(shop));
  if (cached && cached.until > Date.now()) return { token: cached.token };
  const body = JSON.stringify({ client_id: shop.credentials.clientId, client_secret: shop.credentials.clientSecret, authorize_type: 'silent', grant_id: shop.credentials.kdtId, refresh: false });
  const answered = await platformRequest('POST', `${baseOf(shop)}/auth/token`, JSON_HEADERS, body, context.timeoutMs, context.allowList);
  if (!answered.ok) return failedCall('Getting a Youzan access token', answered);
  const answer = parsed(answered.body);
  const data = answer?.data as Answer | undefined;
  if (!succeeded(answer) || typeof data?.access_token !== 'string') {
    // A wrong client id or secret (1103 …) will not right itself.
    return refusedCall(`Getting a Youzan access token: ${platformMessage(answered.body) ?? 'no token in the answer'}`, answered.statusCode);
  }
  const expires = Number(data.expires ?? 0);
  tokens.set(tokenKey(shop), { token: data.access_token, until: (expires > 0 ? expires : Date.now() + 3600_000) - 60_000 });
  return { token: data.access_token };
}

/** One open-API call (POST /api/{name}/{version}?access_token=…, JSON body), with a new token once if Youzan refused the cached one. */
async function callApi(
  shop: YouzanShop,
  api: string,
  params: Record<string, string | number>,
  context: PlatformCallContext,
  what: string,
  alreadyShipped?: (answer: Answer | null) => boolean,
): Promise<PlatformCallOutcome> {
  for (let attempt = 0; ; attempt++) {
    const token = await accessToken(shop, context);
    if ('status' in token) return token;
    const url = `${baseOf(shop)}/api/${api}?access_token=${encodeURIComponent(token.token)}`;
    const answered = await platformRequest('POST', url, JSON_HEADERS, JSON.stringify(params), context.timeoutMs, context.allowList);
    if (!answered.ok) return failedCall(what, answered);
    const answer = parsed(answered.body);
    if (succeeded(answer) && (answer!.data as Answer | undefined)?.is_success !== false) return { status: 'done', statusCode: answered.statusCode };
    if (alreadyShipped && alreadyShipped(answer)) return { status: 'done', statusCode: answered.statusCode, note: `Youzan had this parcel already: ${platformMessage(answered.body)}` };
    const gateway = answer?.gw_err_resp as Answer | undefined;
    if (gateway && TOKEN_CODES.has(String(gateway.err_code))) {
      tokens.delete(tokenKey(shop));
      if (attempt === 0) continue;
      return { status: 'failed', retry: true, statusCode: answered.statusCode, error: `${what}: ${platformMessage(answered.body)}` };
    }
    return refusedCall(`${what}: Youzan answered ${platformMessage(answered.body) ?? 'without success'}`, answered.statusCode);
  }
}

/**
 * A confirmation Youzan refuses because the lines are shipped already (a re-sent call whose first answer
 * was lost): its message says 已发货 / 已经发货 (no stored source gives the business code for it).
 */
const ALREADY_SHIPPED = /已发货|已经发货|已全部发货/;
const isAlreadyShipped = (answer: Answer | null) => answer !== null && answer.success === false && typeof answer.message === 'string' && ALREADY_SHIPPED.test(answer.message);

/**
 * Youzan's open API (有赞云): a shipment is youzan.logistics.online.confirm 3.0.0 for the trade with
 * the oids of the shipped lines (split shipping; ids as strings, never through a JS number), the
 * express company id and the tracking number; stock is youzan.item.quantity.update 3.0.0 per listing,
 * a full update (type 0) of the item's SKU (or of the item when it has no SKUs).
 */
export const youzanOutbound: PlatformOutbound<'youzan'> = {
  async tellShipment(shop: YouzanShop, call: ShipmentCall, context: PlatformCallContext): Promise<PlatformCallOutcome> {
    const expressId = carrierForPlatform('youzan', call.carrierCode);
    if (!expressId) return refusedCall(`No Youzan express company id is known for carrier ${call.carrierCode}: tell Youzan this parcel by hand (有赞后台发货)`);
    const unnamed = call.lines.find((line) => !line.externalLineId);
    if (unnamed) return refusedCall(`Line ${unnamed.lineNo} has no Youzan oid (externalLineId): it cannot be confirmed on Youzan`);
    const oids = [...new Set(call.lines.map((line) => line.externalLineId!))].join(',');
    return callApi(
      shop,
      'youzan.logistics.online.confirm/3.0.0',
      { tid: call.externalOrderId, oids, out_stype: expressId, out_sid: call.trackingNumber, is_no_express: 0 },
      context,
      'Confirming the shipment',
      isAlreadyShipped,
    );
  },

  async tellStock(shop: YouzanShop, call: StockCall, context: PlatformCallContext): Promise<PlatformCallOutcome> {
    const skipped: string[] = [];
    let last: PlatformCallOutcome | null = null;
    for (const listing of call.listings) {
      if (!listing.platformProductId) {
        skipped.push(listing.shopSkuCode);
        continue;
      }
      const params = { item_id: listing.platformProductId, ...(listing.platformVariantId ? { sku_id: listing.platformVariantId } : {}), quantity: listing.available, type: 0 };
      last = await callApi(shop, 'youzan.item.quantity.update/3.0.0', params, context, `Updating the stock of ${listing.shopSkuCode}`);
      if (last.status === 'failed') return last;
    }
    const note = skipped.length > 0 ? `Not sent (no Youzan item_id): ${skipped.join(', ')}` : undefined;
    return last ? { status: 'done', statusCode: last.statusCode, note } : { status: 'skipped', statusCode: null, note };
  },
};

/** Forgets every cached token (tests). */
export function forgetYouzanTokens(): void {
  tokens.clear();
}
