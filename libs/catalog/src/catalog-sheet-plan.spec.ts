import fc from 'fast-check';
import { CatalogImportPlan, ExistingProduct, ExistingSku, planCatalogImport } from './catalog-sheet-plan';
import { CatalogSheetInput } from './catalog-sheet-rows';

const input = (rowNumber: number, productName: string, skuCode: string, fields: Partial<CatalogSheetInput> = {}): CatalogSheetInput => ({
  rowNumber,
  productName,
  skuCode,
  skuName: null,
  spec: null,
  barcode: null,
  weightGrams: null,
  ...fields,
});

/** The merchant's catalog in memory, as the handler's writes would leave it. */
interface Catalog {
  products: ExistingProduct[];
  skus: ExistingSku[];
}

const stateFor = (catalog: Catalog, inputs: CatalogSheetInput[]) => {
  const skusByCode = new Map(catalog.skus.filter((sku) => inputs.some((row) => row.skuCode === sku.code)).map((sku) => [sku.code, sku]));
  const names = new Set(inputs.filter((row) => !skusByCode.has(row.skuCode)).map((row) => row.productName));
  return { skusByCode, productsNamed: catalog.products.filter((product) => names.has(product.name)) };
};

function applyPlan(catalog: Catalog, plan: CatalogImportPlan): Catalog {
  let nextId = 1000 + catalog.products.length + catalog.skus.length;
  const products = catalog.products.map((product) => ({ ...product, name: plan.productRenames.find((rename) => rename.id === product.id)?.name ?? product.name }));
  const created = new Map(plan.newProducts.map((name) => [name, String(nextId++)]));
  products.push(...[...created].map(([name, id]) => ({ id, name })));
  const nameOf = (productId: string) => products.find((product) => product.id === productId)!.name;
  const skus = catalog.skus.map((sku) => {
    const change = plan.skuChanges.find((item) => item.id === sku.id);
    return change ? { ...sku, name: change.name ?? sku.name, spec: change.spec ?? sku.spec, barcode: change.barcode ?? sku.barcode, weightGrams: change.weightGrams ?? sku.weightGrams } : { ...sku };
  });
  for (const sku of plan.newSkus) {
    const productId = sku.productId ?? created.get(sku.productName)!;
    skus.push({ id: String(nextId++), code: sku.code, name: sku.name, spec: sku.spec, barcode: sku.barcode, weightGrams: sku.weightGrams, productId, productName: '' });
  }
  return { products, skus: skus.map((sku) => ({ ...sku, productName: nameOf(sku.productId) })) };
}

const plan = (catalog: Catalog, inputs: CatalogSheetInput[]) => {
  const { skusByCode, productsNamed } = stateFor(catalog, inputs);
  return planCatalogImport(inputs, skusByCode, productsNamed);
};

const tee: Catalog = {
  products: [{ id: '1', name: '纯棉T恤' }],
  skus: [
    { id: '11', code: 'TEE-M', name: 'T恤 M', spec: '白色 / M', barcode: '6901', weightGrams: 250, productId: '1', productName: '纯棉T恤' },
    { id: '12', code: 'TEE-L', name: 'T恤 L', spec: null, barcode: null, weightGrams: null, productId: '1', productName: '纯棉T恤' },
  ],
};

