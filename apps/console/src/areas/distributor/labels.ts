import type { Language } from '../../i18n/i18n';

type Labels = Record<Language, Record<string, string>>;

/** The routing status of a shop order (every value the api has). */
export const ORDER_STATUS: Labels = {
  'zh-CN': { received: '待路由', routed: '已路由', exception: '异常', partially_shipped: '部分发货', shipped: '已发货', cancelled: '已取消' },
  en: { received: 'Awaiting routing', routed: 'Routed', exception: 'Exception', partially_shipped: 'Partly shipped', shipped: 'Shipped', cancelled: 'Cancelled' },
};

export const ORDER_STATUS_COLOR: Record<string, string> = { received: 'processing', routed: 'blue', exception: 'error', partially_shipped: 'gold', shipped: 'green', cancelled: 'default' };

/** Why the api held an order as an exception (its exceptionCode), and what to do. */
export const EXCEPTION_REASON: Labels = {
  'zh-CN': {
    insufficient_funds: '等待资金：与供应商的余额或授信不足。请充值或请供应商提高授信额度，资金到位后订单会自动重新路由。',
    unknown_shop_sku: '店铺商品编码没有对应的上架商品：请在选品中心把该货源上架到此店铺（使用订单中的编码），然后重试。',
    listing_paused: '该商品已暂停销售：请在选品中心恢复上架，然后重试。',
    currency_mismatch: '上架商品的币种与订单币种不一致：请调整上架价格的币种。',
    offer_withdrawn: '货源已被供应商撤回：请更换货源或联系供应商。',
    partnership_inactive: '与供应商的合作已暂停：请联系供应商恢复合作后重试。',
    stock_insufficient: '供应商库存不足：请等待供应商补货后重试。',
    no_warehouse: '没有可发往该地址的仓库：请联系供应商。',
    allocation_exceeded: '超出供应商给您的分配额度：请联系供应商提高额度后重试。',
    customization_invalid: '定制内容不符合货源的定制选项（见下方说明中的定制项）：请修改该行的定制，或请供应商调整定制选项，然后重试。',
    made_to_order_batch_exceeded: '按单生产：该行件数超过供应商每批生产上限：请拆分订单，或联系供应商。',
    production_runs_full: '按单生产：供应商接下来的生产批次已满：请在下次截单后重试，或联系供应商。',
    unknown: '订单无法路由：请查看下方说明。',
  },
  en: {
    insufficient_funds: 'Awaiting funds: your balance or credit with the seller is short. Top up or ask the seller to raise your credit; the order is routed again automatically.',
    unknown_shop_sku: 'No listing for this shop SKU code: list the offer into this shop (with the code in the order) in the selection center, then retry.',
    listing_paused: 'The listing is paused: activate it in the selection center, then retry.',
    currency_mismatch: "The listing's currency differs from the order's: change the listing's price currency.",
    offer_withdrawn: 'The seller withdrew the offer: use another offer or contact the seller.',
    partnership_inactive: 'The partnership with the seller is suspended: ask the seller to resume it, then retry.',
    stock_insufficient: 'The supplier is out of stock: retry once it has restocked.',
    no_warehouse: 'No warehouse ships to this address: contact the supplier.',
    allocation_exceeded: "Over the seller's allocation cap for you: ask the seller to raise it, then retry.",
    customization_invalid:
      "The line's customization does not fit the offer's options (the details name the option): correct the line's customization, or ask the seller to change its options, then retry.",
    made_to_order_batch_exceeded: "Made to order: the line has more units than the supplier's largest production batch: split the order, or ask the supplier.",
    production_runs_full: "Made to order: the supplier's next production runs are full: retry after the next cut-off, or ask the supplier.",
    unknown: 'The order could not be routed: see the details below.',
  },
};

