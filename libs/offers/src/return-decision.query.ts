import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/**
 * Hours each offer gives its supplier to decide a return case (after-sales freezes the deadline on
 * a case when it opens, from the origin offers of its lines). One statement for every offer.
 */
export async function returnDecisionHoursOfOffers(em: EntityManager, offerIds: string[]): Promise<Map<string, number>> {
  if (offerIds.length === 0) return new Map();
  const rows = await sqlRows<{ id: string; hours: number }>(em, `select id::text, return_decision_hours as hours from offer where id = any(?::bigint[])`, [[...new Set(offerIds)]]);
  return new Map(rows.map((row) => [row.id, row.hours]));
}
