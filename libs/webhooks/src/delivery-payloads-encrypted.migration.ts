import { Migration } from '@mikro-orm/migrations';
import { EntityManager } from '@mikro-orm/postgresql';
import { encryptField, sqlExec, sqlRows } from '@gongxiao/core';

/**
 * Encrypts the bodies of webhook deliveries stored in plaintext (an ERP's order carries the
 * consignee's contact data): each becomes a JSON string `v1:…` under DATA_ENCRYPTION_KEYS, in Node
 * (the migrating process needs the keys). Bodies already encrypted are skipped, so it runs again safely.
 */
export class Migration20261201000535DeliveryPayloadsEncrypted extends Migration {
  override async up(): Promise<void> {
    await encryptDeliveryPayloads(this.getEntityManager() as unknown as EntityManager);
  }
}

export async function encryptDeliveryPayloads(em: EntityManager, batch = 500): Promise<number> {
  let after = '0';
  let changed = 0;
  for (;;) {
    const rows = await sqlRows<{ id: string; body: string }>(
      em,
      `select id::text, payload::text as body from webhook_delivery where id > ?::bigint and jsonb_typeof(payload) <> 'string' order by webhook_delivery.id limit ?`,
      [after, batch],
    );
    if (rows.length === 0) return changed;
    changed += await sqlExec(em, `update webhook_delivery d set payload = to_jsonb(v.payload) from unnest(?::bigint[], ?::text[]) as v(id, payload) where d.id = v.id`, [
      rows.map((row) => row.id),
      rows.map((row) => encryptField(row.body)),
    ]);
    after = rows[rows.length - 1].id;
  }
}
