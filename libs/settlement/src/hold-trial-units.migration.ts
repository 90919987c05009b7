import { Migration } from '@mikro-orm/migrations';

/**
 * A hold's trial units: of `quantity` units, `trial_quantity` are held at the trial price, the rest
 * at `unit_price_amount`; posts and voids count the trial units they resolve apart, so that each
 * resolves exactly what its units cost.
 */
export class Migration20261201000842HoldTrialUnits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table settlement_hold add column trial_quantity int not null default 0`);
    this.addSql(`alter table settlement_hold add column trial_unit_price_amount bigint not null default 0 check (trial_unit_price_amount >= 0)`);
    this.addSql(`alter table settlement_hold add column posted_trial_quantity int not null default 0`);
    this.addSql(`alter table settlement_hold add column voided_trial_quantity int not null default 0`);
    this.addSql(`
      alter table settlement_hold add constraint settlement_hold_trial_units check (
        trial_quantity between 0 and quantity and posted_trial_quantity between 0 and posted_quantity and voided_trial_quantity between 0 and voided_quantity
        and posted_trial_quantity + voided_trial_quantity <= trial_quantity)`);
  }
}
