import type { Schemas } from '../../api/client';
import type { Language } from '../../i18n/i18n';

export type FulfillmentOrder = Schemas['FulfillmentOrderResponseDto'];
export type FulfillmentStatus = FulfillmentOrder['status'];
export type ReturnCase = Schemas['ReturnResponseDto'];
export type ReturnStatus = ReturnCase['status'];

type Label = Record<Language, string>;

export const FULFILLMENT_STATUSES: { value: FulfillmentStatus; label: Label; color: string }[] = [
  { value: 'pending_merge', label: { 'zh-CN': '合单等待中', en: 'Waiting to merge' }, color: 'default' },
  { value: 'awaiting_production', label: { 'zh-CN': '生产中', en: 'Awaiting production' }, color: 'geekblue' },
  { value: 'new', label: { 'zh-CN': '待确认', en: 'New' }, color: 'blue' },
  { value: 'acknowledged', label: { 'zh-CN': '待发货', en: 'Acknowledged' }, color: 'cyan' },
  { value: 'partially_shipped', label: { 'zh-CN': '部分发货', en: 'Partly shipped' }, color: 'orange' },
  { value: 'shipped', label: { 'zh-CN': '已发货', en: 'Shipped' }, color: 'green' },
  { value: 'cancelled', label: { 'zh-CN': '已取消', en: 'Cancelled' }, color: 'red' },
];

export const RETURN_STATUSES: { value: ReturnStatus; label: Label; color: string }[] = [
  { value: 'pending_approval', label: { 'zh-CN': '待审核', en: 'Awaiting approval' }, color: 'gold' },
  { value: 'approved', label: { 'zh-CN': '已同意，待退回', en: 'Approved' }, color: 'blue' },
  { value: 'rejected', label: { 'zh-CN': '已拒绝', en: 'Rejected' }, color: 'default' },
  { value: 'return_shipped', label: { 'zh-CN': '买家已寄回', en: 'Parcel on its way back' }, color: 'cyan' },
  { value: 'received', label: { 'zh-CN': '已收货，待退款', en: 'Received' }, color: 'purple' },
  { value: 'refunded', label: { 'zh-CN': '已退款', en: 'Refunded' }, color: 'green' },
  { value: 'withdrawn', label: { 'zh-CN': '已撤销', en: 'Withdrawn' }, color: 'default' },
];

export type ProductionRun = Schemas['ProductionRunResponseDto'];
export type ProductionRunStatus = ProductionRun['status'];

/** A made-to-order production run (生产批次): collecting orders, waiting for the supplier, confirmed or cancelled. */
export const PRODUCTION_RUN_STATUSES: { value: ProductionRunStatus; label: Label; color: string }[] = [
  { value: 'open', label: { 'zh-CN': '收单中', en: 'Open' }, color: 'blue' },
  { value: 'closed', label: { 'zh-CN': '待确认', en: 'Awaiting confirmation' }, color: 'gold' },
  { value: 'confirmed', label: { 'zh-CN': '已确认', en: 'Confirmed' }, color: 'green' },
  { value: 'cancelled', label: { 'zh-CN': '已取消', en: 'Cancelled' }, color: 'default' },
];

export const RETURN_KINDS: Record<ReturnCase['kind'], Label> = {
  refund_only: { 'zh-CN': '仅退款', en: 'Refund only' },
  return_and_refund: { 'zh-CN': '退货退款', en: 'Return and refund' },
};

export const RETURN_ORIGINS: Record<ReturnCase['origin'], Label> = {
  consumer: { 'zh-CN': '消费者申请', en: 'Consumer request' },
  interception: { 'zh-CN': '拦截退回', en: 'Intercepted parcel' },
  failed_interception: { 'zh-CN': '拦截失败（已签收）', en: 'Interception failed' },
};

export const INTERCEPTION_STATUSES: Record<'requested' | 'intercepted' | 'failed', { label: Label; color: string }> = {
  requested: { label: { 'zh-CN': '待处理', en: 'Awaiting your answer' }, color: 'gold' },
  intercepted: { label: { 'zh-CN': '已拦截', en: 'Intercepted' }, color: 'green' },
  failed: { label: { 'zh-CN': '拦截失败', en: 'Could not intercept' }, color: 'red' },
};

/** Units of a line still to ship (never the cancelled ones). */
export function unitsLeft(line: { quantity: number; shippedQuantity: number; cancelledQuantity: number }): number {
  return Math.max(0, line.quantity - line.shippedQuantity - line.cancelledQuantity);
}

/** Overdue as the api says (超时未发货): not fully shipped, not cancelled, past the ship-by frozen at routing. */
export function isOverdue(order: Pick<FulfillmentOrder, 'overdue'>): boolean {
  return order.overdue === true;
}

export interface Consignee {
  name?: string;
  phone?: string;
  province?: string;
  city?: string;
  district?: string;
  address?: string;
}

export function consigneeOf(order: FulfillmentOrder): Consignee {
  return (order.consignee ?? {}) as Consignee;
}

/** The api names list fields `lines[0].quantity`; the console's forms use `lines.0.quantity`. */
export function dottedField(field: string | undefined): string | undefined {
  return field?.replace(/\[(\d+)\]/g, '.$1');
}
