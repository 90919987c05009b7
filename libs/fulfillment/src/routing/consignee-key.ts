import { createHash } from 'node:crypto';
import type { ChannelOrderRow } from '@gongxiao/orders';

export type ConsigneeFields = Pick<ChannelOrderRow, 'consignee_name' | 'consignee_phone' | 'province' | 'city' | 'district' | 'address'>;

/**
 * Who receives a parcel, as one key: orders of the same consignee at the same warehouse join one
 * fulfillment order while its merge window is open. Case, white space and the punctuation of phone
 * numbers do not make two consignees of one; the key is a hash so that it can be stored and indexed
 * without repeating contact data.
 */
export function consigneeKey(order: ConsigneeFields): string {
  const normalized = [order.consignee_name, order.consignee_phone.replace(/\D/g, ''), order.province, order.city, order.district, order.address]
    .map((part) => part.trim().toLowerCase().replace(/\s+/g, ''))
    .join('|');
  return createHash('sha256').update(normalized).digest('hex');
}
