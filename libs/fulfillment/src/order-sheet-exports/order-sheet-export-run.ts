import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { sqlExec } from '@gongxiao/core';

/** A run renews its claim with every page; one not renewed for this long belongs to a worker that died. */
export const ORDER_SHEET_CLAIM_STALE_SECONDS = 120;

/** Thrown when a run finds that another run has taken its export over: it stops, writing nothing more. */
export class OrderSheetExportTakenOverError extends Error {
  constructor(readonly exportId: string) {
    super(`order sheet export ${exportId} was taken over by another run`);
  }
}

/**
 * One run's hold on an order-sheet export: the claim writes a fresh token (`run_id`), and every later
 * statement of the run — progress, done, failed — is keyed by the export's id and that token, and only
 * while the export is `running`. A run that stalled past ORDER_SHEET_CLAIM_STALE_SECONDS may be taken
 * over by another (a new token); when the stale one wakes up its writes match no row: progress throws
 * `OrderSheetExportTakenOverError`, done and failed report false and change nothing.
 */
export class OrderSheetExportRun {
  private constructor(
    readonly exportId: string,
    readonly runId: string,
  ) {}

  /** Claims a queued or failed export, or one whose run went stale; null when another run holds it (or it is done). */
  static async claim(em: EntityManager, exportId: string, staleSeconds = ORDER_SHEET_CLAIM_STALE_SECONDS): Promise<OrderSheetExportRun | null> {
    const runId = randomUUID();
    const claimed = await sqlExec(
      em,
      `update order_sheet_export set status = 'running', lines_written = 0, rows_written = 0, error = null, claimed_at = now(), run_id = ?
        where id = ? and (status in ('queued', 'failed') or (status = 'running' and (claimed_at is null or claimed_at < now() - make_interval(secs => ?))))`,
      [runId, exportId, staleSeconds],
    );
    return claimed === 0 ? null : new OrderSheetExportRun(exportId, runId);
  }

  /** The lines the sheet holds (the claim renewed); throws when another run took the export over. */
  async counted(em: EntityManager, total: number): Promise<void> {
    await this.renew(em, `lines_total = ?`, [total]);
  }

  /** Lines and rows written so far (the claim renewed); throws when another run took the export over. */
  async progress(em: EntityManager, lines: number, rows: number): Promise<void> {
    await this.renew(em, `lines_written = ?, rows_written = ?`, [lines, rows]);
  }

  /** Done, with its file (the row stays locked until `tx` commits, so nobody takes it over meanwhile). False when another run holds it. */
  async finish(tx: EntityManager, file: { path: string; name: string; lines: number; rows: number }): Promise<boolean> {
    const finished = await sqlExec(
      tx,
      `update order_sheet_export set status = 'done', file_path = ?, file_name = ?, lines_written = ?, rows_written = ?, finished_at = now()
        where id = ? and run_id = ? and status = 'running'`,
      [file.path, file.name, file.lines, file.rows, this.exportId, this.runId],
    );
    return finished > 0;
  }

  /** Failed, saying why and what to do. False when another run holds it. */
  async fail(em: EntityManager, message: string): Promise<boolean> {
    const failed = await sqlExec(em, `update order_sheet_export set status = 'failed', error = ?, finished_at = now() where id = ? and run_id = ? and status = 'running'`, [
      message,
      this.exportId,
      this.runId,
    ]);
    return failed > 0;
  }

  private async renew(em: EntityManager, assignment: string, values: unknown[]): Promise<void> {
    const renewed = await sqlExec(em, `update order_sheet_export set ${assignment}, claimed_at = now() where id = ? and run_id = ? and status = 'running'`, [...values, this.exportId, this.runId]);
    if (renewed === 0) throw new OrderSheetExportTakenOverError(this.exportId);
  }
}
