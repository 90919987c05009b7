/**
 * Matching our statement against the counterparty's, line by line: both sides keyed by
 * (order number, SKU code), amounts in fen as signed in our ledger (what the buyer owes).
 */
export type MatchStatus = 'matched' | 'amount_differs' | 'only_ours' | 'only_theirs';

export interface OurLine {
  orderNumber: string;
  /** Null when the mapping has no SKU column: then lines are matched per order. */
  skuCode: string | null;
  amount: bigint;
  quantity: number;
}

export interface TheirLine {
  orderNumber: string;
  skuCode: string | null;
  amount: bigint;
  quantity: number | null;
  /** The row of the uploaded file. */
  rowNumber: number;
}

export interface MatchRow {
  orderNumber: string;
  skuCode: string | null;
  status: MatchStatus;
  ourAmount: bigint | null;
  theirAmount: bigint | null;
  /** Theirs − ours, when both have the line. */
  difference: bigint | null;
  ourQuantity: number | null;
  theirQuantity: number | null;
  rowNumber: number | null;
}

export interface MatchSummary {
  matched: number;
  amountDiffers: number;
  onlyOurs: number;
  onlyTheirs: number;
  oursTotal: bigint;
  theirsTotal: bigint;
}

const keyOf = (line: { orderNumber: string; skuCode: string | null }) => `${line.orderNumber}\u0000${line.skuCode ?? ''}`;

/** Ours and theirs side by side: our lines in their order, then the lines only they have, in file order. */
export function matchLines(ours: OurLine[], theirs: TheirLine[]): { summary: MatchSummary; rows: MatchRow[] } {
  const theirsByKey = new Map(theirs.map((line) => [keyOf(line), line]));
  const rows: MatchRow[] = [];
  const seen = new Set<string>();
  for (const our of ours) {
    const key = keyOf(our);
    seen.add(key);
    const their = theirsByKey.get(key);
    rows.push({
      orderNumber: our.orderNumber,
      skuCode: our.skuCode,
      status: !their ? 'only_ours' : their.amount === our.amount ? 'matched' : 'amount_differs',
      ourAmount: our.amount,
      theirAmount: their?.amount ?? null,
      difference: their ? their.amount - our.amount : null,
      ourQuantity: our.quantity,
      theirQuantity: their?.quantity ?? null,
      rowNumber: their?.rowNumber ?? null,
    });
  }
  for (const their of theirs) {
    if (seen.has(keyOf(their))) continue;
    rows.push({
      orderNumber: their.orderNumber,
      skuCode: their.skuCode,
      status: 'only_theirs',
      ourAmount: null,
      theirAmount: their.amount,
      difference: null,
      ourQuantity: null,
      theirQuantity: their.quantity,
      rowNumber: their.rowNumber,
    });
  }
  const count = (status: MatchStatus) => rows.filter((row) => row.status === status).length;
  return {
    summary: {
      matched: count('matched'),
      amountDiffers: count('amount_differs'),
      onlyOurs: count('only_ours'),
      onlyTheirs: count('only_theirs'),
      oursTotal: ours.reduce((sum, line) => sum + line.amount, 0n),
      theirsTotal: theirs.reduce((sum, line) => sum + line.amount, 0n),
    },
    rows,
  };
}
