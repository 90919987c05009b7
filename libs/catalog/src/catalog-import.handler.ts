import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ConflictError, RejectedRow, SheetImportContext, SheetImportHandler, SheetImportOutcome, SheetRow, sqlExec, sqlRows } from '@gongxiao/core';
import { CATALOG_SHEET_COLUMNS, CATALOG_SHEET_HEADERS, CATALOG_SHEET_SPEC, CatalogSheetKey, catalogReason } from './catalog-sheet';
import { CatalogImportPlan, ExistingProduct, ExistingSku, planCatalogImport } from './catalog-sheet-plan';
import { CatalogSheetInput, parseCatalogRows } from './catalog-sheet-rows';

/**
 * Products and SKUs by Excel (kind "products"): one row per SKU, upserted by SKU code. Every row is
 * checked first (the product API's constraints, duplicate codes, product names that disagree);
 * then all rows apply or none (all_or_nothing), or the valid ones (valid_rows). Writes are a few
 * set-based statements in one transaction; the same sheet uploaded again finds nothing to change.
 */
@Injectable()
export class CatalogImportHandler implements SheetImportHandler<CatalogSheetKey> {
  readonly kind = 'products';
  readonly permission = 'catalog:write' as const;
  readonly spec = CATALOG_SHEET_SPEC;
  readonly templateHeaders = CATALOG_SHEET_HEADERS;

  constructor(private readonly em: EntityManager) {}

  async apply(context: SheetImportContext, rows: SheetRow<CatalogSheetKey>[]): Promise<SheetImportOutcome> {
    const merchantId = context.actor.merchantId;
    const parsed = parseCatalogRows(rows, context.language);
    await context.progress(Math.floor(rows.length / 2), rows.length);
    const outcome = await this.em.transactional(async (em) => {
      // One products upload of a merchant at a time: each plans against what the one before wrote.
      await sqlExec(em, `select pg_advisory_xact_lock(hashtextextended('catalog-sheet-import:' || ?, 0))`, [merchantId]);
      const { skusByCode, productsNamed } = await this.currentState(em, merchantId, parsed.inputs);
      const plan = planCatalogImport(parsed.inputs, skusByCode, productsNamed);
      const reasons = new Map(parsed.rejected);
      for (const rejection of plan.rejected) reasons.set(rejection.rowNumber, [...(reasons.get(rejection.rowNumber) ?? []), catalogReason(context.language, rejection.reason, rejection.params)]);
      const rejected = rejectedRows(rows, reasons, context.language);
      if (rejected.length > 0 && context.mode === 'all_or_nothing') return { applied: 0, unchanged: 0, rejected };
      await this.write(em, merchantId, plan);
      return { applied: plan.appliedRows.length, unchanged: plan.unchangedRows.length, rejected };
    });
    await context.progress(rows.length, rows.length);
    return outcome;
  }

  /** The merchant's SKUs the sheet names and its products named like the sheet's new SKUs' products: two statements. */
  private async currentState(em: EntityManager, merchantId: string, inputs: CatalogSheetInput[]): Promise<{ skusByCode: Map<string, ExistingSku>; productsNamed: ExistingProduct[] }> {
    const skus = await sqlRows<ExistingSku>(
      em,
      `select s.id::text as id, s.code, s.name, s.spec, s.barcode, s.weight_grams as "weightGrams", s.product_id::text as "productId", p.name as "productName"
         from sku s join product p on p.id = s.product_id
        where s.merchant_id = ? and s.code = any(?::text[])`,
      [merchantId, inputs.map((input) => input.skuCode)],
    );
    const skusByCode = new Map(skus.map((sku) => [sku.code, sku]));
    const names = [...new Set(inputs.filter((input) => !skusByCode.has(input.skuCode)).map((input) => input.productName))];
    const productsNamed =
      names.length === 0 ? [] : await sqlRows<ExistingProduct>(em, `select id::text as id, name from product where merchant_id = ? and name = any(?::text[]) order by product.id`, [merchantId, names]);
    return { skusByCode, productsNamed };
  }

  private async write(em: EntityManager, merchantId: string, plan: CatalogImportPlan): Promise<void> {
    if (plan.productRenames.length > 0) {
      await sqlExec(em, `update product p set name = r.name, updated_at = now() from unnest(?::bigint[], ?::text[]) as r(id, name) where p.id = r.id and p.merchant_id = ?`, [
        plan.productRenames.map((rename) => rename.id),
        plan.productRenames.map((rename) => rename.name),
        merchantId,
      ]);
    }
    const created =
      plan.newProducts.length === 0
        ? []
        : await sqlRows<ExistingProduct>(
            em,
            `insert into product (merchant_id, name) select ?, r.name from unnest(?::text[]) with ordinality as r(name, position) order by r.position returning id::text as id, name`,
            [merchantId, plan.newProducts],
          );
    const createdId = new Map(created.map((product) => [product.name, product.id]));
    if (plan.newSkus.length > 0) {
      const inserted = await sqlRows<{ code: string }>(
        em,
        `insert into sku (merchant_id, product_id, code, name, spec, barcode, weight_grams)
         select ?, r.product_id, r.code, r.name, r.spec, r.barcode, r.weight_grams
           from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int[]) as r(product_id, code, name, spec, barcode, weight_grams)
         on conflict (merchant_id, code) do nothing returning code`,
        [
          merchantId,
          plan.newSkus.map((sku) => sku.productId ?? createdId.get(sku.productName)!),
          plan.newSkus.map((sku) => sku.code),
          plan.newSkus.map((sku) => sku.name),
          plan.newSkus.map((sku) => sku.spec),
          plan.newSkus.map((sku) => sku.barcode),
          plan.newSkus.map((sku) => sku.weightGrams),
        ],
      );
      if (inserted.length < plan.newSkus.length) {
        // Another change (the API) took one of the codes meanwhile: this transaction rolls back whole.
        throw new ConflictError('sku_code_taken', 'A SKU code of the sheet was taken by another change while it was imported; nothing was changed. Upload the sheet again.');
      }
    }
    if (plan.skuChanges.length > 0) {
      await sqlExec(
        em,
        `update sku s set name = coalesce(r.name, s.name), spec = coalesce(r.spec, s.spec), barcode = coalesce(r.barcode, s.barcode),
                          weight_grams = coalesce(r.weight_grams, s.weight_grams), updated_at = now()
           from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::int[]) as r(id, name, spec, barcode, weight_grams)
          where s.id = r.id and s.merchant_id = ?`,
        [
          plan.skuChanges.map((change) => change.id),
          plan.skuChanges.map((change) => change.name),
          plan.skuChanges.map((change) => change.spec),
          plan.skuChanges.map((change) => change.barcode),
          plan.skuChanges.map((change) => change.weightGrams),
          merchantId,
        ],
      );
    }
  }
}

/** The refused rows, their cells in the template's column order, reasons joined in the upload's language. */
function rejectedRows(rows: SheetRow<CatalogSheetKey>[], reasons: Map<number, string[]>, language: SheetImportContext['language']): RejectedRow[] {
  return rows
    .filter((row) => reasons.has(row.rowNumber))
    .map((row) => ({
      rowNumber: row.rowNumber,
      cells: CATALOG_SHEET_COLUMNS.map((column) => row.values[column.key] ?? ''),
      reason: reasons.get(row.rowNumber)!.join(language === 'en' ? '; ' : '；'),
    }));
}
