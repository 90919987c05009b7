import { openField } from '@gongxiao/core';
import { ChannelOrderStatus } from './channel-order.lifecycle';

/** A shop order's row as `select *` reads it (contacts still encrypted). */
export interface ChannelOrderRow {
  id: string;
  merchant_id: string;
  shop_id: string;
  external_order_id: string;
  consignee_name: string;
  consignee_phone: string;
  province: string;
  city: string;
  district: string;
  address: string;
  /** What normalizing the address could not settle (`[]`: nothing); absent from rows read before it existed. */
  address_warnings?: { code: string; field: string; value: string; message: string }[] | null;
  remarks: string | null;
  currency: string;
  total_amount: string;
  status: ChannelOrderStatus;
  exception_code: string | null;
  exception_reason: string | null;
  /** What the exception is about, for the machines that clear it (e.g. the funds pair of `insufficient_funds`). */
  exception_detail?: Record<string, unknown> | null;
  received_at: Date;
  /** When the shop says the consumer placed it (null: not given). */
  placed_at?: Date | null;
  routed_at: Date | null;
  payload_hash?: string;
  /** When the consumer asked to cancel the whole order (null: never). */
  cancel_requested_at?: Date | null;
  cancel_reason?: string | null;
}

/** A shop order line's row as `select *` reads it. */
export interface ChannelOrderLineRow {
  id: string;
  channel_order_id: string;
  line_no: number;
  shop_sku_code: string;
  title: string | null;
  quantity: number;
  unit_price_amount: string;
  shipped_quantity: number;
  cancelled_quantity: number;
  /** The shop platform's own id of the line (text: Youzan's exceed 2^53). */
  external_line_id: string | null;
  /** Light customization as the shop sent it (null: none; absent from rows read before it existed). */
  customization?: Record<string, unknown> | null;
}

/** Lines as `json_agg` of their rows gives them, with their ids as strings. */
export function lineRows(lines: ChannelOrderLineRow[]): ChannelOrderLineRow[] {
  return lines.map((line) => ({ ...line, id: String(line.id), channel_order_id: String(line.channel_order_id) }));
}

/** The columns of the consignee in a shop order's row. */
export type ConsigneeColumns = Pick<ChannelOrderRow, 'consignee_name' | 'consignee_phone' | 'province' | 'city' | 'district' | 'address'>;

/** The consignee of a shop order's row as people read it: name, phone and address decrypted, the region as stored. */
export function consigneeOf(row: ConsigneeColumns): { name: string; phone: string; province: string; city: string; district: string; address: string } {
  return { name: openField(row.consignee_name), phone: openField(row.consignee_phone), province: row.province, city: row.city, district: row.district, address: openField(row.address) };
}

/** A shop order's address warnings, for its responses: code, field, what was written, and a zh-CN sentence. */
export function addressWarningsOf(row: Pick<ChannelOrderRow, 'address_warnings'>): { code: string; field: string; value: string; message: string }[] {
  return (row.address_warnings ?? []).map((warning) => ({ code: warning.code, field: warning.field, value: warning.value, message: warning.message }));
}
