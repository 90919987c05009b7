import { Migration } from '@mikro-orm/migrations';
import { EntityManager } from '@mikro-orm/postgresql';
import { encryptColumns, EncryptedColumns } from '@gongxiao/core';

/** The shop columns stored encrypted (the current and the previous signing secret). */
export const SHOP_ENCRYPTED_COLUMNS: EncryptedColumns = { table: 'shop', columns: ['webhook_secret', 'previous_webhook_secret'] };

/**
 * Encrypts the shop signing secrets (current and previous) still stored in plaintext (AES-256-GCM under DATA_ENCRYPTION_KEYS, in Node: the
 * migrating process needs the keys in its environment). Values already `v1:` are skipped, so it is
 * safe to run again; from here on the service writes them encrypted.
 */
export class Migration20261201000531ShopSecretsEncrypted extends Migration {
  override async up(): Promise<void> {
    await encryptColumns(this.getEntityManager() as unknown as EntityManager, SHOP_ENCRYPTED_COLUMNS);
  }
}
