import { LosslessJson, parseLosslessJson } from '@gongxiao/core';
import {
  arrayOf,
  clip,
  countOf,
  firstPhone,
  headerOf,
  JsonObject,
  md5Hex,
  minorUnits,
  notThisPlatform,
  objectOf,
  optionalMinorUnits,
  readJsonBody,
  reconciledAmounts,
  required,
  sameText,
  textOf,
  unauthenticated,
  UnreadablePayloadError,
} from '../inbound-support';
import { InboundCommand, InboundHeaders, InboundLookups, InboundOrder, PlatformDelivery, PlatformInboundAdapter, PlatformShop, YouzanCredentials } from '../platform-adapter';

/** What Youzan expects back from a push it should not send again. */
export const YOUZAN_SUCCESS = { code: 0, msg: 'success' };
const PAID_TYPES = new Set(['trade_TradePaid', 'trade_TradeBuyerPay']);
/** Trade statuses once the buyer has paid (youzan.trade.get 4.0.0 order_info.status). */
const PAID_STATUSES = new Set(['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_SUCCESS', 'TRADE_PAID', 'SELLER_CONSIGNED_PART']);
const CLOSED_STATUSES = new Set(['TRADE_CLOSE', 'TRADE_CLOSED']);

/** The message inside the envelope: URL-encoded JSON (Java's URLEncoder: "+" for a space), or plain JSON. */
export function youzanMessage(msg: string): JsonObject {
  let text = msg.trim();
  if (!text.startsWith('{')) {
    try {
      text = decodeURIComponent(text.replace(/\+/g, ' '));
    } catch {
      throw new UnreadablePayloadError('Youzan', 'msg', 'is not URL-encoded JSON');
    }
  }
  let parsed: LosslessJson;
  try {
    parsed = parseLosslessJson(text);
  } catch (error) {
    throw new UnreadablePayloadError('Youzan', 'msg', `is not whole JSON (${(error as Error).message})`);
  }
  const object = objectOf(parsed);
  if (!object) throw new UnreadablePayloadError('Youzan', 'msg', 'is not a JSON object');
  return object;
}

/**
 * Youzan (有赞云) push messages: the envelope {client_id, id, kdt_id, msg, sign, type, status, version,
 * msg_id, …} signed either in the body (sign = md5(client_id + msg + client_secret)) or, in the newer
 * form, in the headers (Event-Sign = md5(client_id + raw body + client_secret), Event-Type, Client-Id).
 */
export class YouzanInboundAdapter implements PlatformInboundAdapter {
  readonly integration = 'youzan' as const;

  verify(headers: InboundHeaders, rawBody: Buffer, shop: PlatformShop): PlatformDelivery {
    const credentials = shop.credentials as YouzanCredentials;
    const eventSign = headerOf(headers, 'event-sign');
    if (eventSign) {
      const expected = md5Hex(Buffer.concat([Buffer.from(credentials.clientId), rawBody, Buffer.from(credentials.clientSecret)]));
      if (!sameText(eventSign.trim().toLowerCase(), expected)) throw unauthenticated('signature_mismatch', "Event-Sign does not match md5(client_id + body + client_secret) of the shop's Youzan app.");
    }
    const payload = readJsonBody(rawBody, 'The Youzan push');
    const envelope = objectOf(payload);
    if (!envelope)
      throw eventSign ? notThisPlatform('Youzan', 'body', 'is not a JSON object') : unauthenticated('signature_missing', 'This is not a Youzan push: no Event-Sign header and no signed envelope.');
    const msg = typeof envelope.msg === 'string' ? envelope.msg : undefined;
    if (!eventSign) {
      const sign = textOf(envelope.sign);
      if (!sign || msg === undefined) throw unauthenticated('signature_missing', 'This is not a Youzan push: the envelope has no sign (or no msg) and there is no Event-Sign header.');
      if (!sameText(sign.toLowerCase(), md5Hex(credentials.clientId + msg + credentials.clientSecret))) {
        throw unauthenticated('signature_mismatch', "sign does not match md5(client_id + msg + client_secret) of the shop's Youzan app.");
      }
    }
    const clientId = textOf(envelope.client_id) ?? headerOf(headers, 'client-id');
    if (clientId !== undefined && clientId !== credentials.clientId) throw unauthenticated('client_id_mismatch', "client_id is not the shop's Youzan app.");
    // The legacy sign covers msg alone: the shop is then told by the msg when it names one (the envelope's kdt_id, type and status are unsigned).
    const message = eventSign ? undefined : youzanMessage(msg!);
    const named = message ? kdtOfMessage(message) : undefined;
    const kdtId = named ? named.kdtId : textOf(envelope.kdt_id);
    // A chain store's push names the branch (kdt_id / node_kdt_id) and the head store (root_kdt_id): a shop connected as the head store takes it.
    const rootKdtId = named ? named.rootKdtId : textOf(envelope.root_kdt_id);
    if (kdtId !== shop.shopRef && rootKdtId !== shop.shopRef) {
      throw unauthenticated('kdt_id_mismatch', `kdt_id ${kdtId ?? 'is missing'}${kdtId ? ' is not this shop' : ''} (this shop is kdt_id ${shop.shopRef}).`);
    }
    const topic = textOf(envelope.type) ?? headerOf(headers, 'event-type');
    if (!topic) throw notThisPlatform('Youzan', 'type', 'is missing');
    const deliveryId = textOf(envelope.msg_id) ?? `${topic}:${textOf(envelope.id) ?? ''}:${textOf(envelope.version) ?? ''}`;
    return { deliveryId: deliveryId.slice(0, 200), topic, payload, ...(eventSign ? {} : { signedOnly: 'msg' as const }) };
  }

