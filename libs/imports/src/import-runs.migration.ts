import { Migration } from '@mikro-orm/migrations';

/**
 * Runs of an upload claim it with a token (`run_id`, a random uuid written by the claim): a run's
 * progress, outcome and failure are written only while the upload still carries its token, so a
 * run that stalled, was taken over after CLAIM_STALE_SECONDS and wakes up later cannot overwrite
 * what the run that took over wrote. `files_pruned_at`: when the retention sweep dropped the
 * upload's stored bytes and rejected-rows workbook (RETENTION_IMPORT_FILE_DAYS after it finished).
 */
export class Migration20261201000721ImportRuns extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table sheet_import add column run_id uuid, add column files_pruned_at timestamptz`);
    this.addSql(`create index sheet_import_files_kept_idx on sheet_import ((coalesce(finished_at, created_at))) where files_pruned_at is null`);
  }
}
