import { SheetLanguageCode } from '@gongxiao/core';
import { BulkOrderColumn, columnLabel } from './bulk-orders.sheet';
import { Localized, say } from './order-sheet-cells';

/** A problem of one column: the column's header in front, in each language. */
export function aboutColumn(column: BulkOrderColumn, reason: Localized): Localized {
  return { 'zh-CN': `${columnLabel(column, 'zh-CN')}：${reason['zh-CN']}`, en: `${columnLabel(column, 'en')}: ${reason.en}` };
}

export const requiredCell = (column: BulkOrderColumn) => aboutColumn(column, say('必填', 'is required'));

/** Several problems of one row as one reason. */
export function joined(reasons: Localized[]): Localized {
  return { 'zh-CN': reasons.map((reason) => reason['zh-CN']).join('；'), en: reasons.map((reason) => reason.en).join('; ') };
}

export const inLanguage = (reason: Localized, language: SheetLanguageCode) => reason[language];

/** Said on the valid rows of an order that has a rejected row: the order goes in whole or not at all. */
export function siblingRejected(orderNo: string, rowNumbers: number[]): Localized {
  const plural = rowNumbers.length > 1 ? 's' : '';
  return say(
    `同一订单 ${orderNo} 的第 ${rowNumbers.join('、')} 行未通过，整单未导入`,
    `row${plural} ${rowNumbers.join(', ')} of the same order ${orderNo} ${plural ? 'were' : 'was'} rejected, so the whole order was not imported`,
  );
}

/** The rows of one order disagree on an order-level column. */
export function columnDisagrees(column: BulkOrderColumn, orderNo: string, values: { rowNumber: number; text: string }[]): Localized {
  return aboutColumn(
    column,
    say(
      `同一订单 ${orderNo} 的各行不一致（${values.map((value) => `第 ${value.rowNumber} 行「${value.text}」`).join('，')}）`,
      `differs between the rows of order ${orderNo} (${values.map((value) => `row ${value.rowNumber} "${value.text}"`).join(', ')})`,
    ),
  );
}

export function noListing(code: string, shopName: string): Localized {
  return aboutColumn(
    'skuCode',
    say(
      `店铺「${shopName}」没有商品编码为「${code}」的商品：先在选品中心把商品上架到该店铺（使用这个编码）`,
      `no listing with SKU code "${code}" in shop "${shopName}": list the offer in this shop with this code first`,
    ),
  );
}

export function listingPaused(code: string, shopName: string): Localized {
  return aboutColumn('skuCode', say(`店铺「${shopName}」的商品「${code}」已暂停销售：先恢复销售`, `the listing "${code}" of shop "${shopName}" is paused: activate it first`));
}

export function listingCurrency(code: string, currency: string): Localized {
  return aboutColumn('skuCode', say(`商品「${code}」以 ${currency} 定价，表格下单只支持人民币`, `the listing "${code}" is priced in ${currency}; sheet orders are in CNY only`));
}

export const addressUnsplit = aboutColumn(
  'address',
  say(
    '无法分出省、市、区：请填写省、市、区三列，或把地址写成「浙江省杭州市西湖区文三路90号」',
    'cannot tell the province, city and district apart: fill in Province, City and District, or write it like "浙江省杭州市西湖区文三路90号"',
  ),
);

export function regionDisagrees(column: 'province' | 'city' | 'district', given: string, fromAddress: string): Localized {
  return aboutColumn(column, say(`「${given}」与详细地址中的「${fromAddress}」不一致`, `"${given}" does not match "${fromAddress}" in the address`));
}

export const tooLong = (column: BulkOrderColumn, max: number) => aboutColumn(column, say(`最多 ${max} 个字`, `must be at most ${max} characters`));

export function tooManyLines(orderNo: string, max: number): Localized {
  return say(`订单 ${orderNo} 超过 ${max} 行商品：请拆成多个订单`, `order ${orderNo} has more than ${max} lines: split it`);
}

/** The order number was received before with other content: a sheet cannot change an order. */
export function receivedWithOtherContent(orderNo: string, orderId: string, columns: BulkOrderColumn[]): Localized {
  const zh = columns.map((column) => columnLabel(column, 'zh-CN')).join('、');
  const en = columns.map((column) => columnLabel(column, 'en')).join(', ');
  return aboutColumn(
    'orderNo',
    say(
      `订单 ${orderNo} 已收到（供销订单 ${orderId}），但${zh}不同：已收到的订单不能通过再次上传修改，请取消原订单后用新订单号上传`,
      `order ${orderNo} was already received (Gongxiao order ${orderId}) with a different ${en}: an order cannot be changed by uploading it again; cancel it and upload it under a new order number`,
    ),
  );
}
