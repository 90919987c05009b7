import { EntityManager } from '@mikro-orm/postgresql';
import type { Knex } from '@mikro-orm/knex';

/**
 * Plain SQL through the ORM's connection, inside the entity manager's current transaction.
 * Hot paths (ingest, routing, reservations) are set-based statements, not unit-of-work flushes.
 * Parameters use `?` placeholders; an array parameter is sent as one PostgreSQL array (cast it,
 * e.g. `?::bigint[]`), never spread into a list.
 */
export async function sqlRows<Row = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<Row[]> {
  return (await run<Row>(em, query, params)).rows;
}

export async function sqlOne<Row = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<Row | undefined> {
  const rows = await sqlRows<Row>(em, query, params);
  return rows[0];
}

/** Runs a statement; returns the number of rows it touched. */
export async function sqlExec(em: EntityManager, query: string, params: unknown[] = []): Promise<number> {
  return (await run(em, query, params)).rowCount ?? 0;
}

/** Entity managers whose statements outside a transaction run on the read replica (see ReadReplica). */
export const REPLICA_READERS = new WeakSet<EntityManager>();

interface PgConnection {
  query<Row>(text: string, values: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }>;
}

interface ConnectionSource {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}

/**
 * Straight to the pg connection the entity manager uses (its transaction's, else one from its
 * pool), without building a knex query or formatting it for the query log: on the hot paths that
 * cost more CPU than PostgreSQL spent on the statement. Errors are converted like the ORM's own
 * (a unique violation is a UniqueConstraintViolationException, the SQLSTATE stays readable).
 */
async function run<Row>(em: EntityManager, query: string, params: unknown[]): Promise<{ rows: Row[]; rowCount: number | null }> {
  const transaction = em.getTransactionContext<Knex.Transaction>();
  // A statement after its transaction ended would run on a connection already back in the pool.
  if (transaction?.isCompleted()) throw new Error(`A statement was issued on a finished transaction: ${query.slice(0, 80)}`);
  const source = (transaction ?? em.getKnex(REPLICA_READERS.has(em) ? 'read' : 'write')).client as unknown as ConnectionSource;
  const connection = await source.acquireConnection();
  try {
    return await connection.query<Row>(numberPlaceholders(query), toSqlParams(params));
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  } finally {
    await source.releaseConnection(connection);
  }
}

/** `?` placeholders become `$1, $2, …` (a `\?` stays a literal question mark), as knex does for PostgreSQL. */
function numberPlaceholders(query: string): string {
  if (query.includes('??')) throw new Error('Identifier bindings (??) are not supported by sqlRows/sqlExec: write the identifier in the SQL');
  let index = 0;
  return query.replace(/(\\*)(\?)/g, (match: string, escapes: string) => (escapes.length % 2 ? '?' : `${escapes}$${++index}`));
}

/** @deprecated use sqlExec */
export const sqlAffected = sqlExec;

const NEEDS_ESCAPE = /["\\]/;

/**
 * PostgreSQL array literal: {"a","b",NULL}, numbers bare ({1,-2}). Every parameter array of the hot
 * paths goes through here (10,000 listing ids and figures in a recompute): one pass, and only an
 * element holding a quote or a backslash is escaped.
 */
export function pgArray(values: readonly unknown[]): string {
  let literal = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) literal += ',';
    const value = values[index];
    if (value === null || value === undefined) literal += 'NULL';
    else if (typeof value === 'number' || typeof value === 'bigint') literal += String(value);
    else {
      const text = String(value);
      literal += NEEDS_ESCAPE.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`;
    }
  }
  return `${literal}}`;
}

function toSqlParams(params: unknown[]): never[] {
  return params.map((param) => (Array.isArray(param) ? pgArray(param) : param)) as never[];
}
