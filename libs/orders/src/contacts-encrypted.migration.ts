import { Migration } from '@mikro-orm/migrations';
import { EntityManager } from '@mikro-orm/postgresql';
import { encryptColumns, EncryptedColumns, encryptField, sqlExec, sqlRows } from '@gongxiao/core';

/** The channel order columns stored encrypted (the province, city and district stay plain for routing). */
export const CHANNEL_ORDER_ENCRYPTED_COLUMNS: EncryptedColumns = { table: 'channel_order', columns: ['consignee_name', 'consignee_phone', 'address'] };

/**
 * Encrypts the consignee's name, phone and address of orders stored in plaintext, and each raw
 * payload (which repeats them) into one encrypted JSON string, in Node under DATA_ENCRYPTION_KEYS.
 * Encrypted values are skipped, so it can run again.
 */
export async function encryptChannelOrderContacts(em: EntityManager): Promise<void> {
  await encryptColumns(em, CHANNEL_ORDER_ENCRYPTED_COLUMNS);
  for (;;) {
    const rows = await sqlRows<{ id: string; raw: string }>(
      em,
      `select id::text, raw_payload::text as raw from channel_order where jsonb_typeof(raw_payload) <> 'string' order by channel_order.id limit 500`,
    );
    if (rows.length === 0) return;
    await sqlExec(em, `update channel_order c set raw_payload = to_jsonb(v.raw) from unnest(?::bigint[], ?::text[]) as v(id, raw) where c.id = v.id`, [
      rows.map((row) => row.id),
      rows.map((row) => encryptField(row.raw)),
    ]);
  }
}

export class Migration20261201000533ChannelOrderContactsEncrypted extends Migration {
  override async up(): Promise<void> {
    await encryptChannelOrderContacts(this.getEntityManager() as unknown as EntityManager);
  }
}
