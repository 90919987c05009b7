import { createHash } from 'node:crypto';

/**
 * Youzan (有赞云) push messages: the envelope with `msg` the URL-encoded JSON of the message, and the
 * trade in the youzan.trade.get 4.0.0 shape (full_order_info). Ids are raw JSON numbers (above 2^53).
 */
export const YOUZAN_KDT_ID = '44152698';
export const YOUZAN_CLIENT_ID = 'yz-client-6f1a2b';

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

export interface YouzanLine {
  oid: string;
  outerSkuId: string;
  itemId: string;
  skuId: string;
  num: number;
  price: string;
}

/** full_order_info as raw JSON text (address_extra a JSON string inside it). */
export function youzanFullOrderInfo(trade: { tid: string; status?: string; lines: YouzanLine[]; postFee?: string; payment?: string; payTime?: string }): string {
  const orders = trade.lines
    .map(
      (line) =>
        `{"oid":${line.oid},"outer_sku_id":${JSON.stringify(line.outerSkuId)},"outer_item_id":"","item_id":${line.itemId},"sku_id":${line.skuId},"sku_unique_code":"","num":${line.num},` +
        `"price":"${line.price}","payment":"${line.price}","total_fee":"${line.price}","discount_price":"${line.price}","title":"纯棉T恤","sku_properties_name":"[{\\"k\\":\\"尺码\\",\\"v\\":\\"M\\"}]",` +
        `"item_type":0,"pic_path":"https://img.yzcdn.cn/x.jpg","is_present":false,"alias":"2fmoej","goods_url":"https://h5.youzan.com/v2/goods/2fmoej"}`,
    )
    .join(',');
  const goods = trade.lines.reduce((sum, line) => sum + Number(line.price.replace('.', '')) * line.num, 0);
  const postFee = trade.postFee ?? '0.00';
  const payment = trade.payment ?? ((goods + Number(postFee.replace('.', ''))) / 100).toFixed(2);
  const extra = JSON.stringify(JSON.stringify({ areaCode: '330106', lon: 120.13, lat: 30.28 }));
  return (
    `{"order_info":{"tid":"${trade.tid}","status":"${trade.status ?? 'WAIT_SELLER_SEND_GOODS'}","status_str":"待发货","type":0,"created":"2026-11-30 10:00:00","update_time":"2026-11-30 10:01:00",` +
    `"pay_time":"${trade.payTime ?? '2026-11-30 10:01:00'}","pay_type":1,"expired_time":"2026-11-30 11:00:00","express_type":0,"order_tags":{"is_payed":true,"is_member":false},"node_kdt_id":${YOUZAN_KDT_ID}},` +
    `"buyer_info":{"buyer_id":0,"yz_open_id":"o1a2b3","buyer_phone":"13800138000","fans_nickname":"小张","outer_user_id":""},` +
    `"address_info":{"receiver_name":"张三","receiver_tel":"13800138000","delivery_province":"浙江省","delivery_city":"杭州市","delivery_district":"西湖区","delivery_address":"文三路 100 号 2 单元 301",` +
    `"delivery_postal_code":"310000","address_extra":${extra},"self_fetch_info":""},` +
    `"remark_info":{"buyer_message":"请用顺丰","trade_memo":"","star":0},` +
    `"pay_info":{"payment":"${payment}","post_fee":"${postFee}","total_fee":"${(goods / 100).toFixed(2)}","outer_transactions":["4200001234"],"transaction":["T2026113000001"]},` +
    `"orders":[${orders}],"source_info":{"is_offline_order":false,"source":{"platform":"wx","wx_entrance":"direct_buy"}}}`
  );
}

/** Java's URLEncoder.encode(text, "UTF-8"), as Youzan encodes msg: spaces as "+". */
export function javaUrlEncode(text: string): string {
  return encodeURIComponent(text)
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A push envelope as raw JSON text, with its body signature sign = md5(client_id + msg + client_secret). */
export function youzanEnvelope(push: { type: string; tid: string; msgJson: string; secret: string; status?: string; msgId?: string; kdtId?: string; clientId?: string; sign?: string }): string {
  const clientId = push.clientId ?? YOUZAN_CLIENT_ID;
  const msg = javaUrlEncode(push.msgJson);
  const sign = push.sign ?? md5(clientId + msg + push.secret);
  return (
    `{"client_id":"${clientId}","id":"${push.tid}","kdt_id":${push.kdtId ?? YOUZAN_KDT_ID},"kdt_name":"开心家居","mode":1,"msg":"${msg}","sendCount":0,"sign":"${sign}",` +
    `"status":"${push.status ?? 'WAIT_SELLER_SEND_GOODS'}","test":false,"type":"${push.type}","version":1764468061,"msg_id":"${push.msgId ?? `${push.tid}-${push.type}`}"}`
  );
}

/** The newer header form: Event-Sign = md5(client_id + body + client_secret). */
export function youzanHeaders(body: string, secret: string, type: string, options: { clientId?: string; headerSign?: boolean } = {}): Record<string, string> {
  const clientId = options.clientId ?? YOUZAN_CLIENT_ID;
  return {
    'content-type': 'application/json;charset=UTF-8',
    ...(options.headerSign ? { 'event-sign': md5(clientId + body + secret), 'event-type': type, 'client-id': clientId } : {}),
  };
}
