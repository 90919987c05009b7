import { Migration } from '@mikro-orm/migrations';

/**
 * Light customization (轻定制) frozen on a fulfillment order line at routing: the options as checked
 * against the origin offer (keys sorted, values trimmed), a canonical key that made-to-order runs group
 * by, the text the order sheet's 定制 column shows, and the extra per unit included in every hop's price.
 */
export class Migration20261201000902FulfillmentLineCustomization extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table fulfillment_order_line add column customization jsonb not null default '{}'::jsonb`);
    this.addSql(`alter table fulfillment_order_line add column customization_key text not null default ''`);
    this.addSql(`alter table fulfillment_order_line add column customization_label text not null default ''`);
    this.addSql(`alter table fulfillment_order_line add column customization_extra_amount bigint not null default 0 check (customization_extra_amount >= 0)`);
    this.addSql(`create index fulfillment_order_line_customization_idx on fulfillment_order_line (sku_id, customization_key) where customization_key <> ''`);
  }
}
