import { BigIntType, Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';
import { Integration } from './platforms/platform-adapter';

export const PLATFORMS = ['wechat', 'youzan', 'douyin', 'xiaohongshu', 'taobao', 'pinduoduo', 'shopify', 'woocommerce', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A distributor's store on a platform; it pushes orders signed with its webhook secret. */
@Entity({ tableName: 'shop' })
export class Shop {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'text' })
  platform!: Platform;

  @Property({ type: 'text' })
  name!: string;

  /** How its webhooks arrive: Gongxiao's own signed JSON, or a platform's own deliveries. */
  @Property({ type: 'text' })
  integration: Integration & Opt = 'native';

  /** The platform credentials, encrypted JSON (platform shops only). */
  @Property({ type: 'text', nullable: true, hidden: true })
  platformCredentials: string | null = null;

  /** The platform's name for the shop: Shopify domain, WooCommerce host, Youzan kdt_id. */
  @Property({ type: 'text', nullable: true })
  platformShopRef: string | null = null;

  @Property({ type: 'text', hidden: true })
  webhookSecret!: string;

  /** Still accepted until previousSecretExpiresAt, so a rotation does not drop orders in flight. */
  @Property({ type: 'text', nullable: true, hidden: true })
  previousWebhookSecret: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  previousSecretExpiresAt: Date | null = null;

  /** Where shipment events for this shop are POSTed (signed with the webhook secret). */
  @Property({ type: 'text', nullable: true })
  callbackUrl: string | null = null;

  @Property({ type: 'text' })
  status: ('active' | 'disabled') & Opt = 'active';

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}

/** A shop item: the shop's own SKU code mapped to an offer (or the merchant's own SKU), at a retail price. */
@Entity({ tableName: 'listing' })
export class Listing {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  merchantId!: string;

  @Property({ type: 'bigint' })
  shopId!: string;

  @Property({ type: 'text' })
  shopSkuCode!: string;

  // Explicitly a string: with `string | null` there is no runtime type to infer, and MikroORM would hydrate a JS bigint.
  @Property({ type: new BigIntType('string'), nullable: true })
  offerId: string | null = null;

  /** The merchant's own SKU, when it sells its own goods. */
  // Explicitly a string: with `string | null` there is no runtime type to infer, and MikroORM would hydrate a JS bigint.
  @Property({ type: new BigIntType('string'), nullable: true })
  skuId: string | null = null;

  @Property({ type: new BigIntType('number') })
  retailPriceAmount!: number;

  /** The platform's ids of the item this listing is (product, variant or SKU, inventory item): stock updates name them. */
  @Property({ type: 'text', nullable: true })
  platformProductId: string | null = null;

  @Property({ type: 'text', nullable: true })
  platformVariantId: string | null = null;

  @Property({ type: 'text', nullable: true })
  platformInventoryItemId: string | null = null;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'text' })
  status: ('active' | 'paused') & Opt = 'active';

  /** The delisting (quality) that paused the listing: only its reinstatement resumes it. */
  @Property({ type: new BigIntType('string'), nullable: true })
  delistingId: string | null = null;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
