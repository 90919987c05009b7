import { Migration } from '@mikro-orm/migrations';
import { EntityManager } from '@mikro-orm/postgresql';
import { encryptColumns, EncryptedColumns, sqlExec, sqlRows } from '@gongxiao/core';
import { ConsigneeFields, consigneeKey } from './routing/consignee-key';

/** The fulfillment order columns stored encrypted (the province, city and district stay plain). */
export const FULFILLMENT_ORDER_ENCRYPTED_COLUMNS: EncryptedColumns = { table: 'fulfillment_order', columns: ['consignee_name', 'consignee_phone', 'address'] };

/**
 * Re-keys the open merge windows with the keyed consignee hash (computed from the plaintext, so
 * orders routed after the migration still join them), then encrypts the consignee's name, phone and
 * address of every fulfillment order still stored in plaintext. Safe to run again.
 */
export async function encryptFulfillmentOrderContacts(em: EntityManager): Promise<void> {
  const open = await sqlRows<ConsigneeFields & { id: string }>(
    em,
    `select id::text, consignee_name, consignee_phone, province, city, district, address from fulfillment_order where status = 'pending_merge'`,
  );
  if (open.length > 0) {
    await sqlExec(em, `update fulfillment_order f set consignee_key = v.consignee_key from unnest(?::bigint[], ?::text[]) as v(id, consignee_key) where f.id = v.id`, [
      open.map((row) => row.id),
      open.map((row) => consigneeKey(row)),
    ]);
  }
  await encryptColumns(em, FULFILLMENT_ORDER_ENCRYPTED_COLUMNS);
}

export class Migration20261201000534FulfillmentOrderContactsEncrypted extends Migration {
  override async up(): Promise<void> {
    await encryptFulfillmentOrderContacts(this.getEntityManager() as unknown as EntityManager);
  }
}
