import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { ChannelsService, ResolvedListing } from '@gongxiao/channels';
import { ChainHop, ChainProblem, checkCustomization, CustomizationOption, MadeToOrderTerms, OfferCustomizationsService, OfferMadeToOrderService, OffersService } from '@gongxiao/offers';
import type { ChannelOrderLineRow } from '@gongxiao/orders';
import { ClaimedOrder, ResolvedLine, RoutingException } from './routing.types';

export type ResolveOutcome = { ok: true; lines: ResolvedLine[] } | RoutingException;

/**
 * Shop SKU code → listing → offer chain → origin supplier and SKU, checking every hop, for every
 * order of a batch: listings are read once per shop, chains once per buying merchant, and every
 * chain is checked with one call.
 */
@Injectable()
export class OrderLineResolver {
  constructor(
    private readonly channels: ChannelsService,
    private readonly offers: OffersService,
    private readonly customizations: OfferCustomizationsService,
    private readonly madeToOrder: OfferMadeToOrderService,
  ) {}

  /** One outcome per claimed order, in the same order. */
  async resolve(em: EntityManager, claimed: ClaimedOrder[]): Promise<ResolveOutcome[]> {
    const listingsOfShop = new Map<string, Map<string, ResolvedListing>>();
    for (const shopId of new Set(claimed.map((item) => item.order.shop_id))) {
      const codes = claimed.filter((item) => item.order.shop_id === shopId).flatMap((item) => item.lines.map((line) => line.shop_sku_code));
      listingsOfShop.set(shopId, await this.channels.resolveListings(em, shopId, codes));
    }
    // An offer open to every partner is bought by each listing's merchant: chains are per buyer.
    const chainOf = new Map<string, ChainHop[]>();
    for (const buyerId of new Set(claimed.map((item) => item.order.merchant_id))) {
      const offerIds = claimed
        .filter((item) => item.order.merchant_id === buyerId)
        .flatMap((item) => item.lines.map((line) => listingsOfShop.get(item.order.shop_id)!.get(line.shop_sku_code)?.offerId ?? null))
        .filter((offerId): offerId is string => offerId !== null);
      const chains = await this.offers.chainsOf(
        em,
        offerIds.map((offerId) => ({ offerId, buyerMerchantId: buyerId })),
      );
      for (const [offerId, hops] of chains) chainOf.set(`${buyerId}:${offerId}`, hops);
    }
    const chainKeys = [...chainOf.keys()];
    const problems = await this.offers.checkChains(chainKeys.map((key) => chainOf.get(key)!));
    const problemOf = new Map(chainKeys.map((key, index) => [key, problems[index]]));
    // Light customization is declared on the origin offer (the last hop): one read for the batch.
    // So are made-to-order terms (C2M).
    const originOfferIds = [...chainOf.values()].flatMap((hops) => (hops.length ? [hops[hops.length - 1].offerId] : []));
    const optionsOf = await this.customizations.optionsOfOrigins(em, originOfferIds);
    const termsOf = await this.madeToOrder.madeToOrderOfOrigins(em, originOfferIds);
    return claimed.map((item) => resolveOrder(item, listingsOfShop.get(item.order.shop_id)!, chainOf, problemOf, optionsOf, termsOf));
  }
}

/**
 * Resolves one order's lines from what the batch read: the shop's listings by SKU code, chains and
 * their problems by "buyer:offer". The first line that cannot be resolved holds the whole order.
 */
export function resolveOrder(
  { order, lines }: ClaimedOrder,
  listings: Map<string, ResolvedListing>,
  chainOf: Map<string, ChainHop[]>,
  problemOf: Map<string, ChainProblem | null>,
  optionsOf: Map<string, CustomizationOption[]> = new Map(),
  madeToOrderOf: Map<string, MadeToOrderTerms> = new Map(),
): ResolveOutcome {
  for (const line of lines) {
    const listing = listings.get(line.shop_sku_code);
    // A platform's order names the platform's own line id too (Shopify line item id, Youzan oid), as the shop knows the line.
    const label = `Line ${line.line_no} (${line.shop_sku_code}${line.external_line_id ? `, platform line ${line.external_line_id}` : ''})`;
    if (!listing) {
      return {
        ok: false,
        code: 'unknown_shop_sku',
        reason: `${label}: this shop has no listing for SKU code "${line.shop_sku_code}". Create the listing (POST /v1/listings), then retry the order.`,
        detail: { lineNo: line.line_no, shopSkuCode: line.shop_sku_code, ...(line.external_line_id ? { externalLineId: line.external_line_id } : {}) },
      };
    }
    if (listing.status !== 'active') return { ok: false, code: 'listing_paused', reason: `${label}: the listing is paused. Activate it, then retry the order.` };
    if (listing.currency !== order.currency) {
      return { ok: false, code: 'currency_mismatch', reason: `${label}: the listing is priced in ${listing.currency} but the order is in ${order.currency}.` };
    }
  }
  const resolved: ResolvedLine[] = [];
  for (const line of lines) {
    const listing = listings.get(line.shop_sku_code)!;
    if (listing.offerId === null) {
      // Own goods have no offer, so no options: any customization on them names an unknown key.
      const customization = checkCustomization([], line.customization);
      if (!customization.ok) return customizationException(line, customization.problems);
      resolved.push({ line, listingId: listing.listingId, supplierMerchantId: order.merchant_id, skuId: listing.skuId!, hops: [], customization });
      continue;
    }
    const key = `${order.merchant_id}:${listing.offerId}`;
    const hops = chainOf.get(key);
    const problem = hops ? problemOf.get(key) : { code: 'offer_withdrawn', message: `offer ${listing.offerId} no longer exists` };
    if (!hops || problem) {
      return { ok: false, code: problem!.code, reason: `Line ${line.line_no} (${line.shop_sku_code}): ${problem!.message}. Fix the listing or the partnership, then retry the order.` };
    }
    const origin = hops[hops.length - 1];
    const customization = checkCustomization(optionsOf.get(origin.offerId) ?? [], line.customization);
    if (!customization.ok) return customizationException(line, customization.problems);
    const madeToOrder = madeToOrderOf.get(origin.offerId);
    resolved.push({ line, listingId: listing.listingId, supplierMerchantId: origin.originMerchantId, skuId: origin.originSkuId, hops, customization, ...(madeToOrder ? { madeToOrder } : {}) });
  }
  return { ok: true, lines: resolved };
}

/** A line whose customization the origin offer does not allow: held, naming every key and what is wrong with it. */
function customizationException(line: ChannelOrderLineRow, problems: { key: string; reason: string }[]): RoutingException {
  const named = problems.map((problem) => (problem.key ? `"${problem.key}" ${problem.reason}` : problem.reason)).join('; ');
  return {
    ok: false,
    code: 'customization_invalid',
    reason:
      `Line ${line.line_no} (${line.shop_sku_code}): customization ${named}. ` +
      'Correct the line (PUT /v1/channel-orders/{id}/lines/{lineId}/customization) or ask your supplier to change its options, then retry the order.',
    detail: { lineNo: line.line_no, lineId: String(line.id), keys: problems.map((problem) => problem.key), problems },
  };
}
