import { EntityManager } from '@mikro-orm/postgresql';
import { sqlExec, sqlRows } from '../database/sql';
import { ENCRYPTED_PREFIX, FieldKeyring, fieldKeyring, isEncrypted } from './field-encryption';

/** Text columns of one table (a bigint primary key `id`) whose values are stored encrypted. */
export interface EncryptedColumns {
  table: string;
  columns: string[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Encrypts the values of these columns that are still plaintext (null and `v1:` values are left as
 * they are, so it can run again), in batches by id, in the entity manager's transaction. With
 * `rotate`, values under an older key are re-encrypted under the current one too. The owning
 * library's migration calls it with its own table. Returns the rows changed.
 */
export async function encryptColumns(em: EntityManager, target: EncryptedColumns, options: { keyring?: FieldKeyring; rotate?: boolean; batch?: number } = {}): Promise<number> {
  const keyring = options.keyring ?? fieldKeyring();
  const { table, columns } = target;
  if (![table, ...columns].every((name) => IDENTIFIER.test(name))) throw new Error(`encryptColumns: bad identifier in ${table}(${columns.join(', ')})`);
  const current = `${ENCRYPTED_PREFIX}${keyring.currentKeyId}:`;
  const pending = columns.map((column) => `(${column} is not null and ${options.rotate ? `${column} not like '${current}%'` : `${column} not like '${ENCRYPTED_PREFIX}%'`})`).join(' or ');
  const assignments = columns.map((column) => `${column} = v.${column}`).join(', ');
  const arrays = columns.map(() => '?::text[]').join(', ');
  let after = '0';
  let changed = 0;
  for (;;) {
    const rows = await sqlRows<Record<string, string | null>>(em, `select id::text as id, ${columns.join(', ')} from ${table} where id > ?::bigint and (${pending}) order by ${table}.id limit ?`, [
      after,
      options.batch ?? 500,
    ]);
    if (rows.length === 0) return changed;
    const values = columns.map((column) =>
      rows.map((row) => {
        const value = row[column];
        if (value === null) return null;
        return options.rotate || !isEncrypted(value) ? keyring.reencrypt(value) : value;
      }),
    );
    changed += await sqlExec(em, `update ${table} t set ${assignments} from unnest(?::bigint[], ${arrays}) as v(id, ${columns.join(', ')}) where t.id = v.id`, [rows.map((row) => row.id), ...values]);
    after = rows[rows.length - 1].id!;
  }
}
