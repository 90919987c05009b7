import { Migration } from '@mikro-orm/migrations';

/** The ship-by standard a seller promises on an offer: hours from routing to shipment (the origin offer's decides). */
export class Migration20261201000800OfferShipWithin extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table offer add column ship_within_hours int not null default 48 check (ship_within_hours between 1 and 720)`);
  }
}
