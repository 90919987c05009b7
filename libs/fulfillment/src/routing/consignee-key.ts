import { fieldKeyring, openField } from '@gongxiao/core';
import type { ChannelOrderRow } from '@gongxiao/orders';

export type ConsigneeFields = Pick<ChannelOrderRow, 'consignee_name' | 'consignee_phone' | 'province' | 'city' | 'district' | 'address'>;

/**
 * Who receives a parcel, as one key: orders of the same consignee at the same warehouse join one
 * fulfillment order while its merge window is open. Case, white space and the punctuation of phone
 * numbers do not make two consignees of one. The key is a keyed hash (HMAC under the data
 * encryption key) of the plaintext, so it can be stored and indexed without repeating contact data,
 * and a phone number cannot be guessed from it without the key. Name, phone and address may be
 * given encrypted, as they are stored.
 */
export function consigneeKey(order: ConsigneeFields): string {
  const normalized = [openField(order.consignee_name), openField(order.consignee_phone).replace(/\D/g, ''), order.province, order.city, order.district, openField(order.address)]
    .map((part) => part.trim().toLowerCase().replace(/\s+/g, ''))
    .join('|');
  return fieldKeyring().blindIndex(normalized);
}
