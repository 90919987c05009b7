/** What routing asks settlement to hold for one shop order: every hop of every line, at its frozen price. */
export interface HoldRequest {
  channelOrderId: string;
  lines: {
    channelOrderLineId: string;
    quantity: number;
    hops: {
      hopIndex: number;
      sellerMerchantId: string;
      buyerMerchantId: string;
      unitPriceAmount: string;
      currency: string;
      /** Of the line's units, how many this hop's buyer takes at its trial price (五折试销); absent: none. */
      trialUnits?: number;
      trialUnitPriceAmount?: string;
    }[];
  }[];
}

/** Why an order could not be held: the first hop whose buyer lacks funds with its seller. */
export interface FundsShortfall {
  channelOrderId: string;
  sellerMerchantId: string;
  buyerMerchantId: string;
  currency: string;
  /**
   * What this order needs at that hop, what the buyer had left (0 when overdrawn), and what a top-up
   * must bring for it to fit: the difference, plus an overdrawn balance's debt (minor units).
   */
  requiredAmount: string;
  availableAmount: string;
  shortfallAmount: string;
}
