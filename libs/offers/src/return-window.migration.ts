import { Migration } from '@mikro-orm/migrations';

/** The no-reason return window each seller grants on an offer, in days. */
export class Migration20261122001600ReturnWindow extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table offer add column return_window_days int not null default 7 check (return_window_days between 0 and 365)`);
  }
}
