import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/**
 * Batch-shaped reads of the catalog for other contexts (catalog owns product, sku and warehouse):
 * each takes every id or code it needs at once and costs one statement.
 */

export interface CatalogRef {
  id: string;
  code: string;
}

/** A merchant's own warehouses and SKUs named by id or by code (e.g. in a bulk stock update): one statement. */
export async function ownWarehouseAndSkuRefs(
  em: EntityManager,
  merchantId: string,
  refs: { warehouseCodes: string[]; warehouseIds: string[]; skuCodes: string[]; skuIds: string[] },
): Promise<{ warehouses: CatalogRef[]; skus: CatalogRef[] }> {
  const rows = await sqlRows<CatalogRef & { kind: 'warehouse' | 'sku' }>(
    em,
    `select 'warehouse' as kind, id::text, code from warehouse where merchant_id = ? and (code = any(?::text[]) or id = any(?::bigint[]))
     union all
     select 'sku' as kind, id::text, code from sku where merchant_id = ? and (code = any(?::text[]) or id = any(?::bigint[]))`,
    [merchantId, refs.warehouseCodes, refs.warehouseIds, merchantId, refs.skuCodes, refs.skuIds],
  );
  const pick = (kind: 'warehouse' | 'sku') => rows.filter((row) => row.kind === kind).map(({ id, code }) => ({ id, code }));
  return { warehouses: pick('warehouse'), skus: pick('sku') };
}

/** Which of these SKUs the merchant owns. */
export async function skusOwnedBy(em: EntityManager, merchantId: string, skuIds: string[]): Promise<Set<string>> {
  if (skuIds.length === 0) return new Set();
  const rows = await sqlRows<{ id: string }>(em, `select id::text from sku where merchant_id = ? and id = any(?::bigint[])`, [merchantId, skuIds]);
  return new Set(rows.map((row) => row.id));
}

/** SKUs of any of these merchants whose code is one of `codes` (codes are unique per merchant, not across them): one statement. */
export async function skusOfMerchantsByCode(em: EntityManager, merchantIds: string[], codes: string[]): Promise<{ id: string; merchantId: string; code: string }[]> {
  if (merchantIds.length === 0 || codes.length === 0) return [];
  return sqlRows<{ id: string; merchantId: string; code: string }>(
    em,
    `select id::text as id, merchant_id::text as "merchantId", code from sku where merchant_id = any(?::bigint[]) and code = any(?::text[])`,
    [merchantIds, [...new Set(codes)]],
  );
}
