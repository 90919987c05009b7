import { Migration } from '@mikro-orm/migrations';

/**
 * What after-sales needs from fulfillment: the return window frozen per line at routing (the
 * shortest along its chain), units already claimed by return cases (never above what shipped),
 * when a parcel was delivered (the window starts there, else at shipment), and which shipped units
 * an interception request is about.
 */
export class Migration20261122001610ReturnsSupport extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table fulfillment_order_line add column return_window_days int check (return_window_days >= 0)`);
    this.addSql(`alter table fulfillment_order_line add column returned_quantity int not null default 0`);
    this.addSql(`alter table fulfillment_order_line add constraint fulfillment_order_line_returned_check check (returned_quantity >= 0 and returned_quantity <= shipped_quantity)`);
    this.addSql(`alter table shipment add column delivered_at timestamptz`);
    // The shipped units each interception request is about (a cancellation of some units of a parcel).
    this.addSql(`
      create table interception_request_line (
        interception_request_id bigint not null references interception_request (id),
        fulfillment_order_line_id bigint not null references fulfillment_order_line (id),
        quantity int not null check (quantity > 0),
        primary key (interception_request_id, fulfillment_order_line_id)
      )`);
  }
}