  async translate(delivery: PlatformDelivery, _shop: PlatformShop, lookups: InboundLookups): Promise<InboundCommand> {
    const envelope = objectOf(delivery.payload)!;
    // Legacy-signed: the envelope's type and status are not trusted (paid-ness and a close come from the signed msg or the fetched trade).
    const trusted = delivery.signedOnly !== 'msg';
    const isPaidType = trusted && PAID_TYPES.has(delivery.topic);
    if (!PAID_TYPES.has(delivery.topic) && delivery.topic !== 'trade_TradeCreate' && delivery.topic !== 'trade_TradeClose') {
      return { kind: 'ignored', reason: `Youzan message type ${delivery.topic} is not one Gongxiao acts on` };
    }
    const message = youzanMessage(required('Youzan', typeof envelope.msg === 'string' ? envelope.msg : undefined, 'msg'));
    const msgInfo = objectOf(objectOf(message.full_order_info)?.order_info);
    const tid = textOf(msgInfo?.tid) ?? textOf(message.tid) ?? (trusted ? textOf(envelope.id) : undefined);
    if (!tid) throw notThisPlatform('Youzan', 'msg', 'names no trade (tid)');
    if (delivery.topic === 'trade_TradeClose') {
      const closeType = textOf(message.close_type);
      const closedStatus = [textOf(message.status), textOf(msgInfo?.status), trusted ? textOf(envelope.status) : undefined].find((status) => status && CLOSED_STATUSES.has(status));
      if (!trusted && !closeType && !closedStatus)
        return { kind: 'ignored', reason: 'trade_TradeClose whose signed msg does not say the trade closed (no close_type, status not TRADE_CLOSE)', externalOrderId: tid };
      return { kind: 'cancellation', externalOrderId: tid, reason: `Youzan: trade closed (${closeType ?? closedStatus ?? 'TRADE_CLOSE'})` };
    }
    // The message carries the trade detail, or only its tid: then it is fetched (youzan.trade.get 4.0.0).
    const detail = objectOf(message.full_order_info) ? message : objectOf(await lookups.youzanTrade(tid));
    const full = objectOf(detail?.full_order_info);
    if (!full) throw notThisPlatform('Youzan', 'full_order_info', 'is missing from the trade detail');
    const info = objectOf(full.order_info) ?? {};
    const status = textOf(info.status) ?? (trusted ? textOf(envelope.status) : undefined);
    if (!isPaidType && !(status && PAID_STATUSES.has(status)) && !textOf(info.pay_time)) {
      return { kind: 'ignored', reason: `not paid yet (status ${status ?? 'unknown'})`, externalOrderId: tid };
    }
    if (status && CLOSED_STATUSES.has(status)) return { kind: 'ignored', reason: `the trade is closed (status ${status})`, externalOrderId: tid };
    return { kind: 'order', order: youzanOrder(tid, full) };
  }
}

