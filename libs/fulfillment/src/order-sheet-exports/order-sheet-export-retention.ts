import { EntityManager } from '@mikro-orm/postgresql';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { sqlExec, sqlRows } from '@gongxiao/core';
import { ORDER_SHEET_CLAIM_STALE_SECONDS } from './order-sheet-export-run';

/**
 * Retention (the worker's maintenance sweep): deletes the files of up to `batch` order-sheet exports
 * finished more than `olderThanDays` ago — they hold consignees' names, phones and addresses in clear —
 * and marks them pruned (the export stays, with `filePrunedAt`; its file answers 409). The rows stay
 * locked while their files are deleted, and a file already gone counts as deleted. Returns the exports pruned.
 */
export async function pruneOrderSheetExportFiles(em: EntityManager, olderThanDays: number, batch: number): Promise<number> {
  return em.transactional(async (tx) => {
    const due = await sqlRows<{ id: string; file_path: string }>(
      tx,
      `select id::text, file_path from order_sheet_export
        where file_pruned_at is null and file_path is not null and finished_at < now() - make_interval(days => ?)
        order by finished_at limit ? for update skip locked`,
      [olderThanDays, batch],
    );
    if (due.length === 0) return 0;
    for (const row of due) await rm(row.file_path, { force: true });
    await sqlExec(tx, `update order_sheet_export set file_pruned_at = now() where id = any(?::bigint[])`, [due.map((row) => row.id)]);
    return due.length;
  });
}

/**
 * Part files (`order-sheet-export-*.part`) in `exportDir` left by runs that were killed: those not
 * written to for longer than a run's claim lasts (a live run writes its part page after page; one that
 * stalled that long has been taken over). Returns the files deleted.
 */
export async function pruneOrderSheetExportPartFiles(exportDir: string, olderThanSeconds = ORDER_SHEET_CLAIM_STALE_SECONDS): Promise<number> {
  const directory = resolve(exportDir);
  const names = await readdir(directory).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : Promise.reject(error)));
  const before = Date.now() - olderThanSeconds * 1000;
  let deleted = 0;
  for (const name of names) {
    if (!/^order-sheet-export-.*\.part$/.test(name)) continue;
    const path = join(directory, name);
    const modified = await stat(path).then(
      (info) => info.mtimeMs,
      () => null,
    );
    if (modified === null || modified >= before) continue;
    await rm(path, { force: true });
    deleted++;
  }
  return deleted;
}
