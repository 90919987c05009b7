import { normalizeCellText } from '@gongxiao/core';
import { CatalogSheetReason, ReasonParams } from './catalog-sheet';
import { CatalogSheetInput } from './catalog-sheet-rows';

/** A SKU of the uploader that a row of the sheet names by its code, with its product. */
export interface ExistingSku {
  id: string;
  code: string;
  name: string;
  spec: string | null;
  barcode: string | null;
  weightGrams: number | null;
  productId: string;
  productName: string;
}

export interface ExistingProduct {
  id: string;
  name: string;
}

export interface PlannedRejection {
  rowNumber: number;
  reason: CatalogSheetReason;
  params: ReasonParams;
}

export interface NewSku {
  rowNumber: number;
  /** The existing product it joins, or null: it joins the new product named `productName`. */
  productId: string | null;
  productName: string;
  code: string;
  name: string;
  spec: string | null;
  barcode: string | null;
  weightGrams: number | null;
}

/** Fields to change on a known SKU; null keeps the stored value. */
export interface SkuChange {
  rowNumber: number;
  id: string;
  name: string | null;
  spec: string | null;
  barcode: string | null;
  weightGrams: number | null;
}

export interface CatalogImportPlan {
  rejected: PlannedRejection[];
  productRenames: ExistingProduct[];
  /** Names of the products to create (each once). */
  newProducts: string[];
  newSkus: NewSku[];
  skuChanges: SkuChange[];
  /** Rows that change something. */
  appliedRows: number[];
  /** Valid rows that say what is stored already. */
  unchangedRows: number[];
}

const groupBy = <T>(items: T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
};

/** Known SKUs' rows by product: every row of one product must give it the same name (a new name renames it). */
function planRenames(known: { input: CatalogSheetInput; sku: ExistingSku }[], rejected: PlannedRejection[]) {
  const renames: ExistingProduct[] = [];
  const accepted: { input: CatalogSheetInput; sku: ExistingSku }[] = [];
  for (const [productId, rows] of groupBy(known, (row) => row.sku.productId)) {
    const names = new Set(rows.map((row) => row.input.productName));
    if (names.size > 1) {
      const params = { current: rows[0].sku.productName, rows: rows.map((row) => row.input.rowNumber) };
      for (const row of rows) rejected.push({ rowNumber: row.input.rowNumber, reason: 'productNamesDiffer', params });
      continue;
    }
    const [name] = names;
    if (differs(name, rows[0].sku.productName)) renames.push({ id: productId, name });
    accepted.push(...rows);
  }
  return { renames, accepted };
}

/**
 * A cell differs from the stored value when it gives one and it is not what the sheet reader makes of
 * the stored text (it trims and NFKC-folds cells: a spec stored as "红色／M" is exported as such and
 * read back as "红色/M", which is no edit).
 */
function differs<T extends string | number>(given: T | null, stored: T | null): boolean {
  if (given === null) return false;
  return typeof stored === 'string' ? given !== normalizeCellText(stored) : given !== stored;
}

function skuChange(input: CatalogSheetInput, sku: ExistingSku): SkuChange | null {
  const change = {
    rowNumber: input.rowNumber,
    id: sku.id,
    name: differs(input.skuName, sku.name) ? input.skuName : null,
    spec: differs(input.spec, sku.spec) ? input.spec : null,
    barcode: differs(input.barcode, sku.barcode) ? input.barcode : null,
    weightGrams: differs(input.weightGrams, sku.weightGrams) ? input.weightGrams : null,
  };
  return change.name !== null || change.spec !== null || change.barcode !== null || change.weightGrams !== null ? change : null;
}

/**
 * What an upload of the products sheet changes, given the uploader's SKUs named by the sheet's
 * codes and its products named like the new SKUs' products. Upsert by SKU code: a known code
 * updates its SKU (and renames its product when all its rows agree on a new name); a new code
 * becomes a SKU of the product of that name (after this upload's renames), created if there is none.
 */
export function planCatalogImport(inputs: CatalogSheetInput[], skusByCode: Map<string, ExistingSku>, productsNamed: ExistingProduct[]): CatalogImportPlan {
  const rejected: PlannedRejection[] = [];
  const known = inputs.flatMap((input) => (skusByCode.has(input.skuCode) ? [{ input, sku: skusByCode.get(input.skuCode)! }] : []));
  const { renames, accepted } = planRenames(known, rejected);
  const renamedAway = new Set(renames.map((rename) => rename.id));
  const candidates = (name: string) => [
    ...new Set([...productsNamed.filter((product) => product.name === name && !renamedAway.has(product.id)), ...renames.filter((rename) => rename.name === name)].map((product) => product.id)),
  ];

  const newSkus: NewSku[] = [];
  for (const input of inputs.filter((row) => !skusByCode.has(row.skuCode))) {
    const ids = candidates(input.productName);
    if (ids.length > 1) {
      rejected.push({ rowNumber: input.rowNumber, reason: 'productAmbiguous', params: { name: input.productName, count: ids.length } });
      continue;
    }
    newSkus.push({
      rowNumber: input.rowNumber,
      productId: ids[0] ?? null,
      productName: input.productName,
      code: input.skuCode,
      name: input.skuName ?? input.productName,
      spec: input.spec,
      barcode: input.barcode,
      weightGrams: input.weightGrams,
    });
  }

  const renamedRows = new Set(accepted.filter((row) => renamedAway.has(row.sku.productId)).map((row) => row.input.rowNumber));
  const skuChanges = accepted.flatMap(({ input, sku }) => skuChange(input, sku) ?? []);
  const changedRows = new Set([...renamedRows, ...skuChanges.map((change) => change.rowNumber), ...newSkus.map((sku) => sku.rowNumber)]);
  const rejectedRows = new Set(rejected.map((rejection) => rejection.rowNumber));
  return {
    rejected,
    productRenames: renames,
    newProducts: [...new Set(newSkus.filter((sku) => sku.productId === null).map((sku) => sku.productName))],
    newSkus,
    skuChanges,
    appliedRows: inputs.filter((input) => changedRows.has(input.rowNumber)).map((input) => input.rowNumber),
    unchangedRows: inputs.filter((input) => !changedRows.has(input.rowNumber) && !rejectedRows.has(input.rowNumber)).map((input) => input.rowNumber),
  };
}