/** The shop a signed msg names: kdt_id / node_kdt_id in it or in its order_info, and a chain's root_kdt_id; undefined when it names none. */
function kdtOfMessage(message: JsonObject): { kdtId: string | undefined; rootKdtId: string | undefined } | undefined {
  const info = objectOf(objectOf(message.full_order_info)?.order_info) ?? {};
  const kdtId = textOf(message.kdt_id) ?? textOf(message.node_kdt_id) ?? textOf(info.node_kdt_id) ?? textOf(info.kdt_id);
  const rootKdtId = textOf(message.root_kdt_id) ?? textOf(info.root_kdt_id);
  return kdtId === undefined && rootKdtId === undefined ? undefined : { kdtId, rootKdtId };
}

/** address_extra is a JSON string inside the JSON ({"areaCode":"330106","lon":…,"lat":…}); unreadable → nothing. */
function addressExtra(value: LosslessJson | undefined): JsonObject {
  if (typeof value !== 'string' || value.trim() === '') return objectOf(value) ?? {};
  try {
    return objectOf(parseLosslessJson(value)) ?? {};
  } catch {
    return {};
  }
}

/** Youzan's times are Beijing time without an offset ("2018-01-01 12:00:00"). */
function beijingTime(value: string | undefined): string | undefined {
  const match = value ? /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(value) : null;
  return match ? `${match[1]}T${match[2]}+08:00` : undefined;
}

/** A trade in the youzan.trade.get 4.0.0 shape as a push: ids kept as their text, prices from the decimal strings. */
export function youzanOrder(tid: string, full: JsonObject): InboundOrder {
  const address = objectOf(full.address_info) ?? {};
  const extra = addressExtra(address.address_extra);
  const pay = objectOf(full.pay_info) ?? {};
  const remark = objectOf(full.remark_info) ?? {};
  const lines = arrayOf(full.orders).map((value, index) => {
    const item = objectOf(value);
    if (!item) throw notThisPlatform('Youzan', `orders[${index}]`, 'is not an object');
    const oid = textOf(item.oid);
    const skuId = textOf(item.sku_id);
    const code = textOf(item.outer_sku_id) ?? textOf(item.sku_no) ?? textOf(item.outer_item_id) ?? textOf(item.item_no) ?? (skuId && skuId !== '0' ? skuId : textOf(item.item_id));
    const title = [textOf(item.title), textOf(item.sku_properties_name)].filter(Boolean).join(' ');
    return {
      shopSkuCode: code ?? `youzan-line-${oid ?? index + 1}`,
      ...(oid ? { externalLineId: oid } : {}),
      ...(title ? { title: clip(title, 300) } : {}),
      quantity: countOf(item.num) ?? 0,
      unitPrice: minorUnits(item.price, `orders[${index}].price`),
    };
  });
  const goods = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  const shipping = optionalMinorUnits(pay.post_fee, 'pay_info.post_fee');
  const paid = optionalMinorUnits(pay.payment, 'pay_info.payment');
  const discount = paid !== undefined && goods + (shipping ?? 0) > paid ? goods + (shipping ?? 0) - paid : undefined;
  const remarks = [textOf(remark.buyer_message), textOf(remark.trade_memo)].filter(Boolean).join(' · ');
  const city = textOf(address.delivery_city) ?? '';
  const placedAt = beijingTime(textOf(objectOf(full.order_info)?.created));
  return {
    externalOrderId: tid,
    currency: 'CNY',
    consignee: {
      name: textOf(address.receiver_name) ?? '',
      phone: firstPhone(textOf(address.receiver_tel), textOf(objectOf(full.buyer_info)?.buyer_phone)),
      province: textOf(address.delivery_province) ?? '',
      city,
      district: textOf(address.delivery_district) ?? textOf(extra.areaCode) ?? city,
      address: textOf(address.delivery_address) ?? '',
    },
    lines,
    amounts: reconciledAmounts(goods, shipping, discount, paid),
    ...(remarks ? { remarks: clip(remarks, 1000) } : {}),
    ...(placedAt ? { placedAt } : {}),
  };
}
