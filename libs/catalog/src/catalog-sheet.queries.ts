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

/** Code and name of any warehouses by id (for exports beside other contexts' rows): one statement per batch. */
export async function warehouseLabelsById(em: EntityManager, warehouseIds: string[]): Promise<Map<string, WarehouseLabel>> {
  if (warehouseIds.length === 0) return new Map();
  const rows = await sqlRows<WarehouseLabel>(em, `select id::text as id, code, name from warehouse where id = any(?::bigint[])`, [[...new Set(warehouseIds)]]);
  return new Map(rows.map((row) => [row.id, row]));
}
