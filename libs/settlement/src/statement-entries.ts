import { EntityManager } from '@mikro-orm/postgresql';
import { money } from '@gongxiao/core';
import { LedgerEntryRow, signedAmount } from './ledger-entry.types';
import { timeZonesOf } from './periods';
import { monthOf } from './statement-access';
import { EntryResponseDto } from './settlement.dto';
import { zonedIso } from './zoned-time';

/** Columns of an entry line (what `presentEntries` reads). */
export const ENTRY_COLUMNS = `e.id::text, e.seller_merchant_id::text, e.buyer_merchant_id::text, e.currency, e.debit_account, e.credit_account, e.amount::text, e.kind,
  to_char(e.period, 'YYYY-MM-DD') as period, to_char(e.original_period, 'YYYY-MM-DD') as original_period, e.statement_id::text, e.occurred_at, e.external_order_id,
  e.fulfillment_order_id::text, e.return_request_id::text, e.sku_code, e.quantity, e.unit_price_amount::text, e.references_entry_id::text, e.reason, e.member_id::text`;

/**
 * Entry lines as either party sees them: the time in the payee's zone, the amount signed (+ owed
 * more, − owed less). Both parties of a hop see the same hop price; no other hop's.
 */
export async function presentEntries(em: EntityManager, _merchantId: string, rows: Pick<LedgerEntryRow, keyof LedgerEntryRow>[] | LedgerEntryRow[]): Promise<EntryResponseDto[]> {
  const zones = await timeZonesOf(
    em,
    rows.map((row) => String(row.seller_merchant_id)),
  );
  return rows.map((row) => ({
    id: String(row.id),
    statementId: String(row.statement_id),
    kind: row.kind,
    occurredAt: zonedIso(new Date(row.occurred_at), zones.get(String(row.seller_merchant_id))!),
    period: monthOf(row.period),
    originalPeriod: row.original_period ? monthOf(row.original_period) : null,
    amount: money(signedAmount(row), row.currency),
    externalOrderId: row.external_order_id ?? null,
    fulfillmentOrderId: row.fulfillment_order_id ? String(row.fulfillment_order_id) : null,
    returnRequestId: row.return_request_id ? String(row.return_request_id) : null,
    skuCode: row.sku_code ?? null,
    quantity: row.quantity ?? null,
    unitPrice: row.unit_price_amount === null || row.unit_price_amount === undefined ? null : money(row.unit_price_amount, row.currency),
    referencesEntryId: row.references_entry_id ? String(row.references_entry_id) : null,
    reason: row.reason ?? null,
    memberId: row.member_id ? String(row.member_id) : null,
  }));
}
