import { BigIntType, Entity, Opt, PrimaryKey, Property } from '@mikro-orm/core';

/** `suspended`: by its seller's quality rule (automatic delisting), until the seller reinstates it. */
export type OfferStatus = 'active' | 'withdrawn' | 'suspended';

/**
 * What one merchant (seller) offers a downstream partner (buyer), or all its partners when
 * buyer is null: an origin SKU, or an offer it received (re-shared), at a supply price.
 */
@Entity({ tableName: 'offer' })
export class Offer {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'bigint' })
  sellerMerchantId!: string;

  /** Null: offered to every active downstream partner (the seller's selection center). */
  // Explicitly a string: with `string | null` there is no runtime type to infer, and MikroORM would hydrate a JS bigint.
  @Property({ type: new BigIntType('string'), nullable: true })
  buyerMerchantId: string | null = null;

  /** The offer this one re-shares; null for the origin supplier's own offer. */
  // Explicitly a string: with `string | null` there is no runtime type to infer, and MikroORM would hydrate a JS bigint.
  @Property({ type: new BigIntType('string'), nullable: true })
  upstreamOfferId: string | null = null;

  @Property({ type: 'bigint' })
  originMerchantId!: string;

  @Property({ type: 'bigint' })
  originSkuId!: string;

  /** 0 for an origin offer, 1 for a first re-share, and so on. */
  @Property({ type: 'integer' })
  depth!: number;

  @Property({ type: new BigIntType('number') })
  priceAmount!: number;

  @Property({ type: 'text' })
  currency!: string;

  /** What the seller charges its buyer per parcel, in minor units of the offer's currency. */
  @Property({ type: new BigIntType('number') })
  shippingFeeAmount: number & Opt = 0;

  @Property({ type: 'text' })
  status: OfferStatus & Opt = 'active';

  /** The delisting (quality) that suspended the offer, while it is suspended. */
  @Property({ type: new BigIntType('string'), nullable: true })
  suspendedByDelistingId: string | null = null;

  /** Days after delivery (or shipment) in which the buyer's consumer may return without a reason. */
  @Property({ type: 'integer' })
  returnWindowDays: number & Opt = 7;

  /** Hours the origin supplier has to decide a return case before it is approved automatically (origin offers only). */
  @Property({ type: 'integer' })
  returnDecisionHours: number & Opt = 48;

  /** Hours from routing in which the seller promises to ship (the origin offer's standard is frozen on the fulfillment order). */
  @Property({ type: 'integer' })
  shipWithinHours: number & Opt = 48;

  @Property({ type: 'datetime' })
  createdAt: Date & Opt = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date & Opt = new Date();
}