describe('planCatalogImport (upsert by SKU code)', () => {
  it('adds a new code to the product of that name, and creates a product once for several new SKUs', () => {
    const result = plan(tee, [input(2, '纯棉T恤', 'TEE-XL'), input(3, '马克杯', 'MUG-1', { skuName: '杯 350ml' }), input(4, '马克杯', 'MUG-2')]);
    expect(result.newProducts).toEqual(['马克杯']);
    expect(result.newSkus.map((sku) => [sku.code, sku.productId, sku.name])).toEqual([
      ['TEE-XL', '1', '纯棉T恤'],
      ['MUG-1', null, '杯 350ml'],
      ['MUG-2', null, '马克杯'],
    ]);
    expect(result.appliedRows).toEqual([2, 3, 4]);
  });

  it('changes only what a row gives and what differs; empty cells keep the stored values', () => {
    const result = plan(tee, [input(2, '纯棉T恤', 'TEE-M', { barcode: '6901', weightGrams: 260 }), input(3, '纯棉T恤', 'TEE-L')]);
    expect(result.skuChanges).toEqual([{ rowNumber: 2, id: '11', name: null, spec: null, barcode: null, weightGrams: 260 }]);
    expect(result.appliedRows).toEqual([2]);
    expect(result.unchangedRows).toEqual([3]);
    expect(result.productRenames).toEqual([]);
  });

  it('carries 规格 into a new SKU and changes a stored spec only when the cell gives another one', () => {
    const result = plan(tee, [
      input(2, '纯棉T恤', 'TEE-M', { spec: '白色 / M' }),
      input(3, '纯棉T恤', 'TEE-L', { spec: '白色 / L' }),
      input(4, '纯棉T恤', 'TEE-XL', { spec: '白色 / XL' }),
      input(5, '纯棉T恤', 'TEE-S'),
    ]);
    expect(result.skuChanges).toEqual([{ rowNumber: 3, id: '12', name: null, spec: '白色 / L', barcode: null, weightGrams: null }]);
    expect(result.newSkus.map((sku) => [sku.code, sku.spec])).toEqual([
      ['TEE-XL', '白色 / XL'],
      ['TEE-S', null],
    ]);
    expect(result.appliedRows).toEqual([3, 4, 5]);
    expect(result.unchangedRows).toEqual([2]);
    // Another spec for TEE-M is an edit.
    expect(plan(tee, [input(2, '纯棉T恤', 'TEE-M', { spec: '米白 / M' })]).skuChanges).toEqual([{ rowNumber: 2, id: '11', name: null, spec: '米白 / M', barcode: null, weightGrams: null }]);
  });

  it('takes text the sheet reader folded (full-width ／ read back as /) as what is stored, not as an edit', () => {
    const wide: Catalog = {
      products: [{ id: '1', name: 'T恤（白）' }],
      skus: [{ id: '11', code: 'TEE-M', name: 'T恤：M', spec: '白色／M', barcode: null, weightGrams: null, productId: '1', productName: 'T恤（白）' }],
    };
    const result = plan(wide, [input(2, 'T恤(白)', 'TEE-M', { skuName: 'T恤:M', spec: '白色/M' })]);
    expect(result).toEqual(expect.objectContaining({ skuChanges: [], productRenames: [], appliedRows: [], unchangedRows: [2] }));
  });

  it('renames a product whose rows all give the new name, and a new SKU of that name joins it', () => {
    const result = plan(tee, [input(2, '白T恤', 'TEE-M'), input(3, '白T恤', 'TEE-L'), input(4, '白T恤', 'TEE-XL'), input(5, '纯棉T恤', 'TEE-S')]);
    expect(result.productRenames).toEqual([{ id: '1', name: '白T恤' }]);
    // TEE-S names the old name, which no product has after the rename: a new product.
    expect(result.newSkus.map((sku) => [sku.code, sku.productId])).toEqual([
      ['TEE-XL', '1'],
      ['TEE-S', null],
    ]);
    expect(result.newProducts).toEqual(['纯棉T恤']);
    expect(result.appliedRows).toEqual([2, 3, 4, 5]);
  });

  it('refuses the rows of a product that give it different names, and a new SKU whose product name is ambiguous', () => {
    const twins: Catalog = { products: [...tee.products, { id: '2', name: '马克杯' }, { id: '3', name: '马克杯' }], skus: tee.skus };
    const result = plan(twins, [input(2, '白T恤', 'TEE-M'), input(3, '纯棉T恤', 'TEE-L'), input(4, '马克杯', 'MUG-9'), input(5, '纯棉T恤', 'TEE-XL')]);
    expect(result.rejected).toEqual([
      { rowNumber: 2, reason: 'productNamesDiffer', params: { current: '纯棉T恤', rows: [2, 3] } },
      { rowNumber: 3, reason: 'productNamesDiffer', params: { current: '纯棉T恤', rows: [2, 3] } },
      { rowNumber: 4, reason: 'productAmbiguous', params: { name: '马克杯', count: 2 } },
    ]);
    expect(result.productRenames).toEqual([]);
    expect(result.newSkus.map((sku) => [sku.code, sku.productId])).toEqual([['TEE-XL', '1']]);
  });

  it('finds nothing to change when what it wrote is uploaded again (any sheet, any catalog)', () => {
    const names = fc.constantFrom('纯棉T恤', '白T恤', '马克杯', '卫衣');
    const codes = fc.constantFrom('TEE-M', 'TEE-L', 'TEE-XL', 'MUG-1', 'MUG-2', 'HOOD-1');
    const row = fc.record({
      productName: names,
      skuName: fc.option(fc.constantFrom('T恤 M', '杯', '黑'), { nil: null }),
      spec: fc.option(fc.constantFrom('白色 / M', '黑色 / L', '350ml'), { nil: null }),
      barcode: fc.option(fc.constantFrom('6901', '6902'), { nil: null }),
      weightGrams: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    });
    const sheet = fc.uniqueArray(fc.tuple(codes, row), { selector: ([code]) => code, maxLength: 6 });
    const catalogs = fc.constantFrom<Catalog>(tee, { products: [...tee.products, { id: '2', name: '马克杯' }], skus: tee.skus }, { products: [], skus: [] });
    fc.assert(
      fc.property(catalogs, sheet, (catalog, rows) => {
        const inputs = rows.map(([code, fields], index) => input(index + 2, fields.productName, code, fields));
        const first = plan(catalog, inputs);
        const again = plan(applyPlan(catalog, first), inputs);
        expect(again.appliedRows).toEqual([]);
        expect(again.productRenames).toEqual([]);
        expect(new Set([...again.unchangedRows, ...again.rejected.map((item) => item.rowNumber)])).toEqual(new Set(inputs.map((item) => item.rowNumber)));
      }),
    );
  });
});
