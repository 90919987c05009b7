import { landingPeriod, nextPeriod, periodOf, previousPeriod } from './periods';

describe('settlement periods', () => {
  it('takes the month in the merchant’s time zone, not UTC', () => {
    // 2026-11-30 17:30 UTC is already 1 December in Shanghai (UTC+8).
    expect(periodOf(new Date('2026-11-30T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-01');
    expect(periodOf(new Date('2026-11-30T17:30:00Z'), 'UTC')).toBe('2026-11-01');
    expect(periodOf(new Date('2026-12-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-01');
  });

  it('steps over year ends', () => {
    expect(nextPeriod('2026-12-01')).toBe('2027-01-01');
    expect(previousPeriod('2027-01-01')).toBe('2026-12-01');
  });

  it('lands an entry of a closed month in the first open month after it', () => {
    expect(landingPeriod('2026-11-01', new Set())).toBe('2026-11-01');
    expect(landingPeriod('2026-10-01', new Set(['2026-10-01', '2026-11-01']))).toBe('2026-12-01');
  });
});
