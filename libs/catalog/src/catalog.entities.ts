import { BigIntType, Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';

@Entity({ tableName: 'product' })
export class Product {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}

/** A stock-keeping unit of the supplier that makes or holds the goods (its origin). */
@Entity({ tableName: 'sku' })
export class Sku {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'bigint' })
  productId!: string;

  /** Unique per supplier. */
  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'json' })
  specs: Record<string, string> & Opt = {};

  /** The specification as one text for sheets (规格, e.g. "红色 / M"); null when the supplier gave none. */
  @Property({ type: 'text', nullable: true })
  spec: string | null = null;

  @Property({ type: 'integer', nullable: true })
  weightGrams: number | null = null;

  @Property({ type: 'text', nullable: true })
  barcode: string | null = null;

  /** The platform it was imported from (a product export), with the platform's ids as text. */
  @Property({ type: 'text', nullable: true })
  platform: ('shopify' | 'woocommerce' | 'youzan') | null = null;

  @Property({ type: 'text', nullable: true })
  platformProductId: string | null = null;

  @Property({ type: 'text', nullable: true })
  platformVariantId: string | null = null;

  /** The price the platform sells it at (minor units), when imported from one. */
  @Property({ type: new BigIntType('number'), nullable: true })
  listPriceAmount: number | null = null;

  @Property({ type: 'text', nullable: true })
  listPriceCurrency: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}

export type ReceiveMode = 'inbox' | 'erp_webhook';

/** A supplier's shipping location. */
@Entity({ tableName: 'warehouse' })
export class Warehouse {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'text' })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  province!: string;

  @Property({ type: 'text', nullable: true })
  city: string | null = null;

  /** Lower ships first when several warehouses could. */
  @Property({ type: 'integer' })
  priority: number & Opt = 100;

  @Property({ type: 'text' })
  receiveMode: ReceiveMode & Opt = 'inbox';

  @Property({ type: 'text', nullable: true })
  erpWebhookUrl: string | null = null;

  @Property({ type: 'text', nullable: true, hidden: true })
  erpWebhookSecret: string | null = null;

  /** Orders to the same consignee within this many minutes share one fulfillment order; 0 = off. */
  @Property({ type: 'integer' })
  mergeWindowMinutes: number & Opt = 0;

  @Property({ type: 'text' })
  status: ('active' | 'inactive') & Opt = 'active';

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
