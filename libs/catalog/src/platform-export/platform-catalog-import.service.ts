import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, ConflictError, Currency, LosslessJson, sqlExec, sqlRows } from '@gongxiao/core';
import { CatalogPlatform, PlatformVariant } from './platform-export';
import { PlatformCatalogPlan, planPlatformCatalogImport, StoredPlatformSku } from './platform-catalog-plan';
import { PlatformImportReportDto, PlatformImportRowDto } from './platform-import.dto';
import { readPlatformExport } from './read-platform-export';

/**
 * A supplier's catalog from a platform's product export: products and SKUs created or updated by SKU
 * code, in one transaction of a few set-based statements, serialized with the products sheet import
 * of the same merchant (both plan against what the one before wrote). The same export twice changes
 * nothing the second time.
 */
@Injectable()
export class PlatformCatalogImportService {
  constructor(private readonly em: EntityManager) {}

  async importExport(actor: ActorContext, platform: CatalogPlatform, data: LosslessJson, currency: Currency = 'CNY'): Promise<PlatformImportReportDto> {
    const read = readPlatformExport(platform, data);
    const merchantId = actor.merchantId;
    const { plan, ids } = await this.em.transactional(async (em) => {
      await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended('catalog-sheet-import:' || ?, 0))`, [merchantId]);
      const stored = await storedSkus(em, merchantId, read.variants);
      const planned = planPlatformCatalogImport(read.variants, stored, platform, currency);
      const created = await writePlan(em, merchantId, platform, currency, planned);
      return { plan: planned, ids: new Map([...[...stored.values()].map((sku) => [sku.code, sku.id] as const), ...created]) };
    });
    const rows: PlatformImportRowDto[] = [
      ...read.variants.map((variant) => ({ ...rowOf(variant), outcome: plan.outcomes.get(variant.skuCode)!, skuId: ids.get(variant.skuCode) ?? null, reason: null, message: null })),
      ...read.skipped.map((skipped) => ({
        platformProductId: skipped.platformProductId,
        platformVariantId: skipped.platformVariantId,
        skuCode: skipped.skuCode,
        outcome: 'skipped' as const,
        skuId: null,
        reason: skipped.reason,
        message: skipped.message,
      })),
    ];
    const count = (outcome: PlatformImportRowDto['outcome']) => rows.filter((row) => row.outcome === outcome).length;
    return { platform, products: read.products, created: count('created'), updated: count('updated'), unchanged: count('unchanged'), skipped: count('skipped'), rows };
  }
}

const rowOf = (variant: PlatformVariant) => ({ platformProductId: variant.platformProductId, platformVariantId: variant.platformVariantId, skuCode: variant.skuCode });

/** The merchant's SKUs the export names by code, with their products: one statement. */
async function storedSkus(em: EntityManager, merchantId: string, variants: PlatformVariant[]): Promise<Map<string, StoredPlatformSku>> {
  if (variants.length === 0) return new Map();
  const rows = await sqlRows<StoredPlatformSku>(
    em,
    `select s.id::text as id, s.code, s.name, s.spec, s.specs, s.barcode, s.weight_grams as "weightGrams", s.platform, s.platform_product_id as "platformProductId",
            s.platform_variant_id as "platformVariantId", s.list_price_amount::text as "listPriceAmount", s.list_price_currency as "listPriceCurrency",
            s.product_id::text as "productId", p.name as "productName", p.description as "productDescription"
       from sku s join product p on p.id = s.product_id
      where s.merchant_id = ? and s.code = any(?::text[])`,
    [merchantId, variants.map((variant) => variant.skuCode)],
  );
  return new Map(rows.map((row) => [row.code, { ...row, listPriceAmount: row.listPriceAmount === null ? null : Number(row.listPriceAmount) }]));
}

/** The plan's writes; returns the ids of the SKUs it created, by code. */
async function writePlan(em: EntityManager, merchantId: string, platform: CatalogPlatform, currency: string, plan: PlatformCatalogPlan): Promise<Map<string, string>> {
  const productIdOf = new Map<string, string>();
  if (plan.newProducts.length > 0) {
    // Ids drawn first, so each new product's id is known by its platform product without relying on the order of RETURNING.
    const drawn = await sqlRows<{ id: string }>(em, `select nextval(pg_get_serial_sequence('product', 'id'))::text as id from generate_series(1, ?)`, [plan.newProducts.length]);
    plan.newProducts.forEach((product, index) => productIdOf.set(product.platformProductId, drawn[index].id));
    await sqlExec(em, `insert into product (id, merchant_id, name, description) select r.id, ?, r.name, r.description from unnest(?::bigint[], ?::text[], ?::text[]) as r(id, name, description)`, [
      merchantId,
      drawn.map((row) => row.id),
      plan.newProducts.map((product) => product.name),
      plan.newProducts.map((product) => product.description),
    ]);
  }
  if (plan.productUpdates.length > 0) {
    await sqlExec(
      em,
      `update product p set name = r.name, description = r.description, updated_at = now() from unnest(?::bigint[], ?::text[], ?::text[]) as r(id, name, description) where p.id = r.id and p.merchant_id = ?`,
      [plan.productUpdates.map((update) => update.id), plan.productUpdates.map((update) => update.name), plan.productUpdates.map((update) => update.description), merchantId],
    );
  }
  const columns = (skus: PlatformCatalogPlan['newSkus'] | PlatformCatalogPlan['skuUpdates']) => [
    skus.map((sku) => sku.code),
    skus.map((sku) => sku.name),
    skus.map((sku) => sku.spec),
    skus.map((sku) => JSON.stringify(sku.specs)),
    skus.map((sku) => sku.barcode),
    skus.map((sku) => sku.weightGrams),
    skus.map((sku) => sku.platformProductId),
    skus.map((sku) => sku.platformVariantId),
    skus.map((sku) => String(sku.listPriceAmount)),
  ];
  const created = new Map<string, string>();
  if (plan.newSkus.length > 0) {
    const inserted = await sqlRows<{ id: string; code: string }>(
      em,
      `insert into sku (merchant_id, product_id, code, name, spec, specs, barcode, weight_grams, platform, platform_product_id, platform_variant_id, list_price_amount, list_price_currency)
       select ?, r.product_id, r.code, r.name, r.spec, r.specs::jsonb, r.barcode, r.weight_grams, ?, r.platform_product_id, r.platform_variant_id, r.list_price_amount, ?
         from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bigint[])
           as r(product_id, code, name, spec, specs, barcode, weight_grams, platform_product_id, platform_variant_id, list_price_amount)
       on conflict (merchant_id, code) do nothing returning id::text as id, code`,
      [merchantId, platform, currency, plan.newSkus.map((sku) => sku.productId ?? productIdOf.get(sku.platformProductId)!), ...columns(plan.newSkus)],
    );
    if (inserted.length < plan.newSkus.length) {
      // Another change (the API) took one of the codes meanwhile: this transaction rolls back whole.
      throw new ConflictError('sku_code_taken', 'A SKU code of the export was taken by another change while it was imported; nothing was changed. Import it again.');
    }
    for (const row of inserted) created.set(row.code, row.id);
  }
  if (plan.skuUpdates.length > 0) {
    await sqlExec(
      em,
      `update sku s set name = r.name, spec = r.spec, specs = r.specs::jsonb, barcode = coalesce(r.barcode, s.barcode), weight_grams = coalesce(r.weight_grams, s.weight_grams),
                        platform = ?, platform_product_id = r.platform_product_id, platform_variant_id = r.platform_variant_id,
                        list_price_amount = r.list_price_amount, list_price_currency = ?, updated_at = now()
         from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[], ?::text[], ?::text[], ?::bigint[])
           as r(id, code, name, spec, specs, barcode, weight_grams, platform_product_id, platform_variant_id, list_price_amount)
        where s.id = r.id and s.merchant_id = ?`,
      [platform, currency, plan.skuUpdates.map((sku) => sku.id), ...columns(plan.skuUpdates), merchantId],
    );
  }
  return created;
}
