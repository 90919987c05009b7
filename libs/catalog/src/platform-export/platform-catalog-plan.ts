import { CatalogPlatform, PlatformVariant } from './platform-export';

/** A SKU of the importer that a variant names by its code, with its product. */
export interface StoredPlatformSku {
  id: string;
  code: string;
  name: string;
  spec: string | null;
  specs: Record<string, string>;
  barcode: string | null;
  weightGrams: number | null;
  platform: string | null;
  platformProductId: string | null;
  platformVariantId: string | null;
  listPriceAmount: number | null;
  listPriceCurrency: string | null;
  productId: string;
  productName: string;
  productDescription: string | null;
}

/** Every field of a SKU the import sets (barcode and weight only when the platform gave one). */
export interface PlannedSku {
  code: string;
  name: string;
  spec: string | null;
  specs: Record<string, string>;
  barcode: string | null;
  weightGrams: number | null;
  platformProductId: string;
  platformVariantId: string | null;
  listPriceAmount: number;
}

export type PlatformImportOutcome = 'created' | 'updated' | 'unchanged';

export interface PlatformCatalogPlan {
  /** Products to create, one per platform product none of whose variants the importer has yet. */
  newProducts: { platformProductId: string; name: string; description: string | null }[];
  productUpdates: { id: string; name: string; description: string | null }[];
  /** New SKUs, each in an existing product (productId) or the new one of its platform product. */
  newSkus: (PlannedSku & { productId: string | null })[];
  skuUpdates: (PlannedSku & { id: string })[];
  /** Per variant (by SKU code): what the import does to it. */
  outcomes: Map<string, PlatformImportOutcome>;
}

const sameSpecs = (a: Record<string, string>, b: Record<string, string>) => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
};

function planned(variant: PlatformVariant): PlannedSku {
  return {
    code: variant.skuCode,
    name: variant.skuName,
    spec: variant.spec,
    specs: variant.specs,
    barcode: variant.barcode,
    weightGrams: variant.weightGrams,
    platformProductId: variant.platformProductId,
    platformVariantId: variant.platformVariantId,
    listPriceAmount: variant.priceAmount!,
  };
}

function skuDiffers(sku: PlannedSku, stored: StoredPlatformSku, platform: CatalogPlatform, currency: string): boolean {
  return (
    sku.name !== stored.name ||
    sku.spec !== stored.spec ||
    !sameSpecs(sku.specs, stored.specs ?? {}) ||
    (sku.barcode !== null && sku.barcode !== stored.barcode) ||
    (sku.weightGrams !== null && sku.weightGrams !== stored.weightGrams) ||
    stored.platform !== platform ||
    sku.platformProductId !== stored.platformProductId ||
    sku.platformVariantId !== stored.platformVariantId ||
    sku.listPriceAmount !== stored.listPriceAmount ||
    currency !== stored.listPriceCurrency
  );
}

/**
 * What importing these (checked, code-unique) variants changes, as a pure function of what is stored:
 * a variant whose code the importer has updates that SKU; a new code joins the product of the same
 * platform product's known SKUs, or a new product for it. A product is renamed (or its description
 * changed) only when its platform product's known SKUs all sit in it. Nothing that is equal changes.
 */
export function planPlatformCatalogImport(variants: PlatformVariant[], stored: Map<string, StoredPlatformSku>, platform: CatalogPlatform, currency: string): PlatformCatalogPlan {
  const plan: PlatformCatalogPlan = { newProducts: [], productUpdates: [], newSkus: [], skuUpdates: [], outcomes: new Map() };
  const groups = new Map<string, PlatformVariant[]>();
  for (const variant of variants) groups.set(variant.platformProductId, [...(groups.get(variant.platformProductId) ?? []), variant]);
  for (const [platformProductId, group] of groups) {
    const known = group.flatMap((variant) => stored.get(variant.skuCode) ?? []);
    const productIds = new Set(known.map((sku) => sku.productId));
    const { productTitle: name, description } = group[0];
    const target = known[0]?.productId ?? null;
    let productChanged = false;
    if (target === null) plan.newProducts.push({ platformProductId, name, description });
    else if (productIds.size === 1 && (known[0].productName !== name || (description !== null && description !== known[0].productDescription))) {
      plan.productUpdates.push({ id: target, name, description: description ?? known[0].productDescription });
      productChanged = true;
    }
    for (const variant of group) {
      const sku = planned(variant);
      const existing = stored.get(variant.skuCode);
      if (!existing) {
        plan.newSkus.push({ ...sku, productId: target });
        plan.outcomes.set(variant.skuCode, 'created');
      } else if (skuDiffers(sku, existing, platform, currency)) {
        plan.skuUpdates.push({ ...sku, id: existing.id });
        plan.outcomes.set(variant.skuCode, 'updated');
      } else plan.outcomes.set(variant.skuCode, productChanged && existing.productId === target ? 'updated' : 'unchanged');
    }
  }
  return plan;
}
