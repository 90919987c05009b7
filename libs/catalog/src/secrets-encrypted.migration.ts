import { Migration } from '@mikro-orm/migrations';
import { EntityManager } from '@mikro-orm/postgresql';
import { encryptColumns, EncryptedColumns } from '@gongxiao/core';

/** The warehouse columns stored encrypted. */
export const WAREHOUSE_ENCRYPTED_COLUMNS: EncryptedColumns = { table: 'warehouse', columns: ['erp_webhook_secret'] };

/**
 * Encrypts the ERP signing secrets still stored in plaintext (AES-256-GCM under DATA_ENCRYPTION_KEYS, in Node: the
 * migrating process needs the keys in its environment). Values already `v1:` are skipped, so it is
 * safe to run again; from here on the service writes them encrypted.
 */
export class Migration20261201000530WarehouseSecretsEncrypted extends Migration {
  override async up(): Promise<void> {
    await encryptColumns(this.getEntityManager() as unknown as EntityManager, WAREHOUSE_ENCRYPTED_COLUMNS);
  }
}
