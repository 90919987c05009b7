import { EntityManager } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { DomainError, encryptBytes, sqlExec, sqlOne } from '@gongxiao/core';

/** A run renews its claim as it reports progress; one not renewed for this long belongs to a worker that died. */
export const CLAIM_STALE_SECONDS = 300;

/** Thrown when a run finds that another run has taken its upload over: it stops, writing nothing more. */
export class RunTakenOverError extends Error {
  constructor(readonly importId: string) {
    super(`sheet import ${importId} was taken over by another run`);
  }
}

/** What a finished run stores. */
export interface RunOutcome {
  applied: number;
  unchanged: number;
  rejected: number;
  ignoredSheets: string[];
  /** The rejected-rows workbook, stored encrypted (it holds what the user typed: consignees' names, phones, addresses). */
  rejectedFile: Buffer | null;
}

/**
 * One run's hold on an upload: the claim writes a fresh token (`run_id`), and every later statement
 * of the run — progress, outcome, failure — is keyed by the upload's id and that token. A run that
 * stalled past CLAIM_STALE_SECONDS may be taken over by another (a new token); when the stale one
 * wakes up, its writes match no row: progress throws `RunTakenOverError` (undoing the handler's
 * transaction around it), the outcome and failures report false and change nothing.
 */
export class SheetImportRun {
  private constructor(
    readonly importId: string,
    readonly runId: string,
  ) {}

  /** Claims a queued upload, one that failed for a reason other than its file, or one whose run went stale; null when another run holds it. */
  static async claim(em: EntityManager, importId: string, staleSeconds = CLAIM_STALE_SECONDS): Promise<SheetImportRun | null> {
    const runId = randomUUID();
    const claimed = await sqlExec(
      em,
      `update sheet_import set status = 'running', rows_done = 0, attempts = attempts + 1, claimed_at = now(), run_id = ?
        where id = ? and (status in ('queued', 'failed') or (status = 'running' and (claimed_at is null or claimed_at < now() - make_interval(secs => ?))))`,
      [runId, importId, staleSeconds],
    );
    return claimed === 0 ? null : new SheetImportRun(importId, runId);
  }

  /** The rows read (the claim renewed); throws when another run took the upload over. */
  async rowsRead(em: EntityManager, total: number): Promise<void> {
    await this.renew(em, `rows_total = ?`, [total]);
  }

  /** Rows done so far (the claim renewed); throws when another run took the upload over. */
  async progress(em: EntityManager, done: number): Promise<void> {
    await this.renew(em, `rows_done = ?`, [done]);
  }

  /** Done, with the counts and the rejected-rows workbook (encrypted); the upload's bytes dropped. False when another run holds it. */
  async finish(tx: EntityManager, outcome: RunOutcome): Promise<boolean> {
    const finished = await sqlExec(
      tx,
      `update sheet_import set status = 'done', rows_done = coalesce(rows_total, 0), applied = ?, unchanged = ?, rejected = ?, ignored_sheets = ?::jsonb, error = null, finished_at = now()
        where id = ? and run_id = ?`,
      [outcome.applied, outcome.unchanged, outcome.rejected, JSON.stringify(outcome.ignoredSheets), this.importId, this.runId],
    );
    if (finished === 0) return false;
    await sqlExec(tx, `update sheet_import_file set rejected = ?, upload = null where import_id = ?`, [encryptBytes(outcome.rejectedFile), this.importId]);
    return true;
  }

  /** The file (or a form field) cannot be used: failed for good with the reason, the bytes dropped. False when another run holds it. */
  async failFile(tx: EntityManager, error: DomainError): Promise<boolean> {
    const failed = await sqlExec(tx, `update sheet_import set status = 'failed', error_code = ?, error = ?, error_details = ?::jsonb, finished_at = now() where id = ? and run_id = ?`, [
      error.code,
      error.message,
      JSON.stringify(error.details ?? []),
      this.importId,
      this.runId,
    ]);
    if (failed === 0) return false;
    await sqlExec(tx, `update sheet_import_file set upload = null where import_id = ?`, [this.importId]);
    return true;
  }

  /** Runs started so far (this one included). */
  async attempts(em: EntityManager): Promise<number> {
    return (await sqlOne<{ attempts: number }>(em, `select attempts from sheet_import where id = ?`, [this.importId]))?.attempts ?? 0;
  }

  /** Queued again for BullMQ's next attempt, saying so. False when another run holds it. */
  async requeue(em: EntityManager, message: string): Promise<boolean> {
    return (await sqlExec(em, `update sheet_import set status = 'queued', error = ? where id = ? and run_id = ?`, [message, this.importId, this.runId])) > 0;
  }

  /** Failed for good for a reason other than the file, saying what to do. False when another run holds it. */
  async failForGood(tx: EntityManager, message: string): Promise<boolean> {
    const failed = await sqlExec(tx, `update sheet_import set status = 'failed', error_code = 'sheet_import_failed', error = ?, finished_at = now() where id = ? and run_id = ?`, [
      message,
      this.importId,
      this.runId,
    ]);
    return failed > 0;
  }

  private async renew(em: EntityManager, assignment: string, values: unknown[]): Promise<void> {
    const renewed = await sqlExec(em, `update sheet_import set ${assignment}, claimed_at = now() where id = ? and run_id = ? and status = 'running'`, [...values, this.importId, this.runId]);
    if (renewed === 0) throw new RunTakenOverError(this.importId);
  }
}
