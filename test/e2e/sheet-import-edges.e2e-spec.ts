import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { AppConfig, readSheetRows } from '@gongxiao/core';
import { RunTakenOverError, SheetImportRun } from '@gongxiao/imports';
import { BULK_ORDER_HEADERS, BulkOrdersHandler } from '@gongxiao/orders';
import { Retention } from '../../apps/worker/src/retention';
import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork } from '../support/order-network';
import { downloadWorkbook, importFinished, sheetTexts, uploadSheet, workbookOf } from '../support/sheet-uploads';
import { useStage } from '../support/stage';

/**
 * The edges of an upload that review found: a sheet with headers and no rows, a bulk-order upload
 * for a shop that is not the uploader's or does not take orders (both refused at once, storing
 * nothing); two runs of one upload, the stale one unable to overwrite the one that took over; the
 * stored files encrypted at rest and deleted after their retention period.
 */
describe('spreadsheet uploads at their edges', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;
  const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
  const no = (name: string) => `EDGE-${tag}-${name}`;
  const row = (orderNo: string, phone = '13800138000', name = '王小明') => [orderNo, name, phone, '', '', '', '浙江省杭州市西湖区文三路90号', 'TSHIRT', '1', '', '', ''];
  const ordersSheet = (rows: (string | number | null)[][]) => workbookOf([BULK_ORDER_HEADERS['zh-CN'], ...rows], '订单');
  const uploads = async () => (await api.get('/v1/imports', network.distributor.token)).body.data as { id: string }[];
  const query = <T extends object>(sql: string, params: unknown[] = []) => withDatabase(database.url, async (client) => (await client.query<T>(sql, params)).rows);

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
  });

  describe('a sheet with its header row and no data rows', () => {
    it('is refused at upload (422 sheet_empty), saying so in the upload’s language, and nothing is stored', async () => {
      const before = (await uploads()).length;
      const headersOnly = await ordersSheet([]);
      const zh = await uploadSheet(api, network.distributor.token, 'channel_orders', headersOnly, { shopId: network.shop.id });
      expect([zh.status, zh.body.error.code]).toEqual([422, 'sheet_empty']);
      expect(zh.body.error.message).toContain('只有表头，没有数据行');
      expect(zh.body.error.details).toEqual([{ field: 'file', reason: '表头下方没有数据行' }]);
      const en = await uploadSheet(api, network.distributor.token, 'channel_orders', headersOnly, { shopId: network.shop.id, language: 'en' });
      expect([en.status, en.body.error.code]).toEqual([422, 'sheet_empty']);
      expect(en.body.error.message).toMatch(/has its header row but no data rows.*Fill in at least one row/);
      const tracking = await uploadSheet(api, network.factory.token, 'tracking_backfill', await workbookOf([['发货单号', '商品编码', '数量', '快递公司', '快递单号']]));
      expect([tracking.status, tracking.body.error.code]).toEqual([422, 'sheet_empty']);
      expect((await uploads()).length).toBe(before);
    });

    it('fails in the worker when only reading the sheet tells (blank rows under the header), rather than ending "done 0/0/0"', async () => {
      // Cells cleared to empty strings look like values to the upload's quick look: the worker reads them and finds no row.
      const blankRows = await ordersSheet([Array(12).fill(''), Array(12).fill('')]);
      const answer = await uploadSheet(api, network.distributor.token, 'channel_orders', blankRows, { shopId: network.shop.id, language: 'en' });
      expectStatus(answer, 202);
      const finished = await importFinished(api, network.distributor.token, answer.body.id);
      expect(finished).toEqual(expect.objectContaining({ status: 'failed', applied: null, rejected: null, rejectedFileUrl: null }));
      expect(finished.error).toEqual({
        code: 'sheet_empty',
        message: expect.stringMatching(/^The sheet "订单" has its header row but no data rows/),
        details: [{ field: 'file', reason: 'no data rows under the header row' }],
      });
      const handler = api.app.get(BulkOrdersHandler);
      await expect(readSheetRows(await ordersSheet([]), handler.spec, { language: 'en' })).rejects.toMatchObject({ code: 'sheet_empty', kind: 'unprocessable' });
      const read = await readSheetRows(await ordersSheet([row(no('ONE'))]), handler.spec);
      expect(read.rows).toHaveLength(1);
    });
  });

  describe('the shop of a bulk-order upload', () => {
    it('is checked at upload: missing 400, unknown or another merchant’s 404, disabled 403 — each naming shopId, nothing stored', async () => {
      const before = (await uploads()).length;
      const file = await ordersSheet([row(no('SHOP'))]);
      const missing = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: '  ' });
      expect([missing.status, missing.body.error.details]).toEqual([400, [{ field: 'shopId', reason: 'is required for this kind of upload' }]]);
      const unknown = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: '999999999', language: 'en' });
      expect([unknown.status, unknown.body.error.code, unknown.body.error.details]).toEqual([404, 'shop_not_found', [{ field: 'shopId', reason: 'not one of your shops' }]]);
      expect(unknown.body.error.message).toBe('You have no shop 999999999.');
      const stranger = await api.post('/v1/shops', { platform: 'other', name: 'Not yours' }, network.factory.token);
      expectStatus(stranger, 201);
      const theirs = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: stranger.body.id });
      expect([theirs.status, theirs.body.error.code, theirs.body.error.details[0].field]).toEqual([404, 'shop_not_found', 'shopId']);
      const paused = await api.post('/v1/shops', { platform: 'other', name: 'Paused shop' }, network.distributor.token);
      expectStatus(paused, 201);
      expectStatus(await api.patch(`/v1/shops/${paused.body.id}`, { status: 'disabled' }, network.distributor.token), 200);
      const disabled = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: paused.body.id });
      expect([disabled.status, disabled.body.error.code, disabled.body.error.details]).toEqual([403, 'shop_disabled', [{ field: 'shopId', reason: 'the shop is disabled' }]]);
      expect(disabled.body.error.message).toContain('已停用');
      expect((await uploads()).length).toBe(before);
      // The uploader's own active shop is accepted.
      expectStatus(await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: network.shop.id }), 202);
    });
  });

  describe('runs of one upload', () => {
    it('claims with a token: a stale run that wakes after another took over writes nothing over it', async () => {
      await stage.stopWorker();
      const answer = await uploadSheet(api, network.distributor.token, 'channel_orders', await ordersSheet([row(no('RUN'))]), { shopId: network.shop.id });
      expectStatus(answer, 202);
      const importId = answer.body.id as string;
      const em = () => api.app.get(MikroORM).em.fork() as EntityManager;
      const stale = (await SheetImportRun.claim(em(), importId))!;
      expect(stale).not.toBeNull();
      // A second run while the first renews its claim gets nothing.
      expect(await SheetImportRun.claim(em(), importId)).toBeNull();
      await stale.rowsRead(em(), 1);
      // The first run's worker stalls past the stale limit; another run takes the upload over.
      await query(`update sheet_import set claimed_at = now() - interval '10 minutes' where id = $1`, [importId]);
      const current = (await SheetImportRun.claim(em(), importId))!;
      expect(current.runId).not.toBe(stale.runId);
      expect(await query(`select run_id::text, attempts from sheet_import where id = $1`, [importId])).toEqual([{ run_id: current.runId, attempts: 2 }]);
      // The stale run wakes up: its progress stops it, its outcome and its failures match nothing.
      await expect(stale.progress(em(), 1)).rejects.toBeInstanceOf(RunTakenOverError);
      const tx = em();
      expect(await tx.transactional((inner) => stale.finish(inner as EntityManager, { applied: 99, unchanged: 0, rejected: 0, ignoredSheets: [], rejectedFile: null }))).toBe(false);
      expect(await stale.requeue(em(), 'stale')).toBe(false);
      expect(await em().transactional((inner) => stale.failForGood(inner as EntityManager, 'stale'))).toBe(false);
      expect((await api.get(`/v1/imports/${importId}`, network.distributor.token)).body).toEqual(expect.objectContaining({ status: 'running', applied: null, error: null }));
      // The run that took over finishes.
      await current.progress(em(), 1);
      expect(await em().transactional((inner) => current.finish(inner as EntityManager, { applied: 1, unchanged: 0, rejected: 0, ignoredSheets: [], rejectedFile: null }))).toBe(true);
      expect((await api.get(`/v1/imports/${importId}`, network.distributor.token)).body).toEqual(expect.objectContaining({ status: 'done', applied: 1 }));
      // Too late, the stale run cannot turn it back either.
      expect(await stale.requeue(em(), 'stale')).toBe(false);
      expect((await api.get(`/v1/imports/${importId}`, network.distributor.token)).body.status).toBe('done');
      await stage.startWorker();
    });
  });

  describe('stored files', () => {
    let importId: string;

    it('are encrypted at rest (upload and rejected rows), and the rejected rows download decrypted', async () => {
      await stage.stopWorker();
      const file = await ordersSheet([row(no('KEEP')), row(no('BAD'), '12345', '秘密收件人')]);
      const answer = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: network.shop.id, mode: 'valid_rows' });
      expectStatus(answer, 202);
      importId = answer.body.id;
      const [queued] = await query<{ upload: Buffer }>(`select upload from sheet_import_file where import_id = $1`, [importId]);
      expect(queued.upload.subarray(0, 4).toString('ascii')).toBe('GXE1');
      expect(queued.upload.equals(file)).toBe(false);
      await stage.startWorker();
      const finished = await importFinished(api, network.distributor.token, importId);
      expect(finished).toEqual(expect.objectContaining({ status: 'done', applied: 1, rejected: 1, rejectedFileUrl: `/v1/imports/${importId}/rejected.xlsx`, filesPrunedAt: null }));
      const [stored] = await query<{ upload: Buffer | null; rejected: Buffer }>(`select upload, rejected from sheet_import_file where import_id = $1`, [importId]);
      expect(stored.upload).toBeNull();
      expect(stored.rejected.subarray(0, 4).toString('ascii')).toBe('GXE1');
      // An .xlsx is a zip: a plaintext one would start with "PK".
      expect(stored.rejected.subarray(0, 2).toString('ascii')).not.toBe('PK');
      const download = await downloadWorkbook(api, network.distributor.token, finished.rejectedFileUrl);
      expect(download.status).toBe(200);
      const rows = sheetTexts(download.workbook!.worksheets[0]);
      expect(rows[1]).toEqual(expect.arrayContaining([no('BAD'), '秘密收件人', '12345']));
    });

    it('are deleted after RETENTION_IMPORT_FILE_DAYS by the maintenance sweep; the counts stay and the download says why it is gone', async () => {
      const recent = await uploadSheet(api, network.distributor.token, 'channel_orders', await ordersSheet([row(no('RECENT'), '1234')]), { shopId: network.shop.id });
      expectStatus(recent, 202);
      const recentDone = await importFinished(api, network.distributor.token, recent.body.id);
      expect(recentDone.rejected).toBe(1);
      await query(`update sheet_import set finished_at = now() - interval '31 days' where id = $1`, [importId]);
      const config = Object.assign(new AppConfig(), stage.config, { RETENTION_IMPORT_FILE_DAYS: 30 });
      const counts = await new Retention(api.app.get(MikroORM), config).prune();
      expect(counts.importFiles).toBeGreaterThanOrEqual(1);
      expect(await query(`select import_id::text from sheet_import_file where import_id = any($1::bigint[])`, [[importId, recent.body.id]])).toEqual([{ import_id: recent.body.id }]);
      const pruned = (await api.get(`/v1/imports/${importId}`, network.distributor.token)).body;
      expect(pruned).toEqual(expect.objectContaining({ status: 'done', applied: 1, rejected: 1, rejectedFileUrl: null, filesPrunedAt: expect.any(String) }));
      const gone = await api.get(`/v1/imports/${importId}/rejected.xlsx`, network.distributor.token);
      expect([gone.status, gone.body.error.code]).toEqual([409, 'sheet_import_file_expired']);
      expect(gone.body.error.message).toContain('30 days');
      // The recent upload keeps its file; a second sweep finds nothing more.
      expect((await downloadWorkbook(api, network.distributor.token, `/v1/imports/${recent.body.id}/rejected.xlsx`)).status).toBe(200);
      expect((await new Retention(api.app.get(MikroORM), config).prune()).importFiles).toBe(0);
    });
  });
});
