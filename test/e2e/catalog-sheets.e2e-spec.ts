import { MikroORM, RequestContext } from '@mikro-orm/core';
import ExcelJS from 'exceljs';
import { createHash } from 'node:crypto';
import { ActorContext, readSheetRows, ROLE_PERMISSIONS, SheetImportHandler, SheetImportMode, SheetImportOutcome, SheetLanguageCode } from '@gongxiao/core';
import { CatalogImportHandler, CatalogService } from '@gongxiao/catalog';
import { StockImportHandler } from '@gongxiao/inventory';
import { expectStatus, SignedUpMerchant, signUp, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';

interface Sku {
  id: string;
  code: string;
  name: string;
  spec: string | null;
  barcode: string | null;
  weightGrams: number | null;
}
interface Product {
  id: string;
  name: string;
  skus: Sku[];
}
interface Level {
  warehouseId: string;
  skuId: string;
  onHand: number;
  reserved: number;
  safetyStock: number;
  available: number;
}

const PRODUCT_HEADERS = ['商品名称', '商品编码', 'SKU名称', '规格', '条码', '重量(克)'];
const STOCK_EXPORT_HEADERS = ['仓库编码', '仓库名称', '商品编码', 'SKU名称', '现有库存', '已预留', '可售'];

/** A header row and data rows as a workbook, the way a supplier would type one. */
function sheetOf(headers: string[], rows: (string | number | null)[][]): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Sheet1');
  sheet.addRow(headers);
  for (const row of rows) sheet.addRow(row);
  return workbook;
}

const bufferOf = async (workbook: ExcelJS.Workbook) => Buffer.from(await workbook.xlsx.writeBuffer());
const headerOf = (sheet: ExcelJS.Worksheet) => (sheet.getRow(1).values as unknown[]).slice(1);
/** The data rows' cells as values, an empty cell as ''. */
const cellsOf = (sheet: ExcelJS.Worksheet) => {
  const width = headerOf(sheet).length;
  const rows: unknown[][] = [];
  sheet.eachRow((row, number) => number > 1 && rows.push(Array.from({ length: width }, (_, index) => row.getCell(index + 1).value ?? '')));
  return rows;
};

/**
 * Suppliers keep products and stock in Excel: they export what Gongxiao holds, edit it and upload
 * it again. Every row is checked first and refused rows come back with reasons in the uploader's
 * language; the same sheet uploaded twice changes nothing (no new stock movements); another
 * merchant's warehouse is as unknown as one that does not exist.
 */
