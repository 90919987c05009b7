import { Migration } from '@mikro-orm/migrations';

/** A SKU's specification as the supplier writes it on a sheet (规格, e.g. "红色 / M"). */
export class Migration20261201000611SkuSpec extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table sku add column spec text check (char_length(spec) <= 200)`);
  }
}
