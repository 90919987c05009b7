import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ActorContext, sqlRows } from '@gongxiao/core';
import { skusOfMerchantsByCode } from '@gongxiao/catalog';
import { PartnershipsService } from '@gongxiao/partnerships';
import { OffersService } from './offers.service';

/** An offer the merchant can buy now, named by its origin SKU's code. */
export interface OfferBySkuCode {
  offerId: string;
  skuCode: string;
  priceAmount: number;
  currency: string;
}

/**
 * The offers available to a merchant (as GET /v1/available-offers lists them: from active upstream
 * partners, meant for it or for all partners, whose whole chain can deliver now) whose origin SKU has
 * one of these codes. Batch-shaped: the origins the merchant is offered, their SKUs with the codes,
 * the offers of those SKUs, and one chain check for all of them.
 */
@Injectable()
export class AvailableOffersByCodeService {
  constructor(
    private readonly em: EntityManager,
    private readonly offers: OffersService,
    private readonly partnerships: PartnershipsService,
  ) {}

  async offersBySkuCode(actor: ActorContext, codes: string[]): Promise<Map<string, OfferBySkuCode[]>> {
    const found = new Map<string, OfferBySkuCode[]>();
    const sellers = await this.partnerships.activeUpstreamsOf(actor.merchantId);
    if (sellers.length === 0 || codes.length === 0) return found;
    const visible = `seller_merchant_id = any(?::bigint[]) and status = 'active' and (buyer_merchant_id is null or buyer_merchant_id = ?) and seller_merchant_id <> ?`;
    const origins = await sqlRows<{ origin: string }>(this.em, `select distinct origin_merchant_id::text as origin from offer where ${visible}`, [sellers, actor.merchantId, actor.merchantId]);
    const skus = await skusOfMerchantsByCode(
      this.em,
      origins.map((row) => row.origin),
      codes,
    );
    if (skus.length === 0) return found;
    const codeOf = new Map(skus.map((sku) => [sku.id, sku.code]));
    const offers = await sqlRows<{ id: string; origin_sku_id: string; price_amount: string; currency: string }>(
      this.em,
      `select o.id::text as id, o.origin_sku_id::text as origin_sku_id, o.price_amount::text as price_amount, o.currency from offer o where ${visible} and o.origin_sku_id = any(?::bigint[]) order by o.id`,
      [sellers, actor.merchantId, actor.merchantId, [...codeOf.keys()]],
    );
    const chains = await this.offers.chainsOf(
      this.em,
      offers.map((offer) => ({ offerId: offer.id, buyerMerchantId: actor.merchantId })),
    );
    const hops = offers.map((offer) => chains.get(offer.id) ?? []);
    const problems = await this.offers.checkChains(hops);
    offers.forEach((offer, index) => {
      // A chain that already passes through the buyer would be a cycle: not available, as findAvailable says.
      if (problems[index] !== null || hops[index].some((hop) => hop.sellerMerchantId === actor.merchantId)) return;
      const code = codeOf.get(offer.origin_sku_id)!;
      found.set(code, [...(found.get(code) ?? []), { offerId: offer.id, skuCode: code, priceAmount: Number(offer.price_amount), currency: offer.currency }]);
    });
    return found;
  }
}
