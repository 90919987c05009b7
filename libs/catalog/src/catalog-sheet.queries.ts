import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';

/** A warehouse as sheets show it. */
export interface WarehouseLabel {
  id: string;
  code: string;
  name: string;
}

/**
 * What a stock sheet names, of one merchant only: its warehouses whose code or name is one of
 * `warehouseTexts` (a name may match several) and its SKUs with one of `skuCodes`. One statement.
 */
export async function ownStockSheetRefs(
  em: EntityManager,
  merchantId: string,
  refs: { warehouseTexts: string[]; skuCodes: string[] },
): Promise<{ warehouses: WarehouseLabel[]; skus: { id: string; code: string; name: string }[] }> {
  const rows = await sqlRows<WarehouseLabel & { kind: 'warehouse' | 'sku' }>(
    em,
    `select 'warehouse' as kind, id::text as id, code, name from warehouse where merchant_id = ? and (code = any(?::text[]) or name = any(?::text[]))
     union all
     select 'sku' as kind, id::text as id, code, name from sku where merchant_id = ? and code = any(?::text[])`,
    [merchantId, refs.warehouseTexts, refs.warehouseTexts, merchantId, refs.skuCodes],
  );
  const pick = (kind: 'warehouse' | 'sku') => rows.filter((row) => row.kind === kind).map(({ id, code, name }) => ({ id, code, name }));
  return { warehouses: pick('warehouse'), skus: pick('sku') };
}

/**
 * The warehouses a stock sheet covers, in id order: the merchant's own (or only the one asked for),
 * each saying whether it is active (an inactive one shows only the levels it still holds).
 */
export async function stockSheetWarehouses(em: EntityManager, merchantId: string, warehouseId: string | null): Promise<(WarehouseLabel & { active: boolean })[]> {
  return sqlRows<WarehouseLabel & { active: boolean }>(
    em,
    `select id::text as id, code, name, status = 'active' as active from warehouse w where merchant_id = ? and (?::bigint is null or w.id = ?::bigint) order by w.id`,
    [merchantId, warehouseId, warehouseId],
  );
}

/** A page of the merchant's SKUs in id order after `afterSkuId` (keyset, for streamed sheets): one statement. Ordered by `s.id`, the number (a bare `id` would be the text alias, where "10" sorts before "9"). */
export async function skuPage(em: EntityManager, merchantId: string, afterSkuId: string, limit: number): Promise<{ id: string; code: string; name: string }[]> {
  return sqlRows<{ id: string; code: string; name: string }>(em, `select id::text as id, code, name from sku s where s.merchant_id = ? and s.id > ?::bigint order by s.id limit ?`, [
    merchantId,
    afterSkuId,
    limit,
  ]);
}
