/** What routing asks settlement to hold for one shop order: every hop of every line, at its frozen price. */
export interface HoldRequest {
  channelOrderId: string;
  lines: {
    channelOrderLineId: string;
    quantity: number;
    hops: { hopIndex: number; sellerMerchantId: string; buyerMerchantId: string; unitPriceAmount: string; currency: string }[];
  }[];
}

/** Why an order could not be held: the first hop whose buyer lacks funds with its seller. */
export interface FundsShortfall {
  channelOrderId: string;
  sellerMerchantId: string;
  buyerMerchantId: string;
  currency: string;
  /**
   * What this order needs at that hop, what the buyer had left (never below 0), and what it must
   * add to fit (minor units): more than required − available when the buyer already owes beyond its
   * funds (a prepaid balance overdrawn by earlier charges, credit used past its limit).
   */
  requiredAmount: string;
  availableAmount: string;
  shortfallAmount: string;
}
