import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppConfig } from '@gongxiao/core';
import { OrderSheetExportRequestedJob, OrderSheetExportRun, OrderSheetExportTakenOverError } from '@gongxiao/fulfillment';
import { Retention } from '../../apps/worker/src/retention';
import { expectError, expectStatus, signUp, SignedUpMerchant, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';

/**
 * Runs of an order-sheet export hold it with a token: a stale run that wakes after another took it over
 * writes nothing over it and stops; a failure is told in the export's language; the retention sweep
 * deletes finished files (and the part files of killed runs) and the export says so.
 */
describe('order-sheet export runs and files', () => {
  const exportDir = mkdtempSync(join(tmpdir(), 'gx-order-sheet-runs-'));
  // The worker's own maintenance sweep stays out of the way (the stories prune by hand).
  const stage = useStage({ worker: 'in-process', config: { EXPORT_DIR: exportDir, OUTBOX_POLL_MS: '50', SWEEP_INTERVAL_SECONDS: '3600' } });
  const { api, database } = stage;
  let supplier: SignedUpMerchant;

  const query = async <Row = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await withDatabase(database.url, (client) => client.query(sql, params))).rows as Row[];
  const em = () => api.app.get(MikroORM).em.fork() as EntityManager;
  const job = () => stage.worker.get(OrderSheetExportRequestedJob);
  const handle = (exportId: string) => job().handle({ eventId: '0', type: 'order_sheet_export.requested', merchantId: supplier.merchantId, payload: { exportId } });
  const newExport = async (language: 'zh-CN' | 'en' = 'zh-CN') =>
    (await query<{ id: string }>(`insert into order_sheet_export (merchant_id, language, status_filter) values ($1, $2, 'shipped') returning id::text`, [supplier.merchantId, language]))[0].id;
  const status = async (exportId: string) => (await api.get(`/v1/fulfillment-order-exports/${exportId}`, supplier.token)).body;
  const partsOf = (exportId: string) => readdirSync(exportDir).filter((name) => name.startsWith(`order-sheet-export-${exportId}.`) && name.endsWith('.part'));

  beforeAll(async () => {
    supplier = await signUp(api, 'Runs Supplier', 'Qian', `runs-${Date.now()}@example.com`);
  });

  afterEach(() => jest.restoreAllMocks());

  it('claims with a token: a stale run that wakes after another finished writes nothing over it', async () => {
    const exportId = await newExport();
    const stale = (await OrderSheetExportRun.claim(em(), exportId))!;
    expect(stale).not.toBeNull();
    // Another run while the first renews its claim gets nothing.
    expect(await OrderSheetExportRun.claim(em(), exportId)).toBeNull();
    await stale.counted(em(), 0);
    // The first run's worker stalls past the stale limit; the job runs again, takes it over and finishes.
    await query(`update order_sheet_export set claimed_at = now() - interval '10 minutes' where id = $1`, [exportId]);
    await handle(exportId);
    const done = await status(exportId);
    expect(done).toMatchObject({ status: 'done', downloadUrl: `/v1/fulfillment-order-exports/${exportId}/file`, error: null });
    const [{ run_id }] = await query<{ run_id: string }>(`select run_id::text from order_sheet_export where id = $1`, [exportId]);
    expect(run_id).not.toBe(stale.runId);
    // The stale run wakes up: its progress stops it, its failure and its outcome match nothing.
    await expect(stale.progress(em(), 1, 1)).rejects.toBeInstanceOf(OrderSheetExportTakenOverError);
    expect(await stale.fail(em(), 'stale')).toBe(false);
    expect(await em().transactional((tx) => stale.finish(tx as EntityManager, { path: '/nowhere.xlsx', name: 'stale.xlsx', lines: 9, rows: 9 }))).toBe(false);
    // Its retry finds the export done and changes nothing.
    await handle(exportId);
    expect(await status(exportId)).toEqual(done);
    expectStatus(await api.get(done.downloadUrl, supplier.token), 200);
  });

  it('stops, marking nothing, when its progress finds the export taken over mid-run', async () => {
    const exportId = await newExport();
    const progress = OrderSheetExportRun.prototype.progress;
    let other = '';
    jest.spyOn(OrderSheetExportRun.prototype, 'progress').mockImplementation(async function (this: OrderSheetExportRun, ...args) {
      // Another run takes the export over while this one writes its first page.
      other = (await query<{ run_id: string }>(`update order_sheet_export set run_id = gen_random_uuid(), claimed_at = now() where id = $1 returning run_id::text`, [exportId]))[0].run_id;
      return progress.apply(this, args);
    });
    await expect(handle(exportId)).resolves.toBeUndefined();
    expect(await query(`select status, run_id::text, error, file_path, finished_at from order_sheet_export where id = $1`, [exportId])).toEqual([
      { status: 'running', run_id: other, error: null, file_path: null, finished_at: null },
    ]);
    expect(partsOf(exportId)).toEqual([]);
    expect(existsSync(join(exportDir, `order-sheet-export-${exportId}.xlsx`))).toBe(false);
  });

  it('says why it failed in the export’s language (zh-CN by default)', async () => {
    for (const [language, expected] of [
      ['zh-CN', /^导出失败：文件未能写入。.*导出编号 \d+/],
      ['en', /^The export failed: the file could not be written\..*quote export \d+/],
    ] as const) {
      const exportId = await newExport(language);
      // Where the file goes, a directory nobody can replace: the rename of the finished part fails.
      const blocker = join(exportDir, `order-sheet-export-${exportId}.xlsx`);
      mkdirSync(blocker);
      writeFileSync(join(blocker, 'keep'), 'x');
      await expect(handle(exportId)).rejects.toThrow();
      rmSync(blocker, { recursive: true });
      const failed = await status(exportId);
      expect(failed).toMatchObject({ status: 'failed', downloadUrl: null, error: expect.stringMatching(expected) });
      expect(failed.error).toContain(exportId);
      expect(partsOf(exportId)).toEqual([]);
    }
  });

  it('deletes finished files after RETENTION_EXPORT_FILE_DAYS and killed runs’ part files; the export says it is pruned', async () => {
    const [old, recent] = [await newExport(), await newExport()];
    await handle(old);
    await handle(recent);
    await query(`update order_sheet_export set finished_at = now() - interval '31 days' where id = $1`, [old]);
    // A killed run's part file (untouched for ten minutes), and a live run's (just written).
    const killed = join(exportDir, `order-sheet-export-${recent}.1234-1.part`);
    const live = join(exportDir, `order-sheet-export-${recent}.1234-2.part`);
    writeFileSync(killed, '王小明 057188886666');
    utimesSync(killed, new Date(Date.now() - 600_000), new Date(Date.now() - 600_000));
    writeFileSync(live, 'half');
    const config = Object.assign(new AppConfig(), stage.config, { RETENTION_EXPORT_FILE_DAYS: 30, EXPORT_DIR: exportDir });
    const counts = await new Retention(api.app.get(MikroORM), config).prune();
    expect(counts).toMatchObject({ orderSheetExportFiles: 1, orderSheetExportPartFiles: 1 });
    expect([existsSync(join(exportDir, `order-sheet-export-${old}.xlsx`)), existsSync(join(exportDir, `order-sheet-export-${recent}.xlsx`)), existsSync(killed), existsSync(live)]).toEqual([
      false,
      true,
      false,
      true,
    ]);
    const pruned = await status(old);
    expect(pruned).toMatchObject({ status: 'done', downloadUrl: null, filePrunedAt: expect.any(String) });
    const gone = await api.get(`/v1/fulfillment-order-exports/${old}/file`, supplier.token);
    expectError(gone, 409, 'order_sheet_export_file_missing');
    expect(gone.body.error.message).toContain('30 days');
    expect(await status(recent)).toMatchObject({ filePrunedAt: null, downloadUrl: `/v1/fulfillment-order-exports/${recent}/file` });
    expectStatus(await api.get(`/v1/fulfillment-order-exports/${recent}/file`, supplier.token), 200);
    // A second sweep finds nothing more.
    expect(await new Retention(api.app.get(MikroORM), config).prune()).toMatchObject({ orderSheetExportFiles: 0, orderSheetExportPartFiles: 0 });
    rmSync(live);
  });
});
