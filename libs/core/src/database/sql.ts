import { EntityManager } from '@mikro-orm/postgresql';

/**
 * Plain SQL through the ORM's connection, inside the entity manager's current transaction.
 * Hot paths (ingest, routing, reservations) are set-based statements, not unit-of-work flushes.
 * Parameters use `?` placeholders (knex style).
 */
export async function sqlRows<Row = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<Row[]> {
  return (await em.execute(query, params as never[], 'all')) as Row[];
}

export async function sqlOne<Row = Record<string, unknown>>(em: EntityManager, query: string, params: unknown[] = []): Promise<Row | undefined> {
  const rows = await sqlRows<Row>(em, query, params);
  return rows[0];
}

/** Number of rows an UPDATE/DELETE touched. */
export async function sqlAffected(em: EntityManager, query: string, params: unknown[] = []): Promise<number> {
  const result = (await em.execute(query, params as never[], 'run')) as { affectedRows?: number; rowCount?: number };
  return result.affectedRows ?? result.rowCount ?? 0;
}
