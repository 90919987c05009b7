import { Migration } from '@mikro-orm/migrations';

/** Hours the origin supplier has to decide a return case before it is approved automatically. */
export class Migration20261201000820ReturnDecisionHours extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table offer add column if not exists return_decision_hours int not null default 48 check (return_decision_hours between 1 and 720)`);
  }
}
