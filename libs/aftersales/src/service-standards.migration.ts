import { Migration } from '@mikro-orm/migrations';

/**
 * After-sales service standards: the deadline a supplier has to decide a case (approved
 * automatically past it) and who decided; units restocked per line at receipt; refunds numbered
 * per case so that a partial refund can be topped up (each top-up its own rows and ledger keys).
 */
export class Migration20261201000821AfterSalesStandards extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table return_request add column decide_by timestamptz`);
    this.addSql(`alter table return_request add column decided_by text check (decided_by in ('supplier', 'auto'))`);
    this.addSql(`alter table return_request add column refund_count int not null default 0`);
    // Cases already waiting get the default deadline from when they opened, and never less than 48 hours from now:
    // a supplier is not surprised by automatic approvals of old cases the moment this is deployed.
    this.addSql(`update return_request set decide_by = greatest(created_at, now()) + interval '48 hours' where status = 'pending_approval'`);
    this.addSql(`update return_request set decided_by = 'supplier' where decided_at is not null`);
    this.addSql(`update return_request r set refund_count = 1 where status = 'refunded'`);
    this.addSql(`create index return_request_decide_by_idx on return_request (decide_by) where status = 'pending_approval'`);
    this.addSql(`alter table return_request_line add column restocked_quantity int not null default 0`);
    this.addSql(`update return_request_line l set restocked_quantity = l.quantity from return_request r where r.id = l.return_request_id and r.restocked`);
    this.addSql(`alter table return_request_line add constraint return_request_line_restocked_check check (restocked_quantity between 0 and quantity)`);
    this.addSql(`alter table return_refund add column refund_no int not null default 1 check (refund_no >= 1)`);
    this.addSql(`alter table return_refund drop constraint return_refund_key`);
    this.addSql(`alter table return_refund add constraint return_refund_key unique (return_request_id, fulfillment_order_line_id, hop_index, refund_no)`);
  }
}
