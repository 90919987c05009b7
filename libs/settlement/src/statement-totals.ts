/**
 * A statement's figures, in minor units, each as its effect on what the payer owes the payee:
 * goods and shipping charged, refunds credited (a positive number taken off), adjustments net
 * (charges − credits), payments received. `due` is the month's net charges; the closing balance
 * carries the opening one forward: opening + due − payments.
 */
export interface StatementTotals {
  opening: bigint;
  goods: bigint;
  shipping: bigint;
  refunds: bigint;
  adjustments: bigint;
  payments: bigint;
  due: bigint;
  closing: bigint;
}

export interface EntrySums {
  goods: bigint;
  shipping: bigint;
  refunds: bigint;
  adjustments: bigint;
  payments: bigint;
}

/** The totals from the month's sums and the balance it opened with (the close computes the same in SQL: `TOTALS_SQL`). */
export function statementTotals(opening: bigint, sums: EntrySums): StatementTotals {
  const due = sums.goods + sums.shipping - sums.refunds + sums.adjustments;
  return { opening, ...sums, due, closing: opening + due - sums.payments };
}

/**
 * The sums of `ledger_entry e` grouped by statement, in one pass: the signed amount of an entry is
 * + when it debits the receivable (a charge), − otherwise (a credit or a receipt).
 */
export const ENTRY_SUMS_SQL = `
  coalesce(sum(e.amount) filter (where e.kind = 'goods' and e.debit_account = 'receivable'), 0)
    - coalesce(sum(e.amount) filter (where e.kind = 'goods' and e.debit_account <> 'receivable'), 0) as goods,
  coalesce(sum(e.amount) filter (where e.kind = 'shipping' and e.debit_account = 'receivable'), 0)
    - coalesce(sum(e.amount) filter (where e.kind = 'shipping' and e.debit_account <> 'receivable'), 0) as shipping,
  coalesce(sum(e.amount) filter (where e.kind = 'refund' and e.debit_account = 'revenue'), 0)
    - coalesce(sum(e.amount) filter (where e.kind = 'refund' and e.debit_account = 'receivable'), 0) as refunds,
  coalesce(sum(e.amount) filter (where e.kind = 'adjustment' and e.debit_account = 'receivable'), 0)
    - coalesce(sum(e.amount) filter (where e.kind = 'adjustment' and e.debit_account = 'revenue'), 0) as adjustments,
  coalesce(sum(e.amount) filter (where e.debit_account = 'cash'), 0) as payments`;

/** What is left to pay on a statement (never below 0). */
export function outstanding(due: bigint, paid: bigint): bigint {
  return due > paid ? due - paid : 0n;
}
