import { SheetLanguageCode } from '@gongxiao/core';

type Text = Record<SheetLanguageCode, string>;

/** How a row is named in a reason: a sheet's row number ("第 5 行"), else the request's index ("shipments[4]"). */
export function rowReference(rowNumber: number | undefined, index: number): Text {
  return rowNumber !== undefined ? { 'zh-CN': `第 ${rowNumber} 行`, en: `row ${rowNumber}` } : { 'zh-CN': `第 ${index + 1} 条`, en: `shipments[${index}]` };
}

const units = (items: { skuCode: string; quantity: number }[]) => items.map((item) => `${item.skuCode}×${item.quantity}`).join(', ') || '-';

/**
 * Every reason a bulk shipment row can be refused for, in Chinese and English. Chinese first: the
 * warehouses that upload sheets read it; ERPs ask for English.
 */
export const REASONS = {
  orderNotFound: (order: string): Text => ({ 'zh-CN': `发货单 ${order} 不存在`, en: `fulfillment order ${order} not found` }),
  orderCancelled: (): Text => ({ 'zh-CN': '已取消 请勿发货：消费者已取消该订单', en: 'cancelled: do not ship. The consumer cancelled this order' }),
  orderAwaitingProduction: (): Text => ({
    'zh-CN': '该发货单为按单生产，生产批次确认后才可发货',
    en: 'this order is made to order; it is released to be shipped when its production run is confirmed',
  }),
  orderPendingMerge: (): Text => ({
    'zh-CN': '该发货单仍在合单等待期，等待期结束后才可发货',
    en: 'this order is still in its merge window; it is released to you when the window closes',
  }),
  nothingLeft: (order: string): Text => ({ 'zh-CN': `发货单 ${order} 已无待发商品`, en: `nothing remains to ship on fulfillment order ${order}` }),
  carrierMissing: (): Text => ({ 'zh-CN': '缺少快递公司', en: 'the carrier is missing' }),
  carrierUnknown: (carrier: string): Text => ({
    'zh-CN': `无法识别的快递公司“${carrier}”：请填写名称（如 顺丰、中通）或代码（如 SF、ZTO）`,
    en: `unknown carrier "${carrier}": write its code (SF, ZTO …) or its Chinese name (顺丰, 中通 …)`,
  }),
  trackingMissing: (): Text => ({ 'zh-CN': '缺少快递单号', en: 'the tracking number is missing' }),
  quantityInvalid: (quantity: string): Text => ({ 'zh-CN': `数量“${quantity}”必须是不小于 1 的整数`, en: `quantity "${quantity}" must be a whole number of at least 1` }),
  quantityWithoutSku: (): Text => ({
    'zh-CN': '数量需与商品编码一起填写：不填商品编码表示发出该单剩余的全部商品',
    en: 'a quantity needs a SKU or line: a row without either ships all the rest of the order',
  }),
  skuNotInOrder: (sku: string, order: string): Text => ({ 'zh-CN': `商品编码 ${sku} 不在发货单 ${order} 中`, en: `SKU ${sku} is not a line of fulfillment order ${order}` }),
  lineNotInOrder: (line: string, order: string): Text => ({ 'zh-CN': `明细 ${line} 不属于发货单 ${order}`, en: `line ${line} is not a line of fulfillment order ${order}` }),
  lineCancelled: (sku: string): Text => ({ 'zh-CN': `已取消 请勿发货：商品 ${sku} 已被消费者取消`, en: `cancelled: do not ship. The consumer cancelled ${sku}` }),
  nothingLeftOfSku: (sku: string, ordered: number): Text => ({ 'zh-CN': `商品 ${sku} 已无待发数量（下单 ${ordered} 件）`, en: `nothing of ${sku} remains to ship (ordered ${ordered})` }),
  exceeds: (sku: string, quantity: number, remaining: number, ordered: number, elsewhere: number): Text => ({
    'zh-CN': `商品 ${sku} 发货 ${quantity} 件，但只剩 ${remaining} 件待发（下单 ${ordered} 件${elsewhere > 0 ? `，本次上传的其他行已发 ${elsewhere} 件` : ''}）`,
    en: `${quantity} unit(s) of ${sku} but only ${remaining} remain to ship (ordered ${ordered}${elsewhere > 0 ? `, ${elsewhere} in other rows of this upload` : ''})`,
  }),
  duplicate: (of: Text): Text => ({
    'zh-CN': `与${of['zh-CN']}重复（相同发货单、商品编码、快递公司和快递单号）`,
    en: `duplicate of ${of.en} (same order, SKU, carrier and tracking number)`,
  }),
  wholeOrderWithLines: (): Text => ({
    'zh-CN': '不填商品编码的行表示发出该单剩余的全部商品，不能与填写了商品编码的行共用一个快递单号',
    en: 'a row without SKU ships all the rest of the order; it cannot share its parcel with rows naming SKUs',
  }),
  trackingOfOtherOrder: (tracking: string, order: string, where: Text | null): Text => ({
    'zh-CN': `快递单号 ${tracking} 已用于发货单 ${order}${where ? `（${where['zh-CN']}）` : ''}：一个快递单号只对应一个包裹`,
    en: `tracking number ${tracking} is used for fulfillment order ${order}${where ? ` (${where.en})` : ''}: one tracking number is one parcel`,
  }),
  recordedDifferently: (tracking: string, recorded: { skuCode: string; quantity: number }[], requested: { skuCode: string; quantity: number }[] | null): Text => ({
    'zh-CN': `包裹 ${tracking} 已录入，内容不同：已录入 ${units(recorded)}${requested ? `，本次 ${units(requested)}` : ''}`,
    en: `parcel ${tracking} is already recorded with other contents: recorded ${units(recorded)}${requested ? `, this upload ${units(requested)}` : ''}`,
  }),
  parcelRejected: (of: Text, reason: Text): Text => ({
    'zh-CN': `未导入：同一包裹的${of['zh-CN']}有错误（${reason['zh-CN']}），整个包裹不发货`,
    en: `not applied: ${of.en} of the same parcel was rejected (${reason.en}), so the whole parcel is`,
  }),
  batchRejected: (): Text => ({
    'zh-CN': '未导入：本行无误，但其他行有错误，“全部或全不”模式下整批未导入',
    en: 'not applied: this row is fine, but other rows were rejected and nothing is applied in all-or-nothing mode',
  }),
};
