import { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors/domain-error';
import { sqlOne } from './sql';

/** Ids are PostgreSQL bigints sent as strings; anything else can name no row (and answers 404). */
export function isId(value: string): boolean {
  return /^\d{1,18}$/.test(value);
}

/**
 * A merchant's own row of `table` by id (`columns` selected), or 404 naming `resource`: anyone else's
 * row, or an id that is no id, is not found. A `null` merchant is the worker, which may read any.
 */
export async function merchantRow<Row>(em: EntityManager, source: { table: string; columns: string; resource: string }, merchantId: string | null, id: string): Promise<Row> {
  const row = isId(id)
    ? await sqlOne<Row>(em, `select ${source.columns} from ${source.table} where id = ? and (?::bigint is null or merchant_id = ?::bigint)`, [id, merchantId, merchantId])
    : undefined;
  if (!row) throw new NotFoundError(source.resource, id);
  return row;
}

/** The percent a long-running job shows: 100 once done, else what is done of the total, at most 99. */
export function progressPercent(status: string, done: number, total: number | null): number {
  if (status === 'done') return 100;
  return total ? Math.min(99, Math.floor((done * 100) / total)) : 0;
}