describe('products and stock levels by Excel, both ways', () => {
  const { api, database } = useStage();
  let factory: SignedUpMerchant;
  let outsider: SignedUpMerchant;
  const warehouses = { yiwu: '', guangzhou: '' };
  const query = async <Row = any>(sql: string, params: unknown[] = []): Promise<Row[]> => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];

  let uploads = 0;
  const owner = (merchant: SignedUpMerchant) => new ActorContext(merchant.merchantId, new Set(ROLE_PERMISSIONS.owner), null, 'owner');

  /** What the imports worker does with an upload: read the sheet with the handler's spec, then apply. */
  async function upload<K extends string>(
    handler: SheetImportHandler<K>,
    file: Buffer,
    options: { mode?: SheetImportMode; language?: SheetLanguageCode; merchant?: SignedUpMerchant } = {},
  ): Promise<SheetImportOutcome> {
    const { rows } = await readSheetRows(file, handler.spec);
    const context = {
      actor: owner(options.merchant ?? factory),
      // Every upload has its own id; only the file's digest repeats when the same file comes again.
      importId: String(++uploads),
      fileDigest: createHash('sha256').update(file).digest('hex'),
      mode: options.mode ?? 'all_or_nothing',
      language: options.language ?? 'zh-CN',
      fields: {},
      progress: async () => undefined,
    };
    return RequestContext.create(api.app.get(MikroORM).em, () => handler.apply(context, rows));
  }
  const products = () => api.app.get(CatalogImportHandler);
  const stock = () => api.app.get(StockImportHandler);

  async function download(path: string, token = factory.token): Promise<ExcelJS.Workbook> {
    const response = await api.app.inject({ method: 'GET', url: path, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    return workbook;
  }

  async function catalog(merchant = factory): Promise<Product[]> {
    const response = await api.get('/v1/products?limit=200', merchant.token);
    expectStatus(response, 200);
    return (response.body.data as Product[]).map((product) => ({
      id: product.id,
      name: product.name,
      skus: product.skus.map(({ id, code, name, spec, barcode, weightGrams }) => ({ id, code, name, spec, barcode, weightGrams })),
    }));
  }
  const skuByCode = async (code: string) => (await catalog()).flatMap((product) => product.skus).find((sku) => sku.code === code);

  async function levels(): Promise<Level[]> {
    const response = await api.get('/v1/stock-levels?limit=200', factory.token);
    expectStatus(response, 200);
    return (response.body.data as Level[]).map(({ warehouseId, skuId, onHand, reserved, safetyStock, available }) => ({ warehouseId, skuId, onHand, reserved, safetyStock, available }));
  }
  const movements = async () => (await query<{ count: number }>(`select count(*)::int as count from stock_movement`))[0].count;

  beforeAll(async () => {
    factory = await signUp(api, '义乌好物工厂', '陈厂长', 'factory@sheets.test');
    outsider = await signUp(api, '别家工厂', '李老板', 'outsider@sheets.test');
    for (const [key, code, name] of [
      ['yiwu', 'ZJ-YIWU', '义乌仓'],
      ['guangzhou', 'GD-GZ', '广州仓'],
    ] as const) {
      const created = await api.post('/v1/warehouses', { code, name, province: '浙江省' }, factory.token);
      expectStatus(created, 201);
      warehouses[key] = created.body.id;
    }
    expectStatus(await api.post('/v1/warehouses', { code: 'OUT-WH', name: '别家仓', province: '广东省' }, outsider.token), 201);
    const tee = await api.post(
      '/v1/products',
      {
        name: '纯棉T恤',
        skus: [
          { code: 'TEE-W-M', name: '纯棉T恤 白 M', spec: '白色 / M', barcode: '6901234567892', weightGrams: 250 },
          { code: 'TEE-W-L', name: '纯棉T恤 白 L' },
        ],
      },
      factory.token,
    );
    expectStatus(tee, 201);
    expectStatus(await api.post('/v1/products', { name: '别家商品', skus: [{ code: 'OUT-1', name: '别家 SKU' }] }, outsider.token), 201);
  });

  describe('products sheet (商品资料)', () => {
    it('exports every SKU in exactly the upload’s columns, Chinese headers above a frozen row, codes as text', async () => {
      const sheet = (await download('/v1/products/export.xlsx')).worksheets[0];
      expect(sheet.name).toBe('商品资料');
      expect(headerOf(sheet)).toEqual(PRODUCT_HEADERS);
      expect(products().templateHeaders['zh-CN']).toEqual(PRODUCT_HEADERS);
      expect(sheet.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
      expect(cellsOf(sheet)).toEqual([
        ['纯棉T恤', 'TEE-W-M', '纯棉T恤 白 M', '白色 / M', '6901234567892', 250],
        ['纯棉T恤', 'TEE-W-L', '纯棉T恤 白 L', '', '', ''],
      ]);
      expect(sheet.getCell('B2').numFmt).toBe('@');
      expect(sheet.getCell('D2').numFmt).toBe('@');
      expect(sheet.getCell('E2').numFmt).toBe('@');
      const english = (await download('/v1/products/export.xlsx?language=en')).worksheets[0];
      expect(english.name).toBe('Products');
      expect(headerOf(english)).toEqual(['Product name', 'SKU code', 'SKU name', 'Spec', 'Barcode', 'Weight (g)']);
      // Another merchant's export holds its own products only.
      expect(cellsOf((await download('/v1/products/export.xlsx', outsider.token)).worksheets[0])).toEqual([['别家商品', 'OUT-1', '别家 SKU', '', '', '']]);
    });

    it('takes the exported sheet back edited: a renamed SKU, a 规格 given, a new SKU of the product, a new product', async () => {
      const workbook = await download('/v1/products/export.xlsx');
      const sheet = workbook.worksheets[0];
      sheet.getCell('C2').value = '纯棉T恤 白色 M码';
      sheet.getCell('D3').value = '白色 / L';
      sheet.addRow(['纯棉T恤', 'TEE-W-XL', '', '白色 / XL', '', 280]);
      sheet.addRow(['陶瓷马克杯', 'MUG-01', '马克杯 350ml', '', '00012345', null]);
      const before = await catalog();

      const outcome = await upload(products(), await bufferOf(workbook));

      expect(outcome).toEqual({ applied: 4, unchanged: 0, rejected: [] });
      const after = await catalog();
      const tee = after.find((product) => product.name === '纯棉T恤')!;
      expect(tee.id).toBe(before[0].id);
      expect(tee.skus.map((sku) => [sku.code, sku.name, sku.spec, sku.barcode, sku.weightGrams])).toEqual([
        // An unedited 规格 stays as it was.
        ['TEE-W-M', '纯棉T恤 白色 M码', '白色 / M', '6901234567892', 250],
        ['TEE-W-L', '纯棉T恤 白 L', '白色 / L', null, null],
        // A SKU name left empty is the product's name.
        ['TEE-W-XL', '纯棉T恤', '白色 / XL', null, 280],
      ]);
      expect(after.find((product) => product.name === '陶瓷马克杯')!.skus).toEqual([expect.objectContaining({ code: 'MUG-01', name: '马克杯 350ml', spec: null, barcode: '00012345' })]);
      // The order sheet's 规格 (SkuLabel) is the SKU's spec.
      expect((await api.app.get(CatalogService).skuLabelsById([tee.skus[1].id])).get(tee.skus[1].id)).toEqual(expect.objectContaining({ code: 'TEE-W-L', spec: '白色 / L' }));
      // The outsider's catalog is its own.
      expect((await catalog(outsider)).map((product) => product.name)).toEqual(['别家商品']);
    });

    it('finds nothing to change when the same sheet (or a fresh export) is uploaded again', async () => {
      // A 规格 typed with full-width punctuation in the console: the sheet reader folds it ("／" → "/"), which is no edit.
      const mug = (await skuByCode('MUG-01'))!;
      expectStatus(await api.patch(`/v1/skus/${mug.id}`, { spec: '350ml／白色' }, factory.token), 200);
      const exported = await download('/v1/products/export.xlsx');
      expect(cellsOf(exported.worksheets[0]).map((cells) => [cells[1], cells[3]])).toEqual([
        ['TEE-W-M', '白色 / M'],
        ['TEE-W-L', '白色 / L'],
        ['TEE-W-XL', '白色 / XL'],
        ['MUG-01', '350ml／白色'],
      ]);
      const file = await bufferOf(exported);
      const before = await query(`select * from product p join sku s on s.product_id = p.id order by s.id`);
      expect(await upload(products(), file)).toEqual({ applied: 0, unchanged: 4, rejected: [] });
      expect(await upload(products(), file, { mode: 'valid_rows' })).toEqual({ applied: 0, unchanged: 4, rejected: [] });
      expect(await query(`select * from product p join sku s on s.product_id = p.id order by s.id`)).toEqual(before);
    });

    it('keeps text that looks like a formula safe in the export and as stored when it comes back', async () => {
      expectStatus(await api.post('/v1/products', { name: '-50% 特价袜', skus: [{ code: 'SOCK-1', name: '=HYPERLINK("x")' }] }, factory.token), 201);
      const workbook = await download('/v1/products/export.xlsx');
      const row = cellsOf(workbook.worksheets[0]).find((cells) => cells[1] === 'SOCK-1')!;
      expect(row.slice(0, 3)).toEqual(['-50% 特价袜', 'SOCK-1', '=HYPERLINK("x")']);
      expect(await upload(products(), await bufferOf(workbook))).toEqual({ applied: 0, unchanged: 5, rejected: [] });
      expect((await catalog()).find((product) => product.name === '-50% 特价袜')!.skus).toEqual([expect.objectContaining({ code: 'SOCK-1', name: '=HYPERLINK("x")' })]);
    });

    it('renames a product when all its rows agree on the new name, and refuses rows that disagree', async () => {
      const agree = sheetOf(PRODUCT_HEADERS, [
        ['陶瓷杯', 'MUG-01', '', '', '', null],
        ['陶瓷杯', 'MUG-02', '马克杯 500ml', '', '', null],
      ]);
      expect(await upload(products(), await bufferOf(agree))).toEqual({ applied: 2, unchanged: 0, rejected: [] });
      const mugs = (await catalog()).filter((product) => product.name.includes('杯'));
      expect(mugs.map((product) => [product.name, product.skus.map((sku) => sku.code)])).toEqual([['陶瓷杯', ['MUG-01', 'MUG-02']]]);

      const disagree = sheetOf(PRODUCT_HEADERS, [
        ['白T恤', 'TEE-W-M', '', '', '', null],
        ['纯棉T恤', 'TEE-W-L', '', '', '', null],
      ]);
      const outcome = await upload(products(), await bufferOf(disagree), { mode: 'valid_rows' });
      expect(outcome.applied).toBe(0);
      expect(outcome.rejected.map((row) => [row.rowNumber, row.reason])).toEqual([
        [2, expect.stringContaining('商品名称不一致')],
        [3, expect.stringContaining('商品名称不一致')],
      ]);
      expect((await catalog()).find((product) => product.skus.some((sku) => sku.code === 'TEE-W-M'))!.name).toBe('纯棉T恤');
    });

    const badRows: (string | number | null)[][] = [
      ['新品卫衣', 'HOODIE-1', '卫衣 黑 M', '黑色 / M', '', 600],
      ['新品卫衣', 'HOODIE 2', '', '', '', null],
      ['', 'HOODIE-3', '', '', '', null],
      ['新品卫衣', 'HOODIE-4', '', '', 'ab', null],
      ['新品卫衣', 'HOODIE-5', '', '', '', '1.5'],
      ['新品卫衣', 'HOODIE-6', 'x'.repeat(201), '', '', null],
      ['新品卫衣', 'HOODIE-7', '', '', '', null],
      ['新品卫衣', 'HOODIE-7', '', '', '', null],
      ['新品卫衣', 'HOODIE-8', '', '黑'.repeat(201), '', null],
    ];

    it('refuses every bad row with its reason and, all or nothing, creates nothing', async () => {
      const before = await catalog();
      const outcome = await upload(products(), await bufferOf(sheetOf(PRODUCT_HEADERS, badRows)));
      expect(outcome.applied).toBe(0);
      expect(outcome.unchanged).toBe(0);
      expect(outcome.rejected.map((row) => [row.rowNumber, row.reason])).toEqual([
        [3, expect.stringContaining('商品编码须为 1–64 位字母、数字')],
        [4, '商品名称必填'],
        [5, '条码须为 4–32 位字母、数字或 -'],
        [6, '重量(克)须为 0 到 1000000 之间的整数'],
        [7, 'SKU名称最长 200 个字符'],
        [8, expect.stringContaining('商品编码 HOODIE-7 在本表第 8、9 行重复出现')],
        [9, expect.stringContaining('商品编码 HOODIE-7 在本表第 8、9 行重复出现')],
        [10, '规格最长 200 个字符'],
      ]);
      // The refused rows' cells come back in the template's column order.
      expect(outcome.rejected[2].cells).toEqual(['新品卫衣', 'HOODIE-4', '', '', 'ab', '']);
      expect(await catalog()).toEqual(before);
    });

    it('applies the valid rows when asked to, with the reasons in English', async () => {
      const outcome = await upload(products(), await bufferOf(sheetOf(PRODUCT_HEADERS, badRows)), { mode: 'valid_rows', language: 'en' });
      expect(outcome.applied).toBe(1);
      expect(outcome.rejected.map((row) => row.reason)).toEqual([
        'SKU code must be 1-64 letters, digits or . _ - / and start with a letter or digit',
        'Product name is required',
        'Barcode must be 4-32 letters, digits or -',
        'Weight (g) must be a whole number from 0 to 1000000',
        'SKU name must be at most 200 characters',
        'SKU code HOODIE-7 appears more than once in this sheet (rows 8, 9); keep one row',
        'SKU code HOODIE-7 appears more than once in this sheet (rows 8, 9); keep one row',
        'Spec must be at most 200 characters',
      ]);
      const hoodie = (await catalog()).find((product) => product.name === '新品卫衣')!;
      expect(hoodie.skus).toEqual([expect.objectContaining({ code: 'HOODIE-1', name: '卫衣 黑 M', spec: '黑色 / M', weightGrams: 600 })]);
    });
  });

  describe('stock sheet (库存)', () => {
    let tee: { m: string; l: string; xl: string };

    beforeAll(async () => {
      tee = { m: (await skuByCode('TEE-W-M'))!.id, l: (await skuByCode('TEE-W-L'))!.id, xl: (await skuByCode('TEE-W-XL'))!.id };
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: warehouses.yiwu, skuId: tee.m, onHand: 40, safetyStock: 5 }, factory.token), 200);
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: warehouses.yiwu, skuId: tee.l, onHand: 12 }, factory.token), 200);
    });

    /** Every SKU of the factory by then, in the order they were created. */
    const CODES = ['TEE-W-M', 'TEE-W-L', 'TEE-W-XL', 'MUG-01', 'SOCK-1', 'MUG-02', 'HOODIE-1'];
    const nameOf = async (code: string) => (await skuByCode(code))!.name;
    /** The levels that hold stock (a row uploaded at 0 keeps a level at 0). */
    const stocked = async () => (await levels()).filter((level) => level.onHand > 0);
    const rowOf = (sheet: ExcelJS.Worksheet, warehouseCode: string, skuCode: string) => {
      let found = 0;
      sheet.eachRow((row, number) => {
        if (row.getCell(1).value === warehouseCode && row.getCell(3).value === skuCode) found = number;
      });
      expect(found).toBeGreaterThan(1);
      return sheet.getRow(found);
    };

    it('exports a row for every SKU in every warehouse: the template to fill, 0 where no level is kept yet', async () => {
      const sheet = (await download('/v1/stock-levels/export.xlsx')).worksheets[0];
      expect(sheet.name).toBe('库存');
      expect(headerOf(sheet)).toEqual(STOCK_EXPORT_HEADERS);
      expect(sheet.views[0]).toEqual(expect.objectContaining({ state: 'frozen', ySplit: 1 }));
      const names = await Promise.all(CODES.map(nameOf));
      const zeros = (warehouseCode: string, warehouseName: string, from: number) => CODES.slice(from).map((code, index) => [warehouseCode, warehouseName, code, names[from + index], 0, 0, 0]);
      expect(cellsOf(sheet)).toEqual([
        ['ZJ-YIWU', '义乌仓', 'TEE-W-M', '纯棉T恤 白色 M码', 40, 0, 35],
        ['ZJ-YIWU', '义乌仓', 'TEE-W-L', '纯棉T恤 白 L', 12, 0, 12],
        ...zeros('ZJ-YIWU', '义乌仓', 2),
        ...zeros('GD-GZ', '广州仓', 0),
      ]);
      expect(sheet.getCell('A2').numFmt).toBe('@');
      expect(sheet.getCell('C4').numFmt).toBe('@');
      const english = (await download(`/v1/stock-levels/export.xlsx?language=en&warehouseId=${warehouses.guangzhou}`)).worksheets[0];
      expect(headerOf(english)).toEqual(['Warehouse code', 'Warehouse name', 'SKU code', 'SKU name', 'On hand', 'Reserved', 'Available']);
      expect(cellsOf(english)).toEqual(zeros('GD-GZ', '广州仓', 0));
      // Another merchant's sheet holds its own warehouse and SKU only, and filtering by this merchant's warehouse is a 404.
      expect(cellsOf((await download('/v1/stock-levels/export.xlsx', outsider.token)).worksheets[0])).toEqual([['OUT-WH', '别家仓', 'OUT-1', '别家 SKU', 0, 0, 0]]);
      const foreign = await api.get(`/v1/stock-levels/export.xlsx?warehouseId=${warehouses.yiwu}`, outsider.token);
      expectStatus(foreign, 404);
    });

    let edited: Buffer;

    it('takes the exported sheet back filled in, as stock counts: a row without a level creates it', async () => {
      const workbook = await download('/v1/stock-levels/export.xlsx');
      const sheet = workbook.worksheets[0];
      rowOf(sheet, 'ZJ-YIWU', 'TEE-W-M').getCell(5).value = 38;
      rowOf(sheet, 'GD-GZ', 'TEE-W-XL').getCell(5).value = 7;
      edited = await bufferOf(workbook);
      const movedBefore = await movements();

      expect(await upload(stock(), edited)).toEqual({ applied: 2, unchanged: 12, rejected: [] });

      expect(await stocked()).toEqual([
        { warehouseId: warehouses.yiwu, skuId: tee.m, onHand: 38, reserved: 0, safetyStock: 5, available: 33 },
        { warehouseId: warehouses.yiwu, skuId: tee.l, onHand: 12, reserved: 0, safetyStock: 0, available: 12 },
        { warehouseId: warehouses.guangzhou, skuId: tee.xl, onHand: 7, reserved: 0, safetyStock: 0, available: 7 },
      ]);
      // Every row of the sheet now has its level, the ones left at 0 counted as 0 (no movement).
      expect(await levels()).toHaveLength(CODES.length * 2);
      expect(await movements()).toBe(movedBefore + 2);
      const moved = await query(`select sku_id::text, on_hand_delta, reason from stock_movement order by id desc limit 2`);
      expect(moved).toEqual(
        expect.arrayContaining([
          { sku_id: tee.m, on_hand_delta: -2, reason: 'stock_count' },
          { sku_id: tee.xl, on_hand_delta: 7, reason: 'stock_count' },
        ]),
      );
      // The next export shows the new level where the 0 was.
      expect(rowOf((await download('/v1/stock-levels/export.xlsx')).worksheets[0], 'GD-GZ', 'TEE-W-XL').values).toEqual([undefined, 'GD-GZ', '广州仓', 'TEE-W-XL', await nameOf('TEE-W-XL'), 7, 0, 7]);
    });

    it('changes nothing when the same file is uploaded again, even after the stock moved meanwhile', async () => {
      expectStatus(await api.post('/v1/stock-levels/adjustments', { warehouseId: warehouses.yiwu, skuId: tee.m, delta: -3 }, factory.token), 200);
      const before = { levels: await levels(), movements: await movements() };
      expect(await upload(stock(), edited)).toEqual({ applied: 0, unchanged: 14, rejected: [] });
      expect(await upload(stock(), edited, { mode: 'valid_rows' })).toEqual({ applied: 0, unchanged: 14, rejected: [] });
      // A fresh export uploaded as it is says what is stored: nothing to change either.
      expect(await upload(stock(), await bufferOf(await download('/v1/stock-levels/export.xlsx')))).toEqual({ applied: 0, unchanged: 14, rejected: [] });
      expect({ levels: await levels(), movements: await movements() }).toEqual(before);
    });

    it('applies a corrected file: its new value, and the counted value again where the stock moved', async () => {
      const corrected = sheetOf(
        ['仓库编码', '商品编码', '库存'],
        [
          ['ZJ-YIWU', 'TEE-W-M', 38],
          ['GD-GZ', 'TEE-W-XL', 9],
        ],
      );
      expect(await upload(stock(), await bufferOf(corrected))).toEqual({ applied: 2, unchanged: 0, rejected: [] });
      expect((await stocked()).map((level) => level.onHand)).toEqual([38, 12, 9]);
    });

    const badStock: (string | number)[][] = [
      ['ZJ-YIWU', 'TEE-W-L', 20],
      ['OUT-WH', 'TEE-W-L', 1],
      ['上海仓', 'TEE-W-L', 1],
      ['ZJ-YIWU', 'OUT-1', 1],
      ['ZJ-YIWU', 'TEE-W-M', -3],
      ['ZJ-YIWU', 'TEE-W-M', 2.5],
      ['GD-GZ', 'TEE-W-XL', 4],
      ['广州仓', 'TEE-W-XL', 5],
      ['', 'TEE-W-XL', ''],
    ];

    it('refuses unknown (or another merchant’s) warehouses and SKUs, bad quantities and repeated levels; all or nothing applies none', async () => {
      const before = { levels: await levels(), movements: await movements() };
      const outcome = await upload(stock(), await bufferOf(sheetOf(['仓库', '商品编码', '库存'], badStock)));
      expect(outcome).toEqual({ applied: 0, unchanged: 0, rejected: expect.any(Array) });
      expect(outcome.rejected.map((row) => [row.rowNumber, row.reason])).toEqual([
        [3, '没有编码或名称为「OUT-WH」的仓库'],
        [4, '没有编码或名称为「上海仓」的仓库'],
        [5, '没有商品编码为 OUT-1 的 SKU'],
        [6, '库存不能为负数'],
        [7, '库存须为整数'],
        [8, expect.stringContaining('在本表第 8、9 行重复出现')],
        [9, expect.stringContaining('在本表第 8、9 行重复出现')],
        [10, '仓库必填（仓库编码或名称）；库存必填'],
      ]);
      expect(outcome.rejected[4].cells).toEqual(['ZJ-YIWU', 'TEE-W-M', '2.5']);
      expect({ levels: await levels(), movements: await movements() }).toEqual(before);
    });

    it('applies only the valid rows when asked to, with the reasons in English', async () => {
      const outcome = await upload(stock(), await bufferOf(sheetOf(['Warehouse', 'SKU code', 'On hand'], badStock)), { mode: 'valid_rows', language: 'en' });
      expect(outcome.applied).toBe(1);
      expect(outcome.rejected.map((row) => row.reason)).toEqual([
        'You have no warehouse with code or name "OUT-WH"',
        'You have no warehouse with code or name "上海仓"',
        'You have no SKU with code OUT-1',
        'On hand cannot be negative',
        'On hand must be a whole number',
        'Warehouse GD-GZ and SKU code TEE-W-XL appear more than once in this sheet (rows 8, 9); keep one row',
        'Warehouse GD-GZ and SKU code TEE-W-XL appear more than once in this sheet (rows 8, 9); keep one row',
        'Warehouse is required (its code or name); On hand is required',
      ]);
      expect((await stocked()).map((level) => level.onHand)).toEqual([38, 20, 9]);
      // The outsider's warehouse got nothing.
      expect(await query(`select count(*)::int as count from stock_level where merchant_id = $1`, [outsider.merchantId])).toEqual([{ count: 0 }]);
    });

    it('shows an inactive warehouse only with the levels it still holds, and a new SKU in every active one', async () => {
      const closed = await api.post('/v1/warehouses', { code: 'SH-OLD', name: '上海旧仓', province: '上海市' }, factory.token);
      expectStatus(closed, 201);
      expectStatus(await api.put('/v1/stock-levels', { warehouseId: closed.body.id, skuId: tee.l, onHand: 3 }, factory.token), 200);
      expectStatus(await api.patch(`/v1/warehouses/${closed.body.id}`, { status: 'inactive' }, factory.token), 200);
      const product = (await catalog()).find((item) => item.name === '纯棉T恤')!;
      expectStatus(await api.post(`/v1/products/${product.id}/skus`, { code: 'TEE-W-S', name: '纯棉T恤 白 S' }, factory.token), 201);

      const rows = cellsOf((await download('/v1/stock-levels/export.xlsx')).worksheets[0]);
      expect(rows.filter((cells) => cells[0] === 'SH-OLD')).toEqual([['SH-OLD', '上海旧仓', 'TEE-W-L', '纯棉T恤 白 L', 3, 0, 3]]);
      expect(rows.filter((cells) => cells[2] === 'TEE-W-S')).toEqual([
        ['ZJ-YIWU', '义乌仓', 'TEE-W-S', '纯棉T恤 白 S', 0, 0, 0],
        ['GD-GZ', '广州仓', 'TEE-W-S', '纯棉T恤 白 S', 0, 0, 0],
      ]);
      expect(rows).toHaveLength((CODES.length + 1) * 2 + 1);
      // Asked for by id, the inactive warehouse shows the same.
      expect(cellsOf((await download(`/v1/stock-levels/export.xlsx?warehouseId=${closed.body.id}`)).worksheets[0])).toEqual([['SH-OLD', '上海旧仓', 'TEE-W-L', '纯棉T恤 白 L', 3, 0, 3]]);
    });
  });
  describe('a full sheet', () => {
    it('imports 5,000 SKUs and then 5,000 stock rows set-based, in seconds, and the same stock file again moves nothing', async () => {
      const big = await signUp(api, '大仓工厂', '王经理', 'big@sheets.test');
      expectStatus(await api.post('/v1/warehouses', { code: 'BIG-1', name: '总仓', province: '浙江省' }, big.token), 201);
      const codes = Array.from({ length: 5000 }, (_, index) => `BIG-${String(index).padStart(5, '0')}`);
      const productsSheet = sheetOf(
        PRODUCT_HEADERS,
        codes.map((code, index) => [`商品 ${Math.floor(index / 5)}`, code, `SKU ${index}`, '', '', 100 + (index % 7)]),
      );
      let started = Date.now();
      expect(await upload(products(), await bufferOf(productsSheet), { merchant: big })).toEqual({ applied: 5000, unchanged: 0, rejected: [] });
      const productSeconds = (Date.now() - started) / 1000;
      expect(await query(`select count(distinct product_id)::int as products, count(*)::int as skus from sku where merchant_id = $1`, [big.merchantId])).toEqual([{ products: 1000, skus: 5000 }]);

      const stockFile = await bufferOf(
        sheetOf(
          ['仓库', '商品编码', '库存'],
          codes.map((code, index) => ['BIG-1', code, index % 50]),
        ),
      );
      started = Date.now();
      expect(await upload(stock(), stockFile, { merchant: big })).toEqual({ applied: 4900, unchanged: 100, rejected: [] });
      const stockSeconds = (Date.now() - started) / 1000;
      const books = () =>
        query(`select count(*)::int as levels, sum(on_hand)::int as on_hand, (select count(*)::int from stock_movement where merchant_id = $1) as movements from stock_level where merchant_id = $1`, [
          big.merchantId,
        ]);
      const expected = [{ levels: 5000, on_hand: codes.reduce((sum, _, index) => sum + (index % 50), 0), movements: 4900 }];
      expect(await books()).toEqual(expected);
      expect(await upload(stock(), stockFile, { merchant: big })).toEqual({ applied: 0, unchanged: 5000, rejected: [] });
      expect(await books()).toEqual(expected);
      // The export streams every SKU once (in pages of 2,000), and goes back as it is, changing nothing.
      const exported = await download('/v1/stock-levels/export.xlsx', big.token);
      const exportedRows = cellsOf(exported.worksheets[0]).map((cells) => [cells[2], cells[4]] as [string, number]);
      expect(exportedRows.sort(([a], [b]) => (a < b ? -1 : 1))).toEqual(codes.map((code, index) => [code, index % 50]));
      expect(await upload(stock(), await bufferOf(exported), { merchant: big })).toEqual({ applied: 0, unchanged: 5000, rejected: [] });
      expect(await books()).toEqual(expected);
      // Generous bounds for a shared 2-core machine: per-row ORM work would take minutes.
      expect({ productSeconds: productSeconds < 20, stockSeconds: stockSeconds < 20 }).toEqual({ productSeconds: true, stockSeconds: true });
    }, 120_000);
  });
});
