import { STATEMENT_LIFECYCLE } from './statement.lifecycle';
import { prepaidCover } from './statement-moves.service';
import { outstanding, statementTotals } from './statement-totals';
import { startOfPeriod, zonedIso } from './zoned-time';

describe('statement lifecycle', () => {
  it('issues, disputes, re-issues, confirms and settles, in that order only', () => {
    expect(STATEMENT_LIFECYCLE.can('draft', 'issued')).toBe(true);
    expect(STATEMENT_LIFECYCLE.can('issued', 'disputed')).toBe(true);
    expect(STATEMENT_LIFECYCLE.can('disputed', 'issued')).toBe(true);
    expect(STATEMENT_LIFECYCLE.can('issued', 'confirmed')).toBe(true);
    expect(STATEMENT_LIFECYCLE.can('confirmed', 'settled')).toBe(true);
    expect(STATEMENT_LIFECYCLE.can('draft', 'confirmed')).toBe(false);
    expect(STATEMENT_LIFECYCLE.can('disputed', 'settled')).toBe(false);
    expect(STATEMENT_LIFECYCLE.can('settled', 'issued')).toBe(false);
    expect(() => STATEMENT_LIFECYCLE.assert('draft', 'confirmed', 'confirm')).toThrow('Cannot confirm a statement that is draft.');
  });
});

describe('statement totals', () => {
  it('carries the opening balance: due is the net charges, closing = opening + due − payments', () => {
    const totals = statementTotals(1000n, { goods: 12000n, shipping: 800n, refunds: 3000n, adjustments: -500n, payments: 4000n });
    expect(totals.due).toBe(9300n);
    expect(totals.closing).toBe(6300n);
  });

  it('a credit month owes nothing more', () => {
    expect(outstanding(-200n, 0n)).toBe(0n);
    expect(outstanding(900n, 400n)).toBe(500n);
  });
});

describe('zoned time', () => {
  it('writes an instant as the payee’s wall time with its offset', () => {
    expect(zonedIso(new Date('2026-11-30T15:30:00Z'), 'Asia/Shanghai')).toBe('2026-11-30T23:30:00+08:00');
    expect(zonedIso(new Date('2026-07-01T00:00:00Z'), 'UTC')).toBe('2026-07-01T00:00:00+00:00');
    expect(zonedIso(new Date('2026-07-01T12:00:00Z'), 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
  });

  it('finds the first instant of a month in a zone', () => {
    expect(startOfPeriod('2026-11-01', 'Asia/Shanghai').toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(startOfPeriod('2026-03-01', 'America/New_York').toISOString()).toBe('2026-03-01T05:00:00.000Z');
  });
});

describe('what a prepaid balance pays of a statement', () => {
  it('pays it all while the balance is not overdrawn', () => {
    expect(prepaidCover(16600n, 0n)).toBe(16600n);
    expect(prepaidCover(16600n, 5000n)).toBe(16600n);
  });

  it('leaves the overdraft to pay', () => {
    expect(prepaidCover(16600n, -800n)).toBe(15800n);
    expect(prepaidCover(16600n, -20000n)).toBe(0n);
  });

  it('pays nothing when nothing is due', () => {
    expect(prepaidCover(0n, 100n)).toBe(0n);
    expect(prepaidCover(-500n, 100n)).toBe(0n);
  });
});
