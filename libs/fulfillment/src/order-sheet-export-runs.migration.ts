import { Migration } from '@mikro-orm/migrations';

/**
 * Runs of an order-sheet export claim it with a token (`run_id`, a random uuid written by the claim):
 * a run's progress, outcome and failure are written only while the export is still `running` with its
 * token, so a run that stalled, was taken over and wakes up later cannot overwrite what the run that
 * took over wrote. `file_pruned_at`: when the retention sweep deleted the file (consignees' names,
 * phones, addresses) RETENTION_EXPORT_FILE_DAYS after the export finished.
 */
export class Migration20261201000711OrderSheetExportRuns extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table order_sheet_export add column run_id uuid, add column file_pruned_at timestamptz`);
    this.addSql(`create index order_sheet_export_files_kept_idx on order_sheet_export (finished_at) where file_pruned_at is null and file_path is not null`);
  }
}
