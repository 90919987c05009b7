import { Migration } from '@mikro-orm/migrations';

/** A listing paused by its owner's quality rule records the delisting (quality's id): only reinstatement resumes it. */
export class Migration20261201000862ListingDelisting extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table listing add column delisting_id bigint`);
  }
}
