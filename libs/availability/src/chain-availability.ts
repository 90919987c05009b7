/** A hop as availability sees it: who sells to whom, and whether goods may flow through it now. */
export interface AvailabilityHop {
  sellerMerchantId: string;
  buyerMerchantId: string;
  /** Offer active, meant for this buyer, partnership active. */
  open: boolean;
}

export interface AllocationCap {
  kind: 'fixed' | 'percent';
  value: number;
}

/**
 * What the last buyer of a chain may sell: the origin's available units, then, from the origin
 * down, each hop's cap (a fixed number, or a percentage of what reaches that hop). A closed hop
 * (withdrawn offer, suspended partnership) makes it 0. Hops are ordered as in the offer chain:
 * hop 0 nearest the shop, the last hop the origin supplier's sale.
 */
export function availableAlongChain(originAvailable: number, hops: AvailabilityHop[], capOf: (seller: string, buyer: string) => AllocationCap | undefined): number {
  let available = Math.max(0, originAvailable);
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = hops[index];
    if (!hop.open) return 0;
    const cap = capOf(hop.sellerMerchantId, hop.buyerMerchantId);
    if (cap?.kind === 'fixed') available = Math.min(available, cap.value);
    if (cap?.kind === 'percent') available = Math.floor((available * cap.value) / 100);
  }
  return available;
}

/** What `chainOfListing` needs of each offer. */
export interface ChainOffer {
  id: string;
  sellerMerchantId: string;
  /** The one buyer it is meant for, or null for every partner of the seller. */
  offeredToMerchantId: string | null;
  upstreamOfferId: string | null;
  originSkuId: string;
  status: string;
}

const MAX_DEPTH = 16;

/**
 * The hops of a listing's chain, nearest the shop first: from the listing's offer up through each
 * re-shared offer to the origin. A hop is open when its offer is active, meant for that buyer, and
 * its seller has not appeared lower in the chain (a cycle). A listing of the merchant's own SKU has
 * no hops. Partnerships are not known here: callers close hops whose partnership is not active.
 */
export function chainOfListing<Offer extends ChainOffer>(
  listing: { merchantId: string; offerId: string | null; skuId: string | null },
  offerById: Map<string, Offer>,
): { skuId: string; hops: (AvailabilityHop & { offer: Offer })[] } {
  if (listing.offerId === null) return { skuId: listing.skuId!, hops: [] };
  const hops: (AvailabilityHop & { offer: Offer })[] = [];
  const seen = new Set<string>([listing.merchantId]);
  let buyer = listing.merchantId;
  let offer = offerById.get(listing.offerId);
  const skuId = offer?.originSkuId ?? '';
  while (offer && hops.length <= MAX_DEPTH) {
    const open = offer.status === 'active' && (offer.offeredToMerchantId === null || offer.offeredToMerchantId === buyer) && !seen.has(offer.sellerMerchantId);
    hops.push({ sellerMerchantId: offer.sellerMerchantId, buyerMerchantId: buyer, open, offer });
    seen.add(offer.sellerMerchantId);
    buyer = offer.sellerMerchantId;
    offer = offer.upstreamOfferId ? offerById.get(offer.upstreamOfferId) : undefined;
  }
  return { skuId, hops };
}
