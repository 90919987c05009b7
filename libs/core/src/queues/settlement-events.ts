/**
 * The facts settlement is fed with. Each event carries everything settlement records, so that it
 * reads no table of fulfillment or after-sales. Amounts are integer minor units as decimal strings.
 */

/** One hop of a line's chain as frozen at routing: hop 0 is the distributor's purchase, the last the origin supplier's sale. */
export interface SettlementHopFact {
  hopIndex: number;
  sellerMerchantId: string;
  buyerMerchantId: string;
  unitPriceAmount: string;
  /** The seller's shipping fee per parcel at this hop ("0" when it charges none). */
  shippingFeeAmount: string;
  currency: string;
  /**
   * Trial sale (五折试销): of the units this fact is about (a parcel's, a cancellation's), how many
   * cost `trialUnitPriceAmount` instead of `unitPriceAmount` at this hop. Absent: none.
   */
  trialUnits?: number;
  trialUnitPriceAmount?: string;
}

/** Units of lines shipped in one parcel, written in the shipment's transaction. */
export interface ShipmentRecordedPayload {
  shipmentId: string;
  fulfillmentOrderId: string;
  supplierMerchantId: string;
  /** ISO-8601: when the parcel was recorded as shipped. */
  shippedAt: string;
  carrierCode: string;
  trackingNumber: string;
  lines: {
    fulfillmentOrderLineId: string;
    channelOrderId: string;
    channelOrderLineId: string;
    /** The shop's own order number. */
    externalOrderId: string;
    skuId: string;
    skuCode: string;
    /** Units of this line in this parcel. */
    quantity: number;
    hops: SettlementHopFact[];
  }[];
}

/** A return case's refund, per line and hop, written in the refund's transaction. */
export interface RefundRecordedPayload {
  returnRequestId: string;
  /** 1 for a case's first refund, 2… for each top-up (absent on events written before top-ups: 1). */
  refundNo?: number;
  channelOrderId: string;
  externalOrderId: string;
  refundedAt: string;
  refunds: {
    fulfillmentOrderId: string;
    fulfillmentOrderLineId: string;
    channelOrderLineId: string;
    skuId: string;
    skuCode: string;
    /** Units of the line the case covers. */
    quantity: number;
    hopIndex: number;
    sellerMerchantId: string;
    buyerMerchantId: string;
    amount: string;
    currency: string;
  }[];
}

/** Units cancelled before they shipped, written in the cancellation's transaction. */
export interface FulfillmentLinesCancelledPayload {
  /** Unique per cancellation (the same key twice is one release). */
  cancellationKey: string;
  channelOrderId: string;
  lines: {
    fulfillmentOrderLineId: string;
    channelOrderLineId: string;
    quantity: number;
    /** Per hop, how many of the cancelled units were trial units (absent: none at any hop). */
    trialUnits?: { hopIndex: number; units: number }[];
  }[];
}

/** A buyer's funds with a seller grew. */
export interface FundsAddedPayload {
  sellerMerchantId: string;
  buyerMerchantId: string;
  currency: string;
}