/** Short names of exception codes, for tags and filters. */
export const EXCEPTION_SHORT: Labels = {
  'zh-CN': {
    insufficient_funds: '等待资金',
    unknown_shop_sku: '未上架商品',
    listing_paused: '商品已暂停',
    currency_mismatch: '币种不符',
    offer_withdrawn: '货源已撤回',
    partnership_inactive: '合作已暂停',
    stock_insufficient: '库存不足',
    no_warehouse: '无可用仓库',
    allocation_exceeded: '超出分配额度',
    customization_invalid: '定制不符',
    made_to_order_batch_exceeded: '超出生产上限',
    production_runs_full: '生产批次已满',
    unknown: '其他异常',
  },
  en: {
    insufficient_funds: 'Awaiting funds',
    unknown_shop_sku: 'Not listed',
    listing_paused: 'Listing paused',
    currency_mismatch: 'Currency mismatch',
    offer_withdrawn: 'Offer withdrawn',
    partnership_inactive: 'Partnership suspended',
    stock_insufficient: 'Out of stock',
    no_warehouse: 'No warehouse',
    allocation_exceeded: 'Over allocation',
    customization_invalid: 'Customization invalid',
    made_to_order_batch_exceeded: 'Over batch maximum',
    production_runs_full: 'Production runs full',
    unknown: 'Other exception',
  },
};

export const RETURN_STATUS: Labels = {
  'zh-CN': { pending_approval: '待供应商审核', approved: '已同意', rejected: '已拒绝', return_shipped: '退货已寄出', received: '供应商已收货', refunded: '已退款', withdrawn: '已撤回' },
  en: {
    pending_approval: 'Awaiting the supplier',
    approved: 'Approved',
    rejected: 'Rejected',
    return_shipped: 'Return shipped',
    received: 'Received by supplier',
    refunded: 'Refunded',
    withdrawn: 'Withdrawn',
  },
};

export const RETURN_STATUS_COLOR: Record<string, string> = {
  pending_approval: 'processing',
  approved: 'blue',
  rejected: 'red',
  return_shipped: 'gold',
  received: 'cyan',
  refunded: 'green',
  withdrawn: 'default',
};

export const RETURN_KIND: Labels = {
  'zh-CN': { refund_only: '仅退款', return_and_refund: '退货退款' },
  en: { refund_only: 'Refund only', return_and_refund: 'Return and refund' },
};

export const RETURN_ORIGIN: Labels = {
  'zh-CN': { consumer: '消费者申请', interception: '拦截退回', failed_interception: '拦截失败' },
  en: { consumer: 'Consumer request', interception: 'Intercepted parcel', failed_interception: 'Interception failed' },
};

/** How a shop's orders arrive (its integration). */
export const INTEGRATIONS: Labels = {
  'zh-CN': { native: '自有接口', shopify: 'Shopify', woocommerce: 'WooCommerce', youzan: '有赞' },
  en: { native: 'Own API', shopify: 'Shopify', woocommerce: 'WooCommerce', youzan: 'Youzan' },
};

export const PLATFORMS: Labels = {
  'zh-CN': { wechat: '微信小店', youzan: '有赞', douyin: '抖音小店', xiaohongshu: '小红书', taobao: '淘宝', pinduoduo: '拼多多', shopify: 'Shopify', woocommerce: 'WooCommerce', other: '其他平台' },
  en: {
    wechat: 'WeChat Shop',
    youzan: 'Youzan',
    douyin: 'Douyin Shop',
    xiaohongshu: 'Xiaohongshu',
    taobao: 'Taobao',
    pinduoduo: 'Pinduoduo',
    shopify: 'Shopify',
    woocommerce: 'WooCommerce',
    other: 'Other',
  },
};

export const LISTING_STATUS: Labels = {
  'zh-CN': { active: '在售', paused: '已暂停', removed: '已下架', delisted: '质量规则暂停（去自动下架记录恢复上架）' },
  en: { active: 'On sale', paused: 'Paused', removed: 'Removed', delisted: 'Paused by a quality rule (reinstate it under Automatic delistings)' },
};

export const SHOP_STATUS: Labels = {
  'zh-CN': { active: '已连接', disabled: '已停用', suspended: '已停用' },
  en: { active: 'Connected', disabled: 'Disabled', suspended: 'Suspended' },
};

/** A label from a table, or the raw value when the api sends one the console does not know yet. */
export function label(table: Labels, language: Language, value: string | null | undefined): string {
  if (!value) return '—';
  return table[language][value] ?? table['zh-CN'][value] ?? value;
}
