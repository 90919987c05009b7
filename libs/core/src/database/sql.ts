import { EntityManager } from '@mikro-orm/postgresql';

/**
 * Plain SQL through the ORM's connection, inside the entity manager's current transaction.
 * Hot paths (ingest, routing, reservations) are set-based statements, not unit-of-work flushes.
 * Parameters use `?` placeholders; an array parameter is sent as one PostgreSQL array (cast it,
 * e.g. `?::bigint[]`), never spread into a list.
 */
export async function sqlRows<Row = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<Row[]> {
  return (await em.execute(query, toSqlParams(params), 'all')) as Row[];
}

export async function sqlOne<Row = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<Row | undefined> {
  const rows = await sqlRows<Row>(em, query, params);
  return rows[0];
}

/** Runs a statement; returns the number of rows it touched. */
export async function sqlExec(em: EntityManager, query: string, params: unknown[] = []): Promise<number> {
  const result = (await em.execute(query, toSqlParams(params), 'run')) as { affectedRows?: number; rowCount?: number };
  return result.affectedRows ?? result.rowCount ?? 0;
}

/** @deprecated use sqlExec */
export const sqlAffected = sqlExec;

/** PostgreSQL array literal: {"a","b",NULL}. */
export function pgArray(values: readonly unknown[]): string {
  const items = values.map((value) => {
    if (value === null || value === undefined) return 'NULL';
    return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  });
  return `{${items.join(',')}}`;
}

function toSqlParams(params: unknown[]): never[] {
  return params.map((param) => (Array.isArray(param) ? pgArray(param) : param)) as never[];
}
