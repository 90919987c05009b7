import fc from 'fast-check';
import { matchLines, OurLine, TheirLine } from './reconciliation-match';

const our = (orderNumber: string, skuCode: string | null, amount: bigint, quantity = 1): OurLine => ({ orderNumber, skuCode, amount, quantity });
const their = (orderNumber: string, skuCode: string | null, amount: bigint, rowNumber: number): TheirLine => ({ orderNumber, skuCode, amount, quantity: null, rowNumber });

describe('matchLines', () => {
  it('tells matched, amount differs, only ours and only theirs apart', () => {
    const { summary, rows } = matchLines(
      [our('A-1', 'TEA', 1000n), our('A-2', 'TEA', 2000n), our('A-3', 'MUG', 500n)],
      [their('A-1', 'TEA', 1000n, 2), their('A-2', 'TEA', 1990n, 3), their('A-9', 'TEA', 700n, 4)],
    );
    expect(rows.map((row) => [row.orderNumber, row.status, row.difference, row.rowNumber])).toEqual([
      ['A-1', 'matched', 0n, 2],
      ['A-2', 'amount_differs', -10n, 3],
      ['A-3', 'only_ours', null, null],
      ['A-9', 'only_theirs', null, 4],
    ]);
    expect(summary).toEqual({ matched: 1, amountDiffers: 1, onlyOurs: 1, onlyTheirs: 1, oursTotal: 3500n, theirsTotal: 3690n });
  });

  it('keeps the same order with another SKU apart, and matches per order when there is no SKU', () => {
    expect(matchLines([our('A-1', 'TEA', 1n)], [their('A-1', 'MUG', 1n, 2)]).rows.map((row) => row.status)).toEqual(['only_ours', 'only_theirs']);
    expect(matchLines([our('A-1', null, 1n)], [their('A-1', null, 1n, 2)]).rows.map((row) => row.status)).toEqual(['matched']);
  });

  it('accounts for every line once: counts add up and totals are the sums of each side', () => {
    const line = fc.record({ order: fc.constantFrom('A', 'B', 'C', 'D'), sku: fc.constantFrom('X', 'Y'), amount: fc.bigInt({ min: -10000n, max: 10000n }) });
    const unique = (lines: { order: string; sku: string; amount: bigint }[]) => [...new Map(lines.map((item) => [`${item.order}/${item.sku}`, item])).values()];
    fc.assert(
      fc.property(fc.array(line), fc.array(line), (oursRaw, theirsRaw) => {
        const ours = unique(oursRaw).map((item) => our(item.order, item.sku, item.amount));
        const theirs = unique(theirsRaw).map((item, index) => their(item.order, item.sku, item.amount, index + 2));
        const { summary, rows } = matchLines(ours, theirs);
        expect(summary.matched + summary.amountDiffers + summary.onlyOurs).toBe(ours.length);
        expect(summary.matched + summary.amountDiffers + summary.onlyTheirs).toBe(theirs.length);
        expect(rows.length).toBe(ours.length + summary.onlyTheirs);
        expect(rows.filter((row) => row.status === 'matched').every((row) => row.ourAmount === row.theirAmount)).toBe(true);
      }),
    );
  });
});
