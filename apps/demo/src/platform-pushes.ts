import { createHash, createHmac } from 'node:crypto';

/**
 * Orders as Shopify, WooCommerce and Youzan send them to a shop's platform webhook URL, signed as
 * each platform signs (the demo's platform shops and the ingest benchmark push these). Ids are
 * written as JSON numbers where the platform writes numbers, even above 2^53 (Youzan oids).
 */
export interface PlatformOrder {
  /** The platform's order id: digits for Shopify and WooCommerce, a Youzan tid ("E2026…"). */
  id: string;
  lines: { lineId: string; sku: string; quantity: number; unitPrice: number; title?: string }[];
  consignee: { name: string; phone: string; province: string; city: string; district: string; address: string };
  remarks?: string;
}

export interface PlatformDelivery {
  headers: Record<string, string>;
  body: string;
}

const yuan = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const goodsOf = (order: PlatformOrder) => order.lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);

/** How foreign platforms write Chinese places (Shopify in English, WooCommerce by its CN state codes). */
const PROVINCE_SPELLINGS: Record<string, { english: string; wooState: string }> = {
  浙江省: { english: 'Zhejiang', wooState: 'CN12' },
  广东省: { english: 'Guangdong', wooState: 'CN20' },
  江苏省: { english: 'Jiangsu', wooState: 'CN11' },
  上海市: { english: 'Shanghai', wooState: 'CN10' },
  四川省: { english: 'Sichuan', wooState: 'CN24' },
  云南省: { english: 'Yunnan', wooState: 'CN1' },
};
const CITY_SPELLINGS: Record<string, string> = { 杭州市: 'Hangzhou', 宁波市: 'Ningbo', 广州市: 'Guangzhou', 深圳市: 'Shenzhen', 南京市: 'Nanjing', 上海市: 'Shanghai', 成都市: 'Chengdu' };

function splitName(name: string): { last: string; first: string } {
  return { last: name.slice(0, 1), first: name.slice(1) };
}

/** orders/create (or orders/cancelled) with X-Shopify-Hmac-Sha256 = base64 HMAC-SHA256 of the body. */
export function shopifyDelivery(order: PlatformOrder, shop: { domain: string; secret: string }, webhookId: string, topic = 'orders/create'): PlatformDelivery {
  const currency = 'CNY';
  const bag = (amount: string) => `{"shop_money":{"amount":"${amount}","currency_code":"${currency}"},"presentment_money":{"amount":"${amount}","currency_code":"${currency}"}}`;
  const { last, first } = splitName(order.consignee.name);
  const spelled = PROVINCE_SPELLINGS[order.consignee.province];
  const lines = order.lines
    .map(
      (line) =>
        `{"id":${line.lineId},"variant_id":2${line.lineId.slice(1)},"product_id":632910392,"sku":${JSON.stringify(line.sku)},"title":${JSON.stringify(line.title ?? line.sku)},"quantity":${line.quantity},` +
        `"current_quantity":${line.quantity},"fulfillable_quantity":${line.quantity},"requires_shipping":true,"price":"${yuan(line.unitPrice)}","price_set":${bag(yuan(line.unitPrice))},"total_discount":"0.00","taxable":true}`,
    )
    .join(',');
  const total = yuan(goodsOf(order));
  const body =
    `{"id":${order.id},"name":"#${order.id.slice(-4)}","currency":"${currency}","financial_status":"paid","taxes_included":true,"created_at":"${new Date().toISOString()}",` +
    `"cancelled_at":${topic === 'orders/cancelled' ? `"${new Date().toISOString()}"` : 'null'},"cancel_reason":${topic === 'orders/cancelled' ? '"customer"' : 'null'},"note":${JSON.stringify(order.remarks ?? null)},` +
    `"subtotal_price":"${total}","total_price":"${total}","total_price_set":${bag(total)},"total_discounts":"0.00","total_discounts_set":${bag('0.00')},"total_shipping_price_set":${bag('0.00')},` +
    `"shipping_address":{"first_name":${JSON.stringify(first)},"last_name":${JSON.stringify(last)},"name":${JSON.stringify(`${first} ${last}`)},"address1":${JSON.stringify(order.consignee.address)},` +
    `"address2":${JSON.stringify(order.consignee.district)},"city":${JSON.stringify(CITY_SPELLINGS[order.consignee.city] ?? order.consignee.city)},"province":${JSON.stringify(spelled?.english ?? order.consignee.province)},` +
    `"country":"China","country_code":"CN","zip":"310000","phone":${JSON.stringify(order.consignee.phone)}},"line_items":[${lines}]}`;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-shopify-topic': topic,
      'x-shopify-hmac-sha256': createHmac('sha256', shop.secret).update(body, 'utf8').digest('base64'),
      'x-shopify-shop-domain': shop.domain,
      'x-shopify-api-version': '2025-01',
      'x-shopify-webhook-id': webhookId,
      'x-shopify-triggered-at': new Date().toISOString(),
    },
  };
}

