import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { UnrecoverableError } from 'bullmq';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEntry, periodOf, postEntries, previousPeriod, StatementExportRequestedJob } from '@gongxiao/settlement';
import { expectError, expectStatus, signUp, SignedUpMerchant, withDatabase } from '../support/merchant-network';
import { xlsFile, zipBomb } from '../support/hostile-sheets';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const EVIL_SKU = '=HYPERLINK("http://evil.example","click")';

/**
 * Finance's files: a tea supplier exports what its shop customer owes it this month as .xlsx and
 * .csv (written by the worker, followed to 100 %, read back cell by cell), and reconciles the
 * customer's own statement against it; nobody else sees any of it.
 */
describe('settlement files: statement exports and reconciliation', () => {
  const exportDir = mkdtempSync(join(tmpdir(), 'gx-exports-'));
  const stage = useStage({ worker: 'in-process', config: { EXPORT_DIR: exportDir, OUTBOX_POLL_MS: '50', UPLOAD_LIMIT_BYTES: '262144' } });
  const { api, database } = stage;
  let supplier: SignedUpMerchant;
  let shop: SignedUpMerchant;
  let outsider: SignedUpMerchant;
  let statementId: string;
  const period = periodOf(new Date(), 'Asia/Shanghai');
  /** Local (Shanghai) wall-clock times in the statement's month. */
  const at = (day: number, time: string) => new Date(`${period.slice(0, 8)}${String(day).padStart(2, '0')}T${time}:00+08:00`);

  const entry = (key: string, fields: Partial<NewEntry> & Pick<NewEntry, 'kind' | 'direction' | 'amount' | 'occurredAt'>, seller = supplier): NewEntry => ({
    sourceKey: `files:${key}`,
    sellerMerchantId: seller.merchantId,
    buyerMerchantId: shop.merchantId,
    currency: 'CNY',
    ...fields,
  });
  const post = async (entries: NewEntry[]) => {
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    await em.transactional((tx) => postEntries(tx, entries));
  };
  const download = async (url: string, token: string) => {
    const response = await api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
  };
  const upload = (url: string, file: Buffer | string, contentType: string, token: string) =>
    api.app
      .inject({ method: 'POST', url, payload: file, headers: { authorization: `Bearer ${token}`, 'content-type': contentType } })
      .then((response) => ({ status: response.statusCode, body: response.json() }));
  const exportDone = (id: string, token: string) =>
    eventually(
      async () => {
        const response = await api.get(`/v1/statement-exports/${id}`, token);
        return response.body.status === 'done' && response.body;
      },
      20_000,
      `export ${id} done`,
    );
  const reportCount = async () => (await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from reconciliation_report`))).rows[0].n as number;

  afterAll(() => rmSync(exportDir, { recursive: true, force: true }));

  beforeAll(async () => {
    supplier = await signUp(api, 'Hangzhou Tea Works', 'Wang', `tea-${Date.now()}@example.com`);
    shop = await signUp(api, '上海小店 Shanghai Shop', 'Li', `shop-${Date.now()}@example.com`);
    outsider = await signUp(api, 'Nosy Competitor', 'Feng', `nosy-${Date.now()}@example.com`);
    const lastMonth = new Date(`${previousPeriod(period)}T12:00:00+08:00`);
    await post([
      entry('old', { kind: 'goods', direction: 'charge', amount: 10000n, occurredAt: lastMonth, externalOrderId: 'SO-0900', skuCode: 'TEA-01', quantity: 5, unitPriceAmount: 2000n }),
      entry('g1', {
        kind: 'goods',
        direction: 'charge',
        amount: 3998n,
        occurredAt: at(1, '00:30'),
        externalOrderId: 'SO-1001',
        fulfillmentOrderId: '501',
        skuCode: 'TEA-01',
        quantity: 2,
        unitPriceAmount: 1999n,
      }),
      entry('g2', {
        kind: 'goods',
        direction: 'charge',
        amount: 12345n,
        occurredAt: at(1, '09:15'),
        externalOrderId: 'SO-1002',
        fulfillmentOrderId: '502',
        skuCode: EVIL_SKU,
        quantity: 1,
        unitPriceAmount: 12345n,
      }),
      entry('s1', { kind: 'shipping', direction: 'charge', amount: 800n, occurredAt: at(1, '10:00'), externalOrderId: 'SO-1001', fulfillmentOrderId: '501' }),
      entry('r1', { kind: 'refund', direction: 'credit', amount: 2345n, occurredAt: at(1, '11:00'), externalOrderId: 'SO-1002', fulfillmentOrderId: '502', skuCode: EVIL_SKU, quantity: 1 }),
      entry('g3', {
        kind: 'goods',
        direction: 'charge',
        amount: 3000n,
        occurredAt: at(1, '12:00'),
        externalOrderId: '+SO-1003',
        fulfillmentOrderId: '503',
        skuCode: 'MUG',
        quantity: 3,
        unitPriceAmount: 1000n,
      }),
      entry('p1', { kind: 'payment', direction: 'receipt', amount: 5000n, occurredAt: at(1, '13:00') }),
      entry('a1', { kind: 'adjustment', direction: 'charge', amount: 100n, occurredAt: at(1, '14:00'), reason: 'packaging' }),
    ]);
    const row = await withDatabase(database.url, (client) =>
      client.query(`select id::text from statement where seller_merchant_id = $1 and buyer_merchant_id = $2 and period = $3::date`, [supplier.merchantId, shop.merchantId, period]),
    );
    statementId = row.rows[0].id;
  });

  describe('statement export', () => {
    let workbook: ExcelJS.Workbook;

    it('writes the .xlsx in the worker, with progress up to every entry, and serves it under a Chinese name', async () => {
      const requested = await api.post(`/v1/statements/${statementId}/exports`, { format: 'xlsx' }, supplier.token);
      expectStatus(requested, 202);
      expect(requested.body).toMatchObject({ statementId, format: 'xlsx', language: 'zh', status: 'queued', downloadUrl: null });
      const tooEarly = await download(`/v1/statement-exports/${requested.body.id}/file`, supplier.token);
      if (tooEarly.status !== 200) expect(tooEarly.status).toBe(409);
      const done = await exportDone(requested.body.id, supplier.token);
      expect(done).toMatchObject({
        rowsTotal: 7,
        rowsWritten: 7,
        percent: 100,
        downloadUrl: `/v1/statement-exports/${requested.body.id}/file`,
        fileName: `对账单-${period.slice(0, 7)}-上海小店 Shanghai Shop.xlsx`,
      });
      const file = await download(done.downloadUrl, supplier.token);
      expect(file.status).toBe(200);
      expect(file.headers['content-type']).toBe(XLSX);
      expect(file.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(done.fileName)}`);
      workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
      expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '明细']);
    });

    it('sums the month on the summary sheet: opening balance, each kind, closing balance', () => {
      const summary = workbook.getWorksheet('汇总')!;
      const figures = Object.fromEntries(
        summary
          .getSheetValues()
          .filter(Boolean)
          .map((values) => [(values as ExcelJS.CellValue[])[1], (values as ExcelJS.CellValue[])[2]]),
      );
      expect(figures).toEqual({
        收款方: 'Hangzhou Tea Works',
        付款方: '上海小店 Shanghai Shop',
        币种: 'CNY',
        账期: period.slice(0, 7),
        状态: 'draft',
        期初余额: 100,
        货款: 193.43,
        运费: 8,
        退款: -23.45,
        调整: 1,
        付款: -50,
        期末余额: 228.98,
      });
      expect(summary.getCell('B6').numFmt).toBe('"¥"#,##0.00');
    });

    it('lists one detail row per entry: local dates, codes as Text-format text, amounts as yuan numbers in a currency format', () => {
      const detail = workbook.getWorksheet('明细')!;
      expect(detail.getRow(1).values).toEqual([undefined, '日期', '渠道订单号', '发货单号', '商品编码', '数量', '单价', '金额', '类型']);
      expect(detail.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(detail.rowCount).toBe(8);
      const rows = [2, 3, 4, 5, 6, 7, 8].map((number) => detail.getRow(number));
      const first = rows.find((row) => row.getCell(2).value === 'SO-1001' && row.getCell(8).value === '货款')!;
      expect(first.getCell(1).value).toEqual(new Date(`${period.slice(0, 8)}01T00:30:00Z`));
      expect(first.getCell(1).numFmt).toBe('yyyy-mm-dd hh:mm');
      expect([first.getCell(3).value, first.getCell(4).value, first.getCell(5).value, first.getCell(6).value, first.getCell(7).value]).toEqual(['501', 'TEA-01', 2, 19.99, 39.98]);
      expect(first.getCell(7).numFmt).toBe('"¥"#,##0.00');
      const refund = rows.find((row) => row.getCell(8).value === '退款')!;
      // Formula-looking codes come back unchanged (no apostrophe) as text cells with the Text format.
      expect([refund.getCell(4).value, refund.getCell(4).numFmt, refund.getCell(7).value]).toEqual([EVIL_SKU, '@', -23.45]);
      expect(rows.filter((row) => row.getCell(2).value === '+SO-1003').map((row) => row.getCell(2).numFmt)).toEqual(['@']);
      expect(rows.map((row) => row.getCell(8).value).sort()).toEqual(['付款', '调整', '货款', '货款', '货款', '运费', '退款'].sort());
      for (const row of rows) expect(typeof row.getCell(2).value === 'string' || row.getCell(2).value === null).toBe(true);
    });

    it('speaks English when asked', async () => {
      const requested = await api.post(`/v1/statements/${statementId}/exports`, { format: 'xlsx', language: 'en' }, shop.token);
      expectStatus(requested, 202);
      const done = await exportDone(requested.body.id, shop.token);
      expect(done.fileName).toBe(`statement-${period.slice(0, 7)}-上海小店 Shanghai Shop.xlsx`);
      const english = new ExcelJS.Workbook();
      await english.xlsx.load((await download(done.downloadUrl, shop.token)).body as unknown as ArrayBuffer);
      expect(english.worksheets.map((sheet) => sheet.name)).toEqual(['Summary', 'Detail']);
      expect(english.getWorksheet('Detail')!.getRow(1).values).toEqual([undefined, 'Date', 'Channel order no.', 'Fulfillment order no.', 'SKU code', 'Quantity', 'Unit price', 'Amount', 'Type']);
      expect(english.getWorksheet('Summary')!.getCell('A12').value).toBe('Closing balance');
    });

    it('writes CSV with a BOM, decimal amounts and quoting, safe against formulas', async () => {
      const requested = await api.post(`/v1/statements/${statementId}/exports`, { format: 'csv' }, supplier.token);
      const done = await exportDone(requested.body.id, supplier.token);
      const file = await download(done.downloadUrl, supplier.token);
      expect(file.headers['content-type']).toContain('text/csv');
      const text = file.body.toString('utf8');
      expect(text.startsWith('\uFEFF日期,渠道订单号,发货单号,商品编码,数量,单价,金额,类型\r\n')).toBe(true);
      const lines = text.slice(1).trimEnd().split('\r\n');
      expect(lines).toHaveLength(8);
      expect(lines).toContain(`${period.slice(0, 8)}01 00:30,SO-1001,501,TEA-01,2,19.99,39.98,货款`);
      expect(lines).toContain(`${period.slice(0, 8)}01 11:00,SO-1002,502,"'=HYPERLINK(""http://evil.example"",""click"")",1,,-23.45,退款`);
      expect(lines.some((line) => line.includes(",'+SO-1003,"))).toBe(true);
    });

    it('pages through thousands of entries by id, counting them all', async () => {
      const bulk = await signUp(api, 'Bulk Seller', 'Zhao', `bulk-${Date.now()}@example.com`);
      await post(
        Array.from({ length: 4500 }, (_, index) =>
          entry(
            `bulk-${index}`,
            {
              kind: 'goods',
              direction: 'charge',
              amount: 100n + BigInt(index),
              occurredAt: at(1, '08:00'),
              externalOrderId: `B-${index}`,
              skuCode: 'TEA-01',
              quantity: 1,
              unitPriceAmount: 100n + BigInt(index),
            },
            bulk,
          ),
        ),
      );
      const statement = await withDatabase(database.url, (client) => client.query(`select id::text from statement where seller_merchant_id = $1`, [bulk.merchantId]));
      const requested = await api.post(`/v1/statements/${statement.rows[0].id}/exports`, { format: 'csv', language: 'en' }, bulk.token);
      const done = await exportDone(requested.body.id, bulk.token);
      expect([done.rowsTotal, done.rowsWritten]).toEqual([4500, 4500]);
      const lines = (await download(done.downloadUrl, bulk.token)).body.toString('utf8').trimEnd().split('\r\n');
      expect(lines).toHaveLength(4501);
      expect(new Set(lines.slice(1).map((line) => line.split(',')[1])).size).toBe(4500);
    });

    it('does nothing when the job of a finished export runs again', async () => {
      const requested = await api.post(`/v1/statements/${statementId}/exports`, { format: 'csv' }, supplier.token);
      const done = await exportDone(requested.body.id, supplier.token);
      const event = await withDatabase(database.url, (client) =>
        client.query(`select id::text, processed_at is not null as processed from outbox_event where type = 'statement_export.requested' and payload->>'exportId' = $1`, [requested.body.id]),
      );
      expect(event.rows).toEqual([{ id: expect.any(String), processed: true }]);
      await stage.worker
        .get(StatementExportRequestedJob)
        .handle({ eventId: event.rows[0].id, type: 'statement_export.requested', merchantId: supplier.merchantId, payload: { exportId: requested.body.id } });
      expect((await api.get(`/v1/statement-exports/${requested.body.id}`, supplier.token)).body).toEqual(done);
    });

    it('says failed, and what to do, when the file cannot be written', async () => {
      // An export whose statement its merchant cannot see (as if the statement had gone): the job gives up for good.
      const inserted = await withDatabase(database.url, (client) =>
        client.query(`insert into statement_export (merchant_id, statement_id, format, language) values ($1, $2, 'csv', 'zh') returning id::text`, [outsider.merchantId, statementId]),
      );
      const exportId = inserted.rows[0].id;
      const job = stage.worker.get(StatementExportRequestedJob);
      await expect(job.handle({ eventId: '0', type: 'statement_export.requested', merchantId: outsider.merchantId, payload: { exportId } })).rejects.toThrow(UnrecoverableError);
      const failed = await api.get(`/v1/statement-exports/${exportId}`, outsider.token);
      expect(failed.body).toMatchObject({ status: 'failed', downloadUrl: null, error: expect.stringContaining('ask for the export again') });
      expectError(await api.get(`/v1/statement-exports/${exportId}/file`, outsider.token), 409, 'statement_export_not_ready', 'status');
    });

    it('refuses a format it does not write', async () => {
      expectError(await api.post(`/v1/statements/${statementId}/exports`, { format: 'pdf' }, supplier.token), 400, 'validation_failed', 'format');
    });
  });

  describe('reconciliation', () => {
    const theirXlsx = async (rows: (string | number)[][], headers = ['订单号', '商品编码', '金额', '数量']) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('对账');
      sheet.addRow(headers);
      for (const row of rows) sheet.addRow(row);
      return Buffer.from(await book.xlsx.writeBuffer());
    };

    beforeAll(async () => {
      const saved = await api.put(`/v1/settlement/reconciliation-mappings/${supplier.merchantId}`, { orderNumber: '订单号', skuCode: '商品编码', amount: '金额', quantity: '数量' }, shop.token);
      expectStatus(saved, 200);
    });

    it('matches the counterparty’s .xlsx by order number and SKU: matched, amount differs, only ours, only theirs', async () => {
      const file = await theirXlsx([
        ['SO-1001', 'TEA-01', 39.98, 2],
        ['SO-1001', '', '8.00', ''],
        ['SO-1002', EVIL_SKU, '¥99.00', 1],
        ['SO-7777', 'TEA-01', '¥1,234.56', 1],
      ]);
      const response = await upload(`/v1/statements/${statementId}/reconciliations`, file, XLSX, shop.token);
      expect(response.status).toBe(201);
      expect(response.body.summary).toEqual({
        matched: 2,
        amountDiffers: 1,
        onlyOurs: 1,
        onlyTheirs: 1,
        oursTotal: { amount: 17798, currency: 'CNY' },
        theirsTotal: { amount: 138154, currency: 'CNY' },
      });
      const byOrder = Object.fromEntries(response.body.rows.map((row: { orderNumber: string; skuCode: string }) => [`${row.orderNumber}/${row.skuCode}`, row]));
      expect(byOrder['SO-1001/TEA-01']).toMatchObject({ status: 'matched', ourQuantity: 2, theirQuantity: 2, rowNumber: 2 });
      expect(byOrder['SO-1001/']).toMatchObject({ status: 'matched', ours: { amount: 800 } });
      expect(byOrder[`SO-1002/${EVIL_SKU}`]).toMatchObject({ status: 'amount_differs', ours: { amount: 10000 }, theirs: { amount: 9900 }, difference: { amount: -100 }, rowNumber: 4 });
      expect(byOrder['+SO-1003/MUG']).toMatchObject({ status: 'only_ours', theirs: null });
      expect(byOrder['SO-7777/TEA-01']).toMatchObject({ status: 'only_theirs', ours: null, theirs: { amount: 123456 }, rowNumber: 5 });
      const stored = await api.get(`/v1/reconciliations/${response.body.id}`, shop.token);
      expectStatus(stored, 200);
      expect(stored.body).toEqual(response.body);

      const report = await download(`/v1/reconciliations/${response.body.id}/report.xlsx`, shop.token);
      expect(report.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(report.body as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['订单号', '商品编码', '结果', '我方金额', '对方金额']));
      expect(sheet.getRow(2).getCell(3).value).toBe('一致');
      const english = new ExcelJS.Workbook();
      await english.xlsx.load((await download(`/v1/reconciliations/${response.body.id}/report.xlsx?language=en`, shop.token)).body as unknown as ArrayBuffer);
      expect(english.worksheets[0].getRow(1).getCell(1).value).toBe('Order no.');
      const differs = [...Array(english.worksheets[0].rowCount).keys()].map((index) => english.worksheets[0].getRow(index + 1)).find((row) => row.getCell(3).value === 'Amount differs')!;
      expect([differs.getCell(1).value, differs.getCell(2).value, differs.getCell(2).numFmt, differs.getCell(6).value]).toEqual(['SO-1002', EVIL_SKU, '@', -1]);
    });

    it('reads a CSV with a mapping given in the request', async () => {
      const csv = '\uFEFFOrder,Amount\r\nSO-1001,47.98\r\n"+SO-1003","30.00"\r\nSO-1002,"1,000.00"\r\n';
      const mapping = encodeURIComponent(JSON.stringify({ orderNumber: 'Order', amount: 'Amount' }));
      const response = await upload(`/v1/statements/${statementId}/reconciliations?mapping=${mapping}`, csv, 'text/csv; charset=utf-8', supplier.token);
      expect(response.status).toBe(201);
      // Per order (no SKU column): SO-1001 is goods + shipping, SO-1002 is goods − refund.
      expect(response.body.summary).toMatchObject({ matched: 2, amountDiffers: 1, onlyOurs: 0, onlyTheirs: 0 });
      expect(response.body.rows.find((row: { orderNumber: string }) => row.orderNumber === 'SO-1002')).toMatchObject({ status: 'amount_differs', difference: { amount: 90000 } });
    });

    it('reports every bad row of a bad file with 422, and stores nothing', async () => {
      const before = await reportCount();
      const missing = await upload(`/v1/statements/${statementId}/reconciliations`, await theirXlsx([['SO-1001', 'TEA-01']], ['订单号', '商品编码']), XLSX, shop.token);
      expect(missing.status).toBe(422);
      expect(missing.body.error).toMatchObject({
        code: 'reconciliation_columns_missing',
        details: [
          { field: 'mapping.amount', reason: expect.stringContaining('金额') },
          { field: 'mapping.quantity', reason: expect.stringContaining('数量') },
        ],
      });

      const bad = await theirXlsx([
        ['SO-1001', 'TEA-01', '39.98', 2],
        ['SO-1002', 'X', 'about ten', 1],
        ['SO-1001', 'TEA-01', '39.98', 2],
        ['', 'TEA-01', '5', 1],
        ['SO-1009', 'TEA-01', '1.234', 1],
        ['SO-1010', 'TEA-01', '5', 1.5],
      ]);
      const refused = await upload(`/v1/statements/${statementId}/reconciliations`, bad, XLSX, shop.token);
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('reconciliation_file_invalid');
      expect(refused.body.error.details).toEqual([
        { field: 'row 3', reason: expect.stringContaining('not an amount') },
        { field: 'row 4', reason: expect.stringContaining('duplicates row 2') },
        { field: 'row 5', reason: expect.stringContaining('order number is empty') },
        { field: 'row 6', reason: expect.stringContaining('more than 2 decimals') },
        { field: 'row 7', reason: expect.stringContaining('not a whole number') },
      ]);
      const csvRefused = await upload(`/v1/statements/${statementId}/reconciliations`, '订单号,商品编码,金额,数量\nSO-1,A,1,1\nSO-1,A,2,1\n', 'text/csv', shop.token);
      expect([csvRefused.status, csvRefused.body.error.details]).toEqual([422, [{ field: 'row 3', reason: expect.stringContaining('duplicates row 2') }]]);
      expect((await upload(`/v1/statements/${statementId}/reconciliations`, 'not a workbook', XLSX, shop.token)).status).toBe(422);
      // Zip bombs are refused before exceljs inflates anything (within this stage's 256 KB upload limit):
      // one declaring a 1 GB worksheet, and one whose 64 MB of zeros claim to be 1000 bytes.
      for (const bomb of [await zipBomb(8 * 1_048_576, 1024 * 1_048_576), await zipBomb(64 * 1_048_576, 1000)]) {
        const refusedBomb = await upload(`/v1/statements/${statementId}/reconciliations`, bomb, XLSX, shop.token);
        expect([refusedBomb.status, refusedBomb.body.error.code]).toEqual([422, 'sheet_zip_bomb']);
      }
      const xls = await upload(`/v1/statements/${statementId}/reconciliations`, xlsFile(), XLSX, shop.token);
      expect([xls.status, xls.body.error.code]).toEqual([422, 'sheet_is_xls']);
      expect((await upload(`/v1/statements/${statementId}/reconciliations`, '{}', 'application/json', shop.token)).status).toBe(415);
      const huge = await upload(`/v1/statements/${statementId}/reconciliations`, `订单号,商品编码,金额,数量\n${'SO-1,A,1,1\n'.repeat(30_000)}`, 'text/csv', shop.token);
      expect([huge.status, huge.body.error.code]).toEqual([413, 'payload_too_large']);
      expect(await reportCount()).toBe(before);
    });
  });

  describe('another merchant', () => {
    it('cannot see or use the statement, its exports or its reconciliations', async () => {
      const exported = await api.post(`/v1/statements/${statementId}/exports`, { format: 'csv' }, supplier.token);
      await exportDone(exported.body.id, supplier.token);
      const mapping = encodeURIComponent(JSON.stringify({ orderNumber: 'Order', amount: 'Amount' }));
      const report = await upload(`/v1/statements/${statementId}/reconciliations?mapping=${mapping}`, 'Order,Amount\nSO-1001,1\n', 'text/csv', supplier.token);
      expect(report.status).toBe(201);

      expectError(await api.post(`/v1/statements/${statementId}/exports`, { format: 'xlsx' }, outsider.token), 404, 'statement_not_found');
      expectError(await api.get(`/v1/statement-exports/${exported.body.id}`, outsider.token), 404, 'statement_export_not_found');
      expect((await download(`/v1/statement-exports/${exported.body.id}/file`, outsider.token)).status).toBe(404);
      expect((await upload(`/v1/statements/${statementId}/reconciliations?mapping=${mapping}`, 'Order,Amount\nSO-1001,1\n', 'text/csv', outsider.token)).status).toBe(404);
      expectError(await api.get(`/v1/reconciliations/${report.body.id}`, outsider.token), 404, 'reconciliation_not_found');
      expect((await download(`/v1/reconciliations/${report.body.id}/report.xlsx`, outsider.token)).status).toBe(404);
      expectError(await api.put(`/v1/settlement/reconciliation-mappings/${supplier.merchantId}`, { orderNumber: 'a', amount: 'b' }, outsider.token), 404, 'counterparty_not_found');
      // The other side of the statement sees the statement, but not the files the supplier made of it.
      expectError(await api.get(`/v1/statement-exports/${exported.body.id}`, shop.token), 404, 'statement_export_not_found');
      expectError(await api.get(`/v1/reconciliations/${report.body.id}`, shop.token), 404, 'reconciliation_not_found');
    });
  });
});
