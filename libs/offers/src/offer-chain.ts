/** One hop of an offer chain: the seller sells to the buyer at the price. Hop 0 is nearest the shop. */
export interface ChainHop {
  offerId: string;
  sellerMerchantId: string;
  /** Who buys at this hop: the listing's merchant at hop 0, the previous hop's seller above. */
  buyerMerchantId: string;
  /** The buyer the offer names, or null when it is offered to all the seller's partners. */
  offeredToMerchantId: string | null;
  priceAmount: number;
  currency: string;
  status: string;
  originMerchantId: string;
  originSkuId: string;
}

export interface ChainProblem {
  code: 'offer_withdrawn' | 'partnership_inactive' | 'offer_not_for_buyer' | 'offer_chain_cycle';
  message: string;
}

/**
 * Checks that goods can flow down the whole chain now: every offer active and meant for its
 * buyer, every partnership active, no merchant twice. `activePairs` holds "upstream:downstream".
 */
export function findChainProblem(hops: ChainHop[], activePairs: Set<string>): ChainProblem | null {
  const seen = new Set<string>([hops[0]?.buyerMerchantId]);
  for (const hop of hops) {
    if (hop.status !== 'active') {
      return { code: 'offer_withdrawn', message: `offer ${hop.offerId} was withdrawn by its seller (merchant ${hop.sellerMerchantId})` };
    }
    if (hop.offeredToMerchantId !== null && hop.offeredToMerchantId !== hop.buyerMerchantId) {
      return { code: 'offer_not_for_buyer', message: `offer ${hop.offerId} is not offered to merchant ${hop.buyerMerchantId}` };
    }
    if (!activePairs.has(`${hop.sellerMerchantId}:${hop.buyerMerchantId}`)) {
      return {
        code: 'partnership_inactive',
        message: `the partnership between merchant ${hop.sellerMerchantId} (supplier) and merchant ${hop.buyerMerchantId} is not active`,
      };
    }
    if (seen.has(hop.sellerMerchantId)) {
      return { code: 'offer_chain_cycle', message: `merchant ${hop.sellerMerchantId} appears twice in the chain of offer ${hops[0].offerId}` };
    }
    seen.add(hop.sellerMerchantId);
  }
  return null;
}
