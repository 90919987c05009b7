import { Migration } from '@mikro-orm/migrations';
import { EntityManager } from '@mikro-orm/postgresql';
import { encryptColumns, EncryptedColumns } from '@gongxiao/core';

/** The webhook subscription columns stored encrypted. */
export const SUBSCRIPTION_ENCRYPTED_COLUMNS: EncryptedColumns = { table: 'webhook_subscription', columns: ['secret'] };

/**
 * Encrypts the subscription signing secrets still stored in plaintext (AES-256-GCM under DATA_ENCRYPTION_KEYS, in Node: the
 * migrating process needs the keys in its environment). Values already `v1:` are skipped, so it is
 * safe to run again; from here on the service writes them encrypted.
 */
export class Migration20261201000532SubscriptionSecretsEncrypted extends Migration {
  override async up(): Promise<void> {
    await encryptColumns(this.getEntityManager() as unknown as EntityManager, SUBSCRIPTION_ENCRYPTED_COLUMNS);
  }
}
