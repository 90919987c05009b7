/** What an entry is for. */
export type EntryKind = 'goods' | 'shipping' | 'refund' | 'adjustment' | 'payment' | 'top_up';

/**
 * Which way the money moves between the pair's accounts (TigerBeetle's transfer: one debit account,
 * one credit account, one amount, so every posting balances by construction):
 * - `charge`: the buyer owes more (debit receivable, credit revenue): goods, shipping, a charging adjustment;
 * - `credit`: the buyer owes less (debit revenue, credit receivable): a refund, a crediting adjustment;
 * - `receipt`: money came in from the buyer (debit cash, credit receivable): a payment or a top-up.
 */
export type EntryDirection = 'charge' | 'credit' | 'receipt';

export type LedgerAccount = 'receivable' | 'revenue' | 'cash';

export const ACCOUNTS_OF: Record<EntryDirection, { debit: LedgerAccount; credit: LedgerAccount }> = {
  charge: { debit: 'receivable', credit: 'revenue' },
  credit: { debit: 'revenue', credit: 'receivable' },
  receipt: { debit: 'cash', credit: 'receivable' },
};

/** An entry to post. Amounts are positive minor units; the direction gives the sign. */
export interface NewEntry {
  /** Exactly once: the same source key is one entry however often it is posted (e.g. `shipment:12:line:34:hop:1`). */
  sourceKey: string;
  kind: EntryKind;
  direction: EntryDirection;
  sellerMerchantId: string;
  buyerMerchantId: string;
  currency: string;
  amount: bigint;
  occurredAt: Date;
  channelOrderId?: string | null;
  externalOrderId?: string | null;
  fulfillmentOrderId?: string | null;
  fulfillmentOrderLineId?: string | null;
  channelOrderLineId?: string | null;
  shipmentId?: string | null;
  returnRequestId?: string | null;
  skuId?: string | null;
  skuCode?: string | null;
  quantity?: number | null;
  unitPriceAmount?: bigint | null;
  referencesEntryId?: string | null;
  reason?: string | null;
  memberId?: string | null;
}

/** An entry as stored. */
export interface LedgerEntryRow {
  id: string;
  seller_merchant_id: string;
  buyer_merchant_id: string;
  currency: string;
  debit_account: LedgerAccount;
  credit_account: LedgerAccount;
  amount: string;
  kind: EntryKind;
  source_key: string;
  period: string;
  original_period: string | null;
  statement_id: string;
  occurred_at: string;
  recorded_at: string;
  channel_order_id: string | null;
  external_order_id: string | null;
  fulfillment_order_id: string | null;
  fulfillment_order_line_id: string | null;
  channel_order_line_id: string | null;
  shipment_id: string | null;
  return_request_id: string | null;
  sku_id: string | null;
  sku_code: string | null;
  quantity: number | null;
  unit_price_amount: string | null;
  references_entry_id: string | null;
  reason: string | null;
  member_id: string | null;
}

/** What the entry does to what the buyer owes the seller: + for a charge, − for a credit or a receipt. */
export function signedAmount(row: Pick<LedgerEntryRow, 'debit_account' | 'amount'>): bigint {
  return row.debit_account === 'receivable' ? BigInt(row.amount) : -BigInt(row.amount);
}