/** order.created with X-WC-Webhook-Signature = base64 HMAC-SHA256 of the body. */
export function wooCommerceDelivery(order: PlatformOrder, shop: { siteUrl: string; secret: string }, deliveryId: string, status = 'processing'): PlatformDelivery {
  const { last, first } = splitName(order.consignee.name);
  const state = PROVINCE_SPELLINGS[order.consignee.province]?.wooState ?? order.consignee.province;
  const lines = order.lines
    .map(
      (line) =>
        `{"id":${line.lineId},"name":${JSON.stringify(line.title ?? line.sku)},"product_id":93,"variation_id":0,"quantity":${line.quantity},"subtotal":"${yuan(line.unitPrice * line.quantity)}",` +
        `"total":"${yuan(line.unitPrice * line.quantity)}","total_tax":"0.00","sku":${JSON.stringify(line.sku)},"price":${yuan(line.unitPrice)}}`,
    )
    .join(',');
  const address = `"first_name":${JSON.stringify(first)},"last_name":${JSON.stringify(last)},"company":"","address_1":${JSON.stringify(order.consignee.address)},"address_2":${JSON.stringify(order.consignee.district)},"city":${JSON.stringify(order.consignee.city)},"state":"${state}","postcode":"310000","country":"CN"`;
  const body =
    `{"id":${order.id},"number":"${order.id}","status":"${status}","currency":"CNY","prices_include_tax":false,"date_created_gmt":"${new Date().toISOString().slice(0, 19)}",` +
    `"discount_total":"0.00","shipping_total":"0.00","total":"${yuan(goodsOf(order))}","customer_note":${JSON.stringify(order.remarks ?? '')},` +
    `"billing":{${address},"email":"buyer@example.com","phone":${JSON.stringify(order.consignee.phone)}},"shipping":{${address},"phone":${JSON.stringify(order.consignee.phone)}},"line_items":[${lines}],"shipping_lines":[]}`;
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-wc-webhook-source': `${shop.siteUrl.replace(/\/$/, '')}/`,
      'x-wc-webhook-topic': status === 'cancelled' ? 'order.updated' : 'order.created',
      'x-wc-webhook-resource': 'order',
      'x-wc-webhook-event': status === 'cancelled' ? 'updated' : 'created',
      'x-wc-webhook-signature': createHmac('sha256', shop.secret).update(body, 'utf8').digest('base64'),
      'x-wc-webhook-id': '12',
      'x-wc-webhook-delivery-id': deliveryId,
    },
  };
}

/** Java's URLEncoder.encode(text, "UTF-8"), as Youzan encodes msg. */
function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A trade_TradePaid push carrying the youzan.trade.get 4.0.0 full_order_info; sign = md5(client_id + msg + client_secret). */
export function youzanDelivery(order: PlatformOrder, shop: { clientId: string; clientSecret: string; kdtId: string }, msgId: string): PlatformDelivery {
  const items = order.lines
    .map(
      (line) =>
        `{"oid":${line.lineId},"outer_sku_id":${JSON.stringify(line.sku)},"item_id":${line.lineId.slice(0, 12)},"sku_id":${line.lineId.slice(0, 14)},"num":${line.quantity},` +
        `"price":"${yuan(line.unitPrice)}","payment":"${yuan(line.unitPrice * line.quantity)}","title":${JSON.stringify(line.title ?? line.sku)}}`,
    )
    .join(',');
  const total = yuan(goodsOf(order));
  const extra = JSON.stringify(JSON.stringify({ areaCode: '', lon: 120.13, lat: 30.28 }));
  const c = order.consignee;
  const msg =
    `{"full_order_info":{"order_info":{"tid":"${order.id}","status":"WAIT_SELLER_SEND_GOODS","created":"${new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ')}","pay_time":"","node_kdt_id":${shop.kdtId}},` +
    `"address_info":{"receiver_name":${JSON.stringify(c.name)},"receiver_tel":${JSON.stringify(c.phone)},"delivery_province":${JSON.stringify(c.province)},"delivery_city":${JSON.stringify(c.city)},` +
    `"delivery_district":${JSON.stringify(c.district)},"delivery_address":${JSON.stringify(c.address)},"address_extra":${extra}},"remark_info":{"buyer_message":${JSON.stringify(order.remarks ?? '')}},` +
    `"pay_info":{"payment":"${total}","post_fee":"0.00","total_fee":"${total}"},"orders":[${items}]}}`;
  const encoded = javaUrlEncode(msg);
  const body =
    `{"client_id":"${shop.clientId}","id":"${order.id}","kdt_id":${shop.kdtId},"kdt_name":"开心家居","mode":1,"msg":"${encoded}","sendCount":0,"sign":"${md5(shop.clientId + encoded + shop.clientSecret)}",` +
    `"status":"WAIT_SELLER_SEND_GOODS","test":false,"type":"trade_TradePaid","version":${Math.floor(Date.now() / 1000)},"msg_id":"${msgId}"}`;
  return { body, headers: { 'content-type': 'application/json;charset=UTF-8' } };
}
