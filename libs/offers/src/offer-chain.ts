/** One hop of an offer chain: the seller sells to the buyer at the price. Hop 0 is nearest the shop. */
export interface ChainHop {
  offerId: string;
  sellerMerchantId: string;
  /** Who buys at this hop: the listing's merchant at hop 0, the previous hop's seller above. */
  buyerMerchantId: string;
  /** The buyer the offer names, or null when it is offered to all the seller's partners. */
  offeredToMerchantId: string | null;
  priceAmount: number;
  /** This hop's seller's shipping fee per parcel (0 when it charges none), in the same currency. */
  shippingFeeAmount: number;
  currency: string;
  status: string;
  originMerchantId: string;
  originSkuId: string;
  /** The no-reason return window this hop's seller grants, in days. */
  returnWindowDays: number;
  /** Hours from routing in which this hop's seller promises to ship; the origin hop's is the order's ship-by standard. */
  shipWithinHours: number;
}

export interface ChainProblem {
  code: 'offer_withdrawn' | 'partnership_inactive' | 'offer_not_for_buyer' | 'offer_chain_cycle' | 'currency_mismatch';
  message: string;
}

/**
 * Checks that goods can flow down the whole chain now: every offer active and meant for its
 * buyer, every partnership active (and, when `currencies` is given, each hop priced in the currency
 * its partnership settles in: a statement never mixes currencies), no merchant twice.
 * `activePairs` holds "upstream:downstream".
 */
export function findChainProblem(hops: ChainHop[], activePairs: Set<string>, currencies?: Map<string, string>): ChainProblem | null {
  const seen = new Set<string>([hops[0]?.buyerMerchantId]);
  // The buyer at hop 0 reads these reasons: name its own supplier, never who is further up.
  const where = (index: number) => (index === 0 ? `your supplier's offer ${hops[0].offerId}` : 'an offer further up your supply chain');
  for (const [index, hop] of hops.entries()) {
    if (hop.status !== 'active') {
      return { code: 'offer_withdrawn', message: `${where(index)} was withdrawn` };
    }
    if (hop.offeredToMerchantId !== null && hop.offeredToMerchantId !== hop.buyerMerchantId) {
      return { code: 'offer_not_for_buyer', message: `${where(index)} is no longer offered to its buyer` };
    }
    if (!activePairs.has(`${hop.sellerMerchantId}:${hop.buyerMerchantId}`)) {
      return {
        code: 'partnership_inactive',
        message: index === 0 ? `your partnership with your supplier (merchant ${hop.sellerMerchantId}) is not active` : 'a partnership further up your supply chain is not active',
      };
    }
    const settlesIn = currencies?.get(`${hop.sellerMerchantId}:${hop.buyerMerchantId}`);
    if (settlesIn && settlesIn !== hop.currency) {
      return {
        code: 'currency_mismatch',
        message:
          index === 0
            ? `your supplier's offer ${hop.offerId} is priced in ${hop.currency}, but your partnership with it settles in ${settlesIn}`
            : 'an offer further up your supply chain is priced in another currency than its partnership settles in',
      };
    }
    if (seen.has(hop.sellerMerchantId)) {
      return { code: 'offer_chain_cycle', message: `the chain of offer ${hops[0].offerId} passes twice through the same merchant` };
    }
    seen.add(hop.sellerMerchantId);
  }
  return null;
}
