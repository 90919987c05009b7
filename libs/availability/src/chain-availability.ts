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
