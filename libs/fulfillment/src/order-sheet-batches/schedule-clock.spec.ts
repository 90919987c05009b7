import fc from 'fast-check';
import { nextCutAt, normalizeScheduleTimes } from './schedule-clock';

const SHANGHAI = 'Asia/Shanghai';
const at = (iso: string) => new Date(iso);

describe('the order-sheet schedule clock', () => {
  const times = ['10:00', '14:00', '18:00'];

  it('finds the next time of day on the Shanghai wall clock', () => {
    // 09:59 Shanghai = 01:59 UTC.
    expect(nextCutAt(times, SHANGHAI, at('2026-12-02T01:59:00Z'))).toEqual(at('2026-12-02T02:00:00Z'));
    // Exactly 10:00 has come: the next is 14:00.
    expect(nextCutAt(times, SHANGHAI, at('2026-12-02T02:00:00Z'))).toEqual(at('2026-12-02T06:00:00Z'));
    // After 18:00 Shanghai: tomorrow's 10:00.
    expect(nextCutAt(times, SHANGHAI, at('2026-12-02T10:00:01Z'))).toEqual(at('2026-12-03T02:00:00Z'));
    // Shanghai's midnight is 16:00 UTC the day before.
    expect(nextCutAt(['00:30'], SHANGHAI, at('2026-12-01T16:10:00Z'))).toEqual(at('2026-12-01T16:30:00Z'));
  });

  it('has no next time without times', () => {
    expect(nextCutAt([], SHANGHAI, new Date())).toBeNull();
  });

  it('follows a zone across its daylight-saving change', () => {
    // Berlin: 29 March 2026 the clocks go from 02:00 to 03:00 (UTC+1 → UTC+2).
    expect(nextCutAt(['10:00'], 'Europe/Berlin', at('2026-03-28T12:00:00Z'))).toEqual(at('2026-03-29T08:00:00Z'));
    expect(nextCutAt(['10:00'], 'Europe/Berlin', at('2026-03-27T12:00:00Z'))).toEqual(at('2026-03-28T09:00:00Z'));
    // A time skipped by the jump comes just after it, once.
    const skipped = nextCutAt(['02:30'], 'Europe/Berlin', at('2026-03-28T12:00:00Z'))!;
    expect(skipped.getTime()).toBeGreaterThan(at('2026-03-29T00:59:00Z').getTime());
    expect(skipped.getTime()).toBeLessThanOrEqual(at('2026-03-29T01:30:00Z').getTime());
  });

  it('always answers a later instant, with no scheduled time skipped in between (property)', () => {
    const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.uniqueArray(time, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(SHANGHAI, 'UTC', 'America/New_York', 'Asia/Kolkata'),
        fc.date({ min: at('2025-01-01T00:00:00Z'), max: at('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        (schedule, zone, after) => {
          const next = nextCutAt(schedule, zone, after)!;
          expect(next.getTime()).toBeGreaterThan(after.getTime());
          expect(next.getTime() - after.getTime()).toBeLessThanOrEqual(26 * 3600_000);
          // Each minute in between shows no scheduled time on the zone's clock.
          const clock = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' });
          const firstMinute = Math.floor(after.getTime() / 60_000) * 60_000 + 60_000;
          for (let minute = firstMinute; minute < next.getTime(); minute += 60_000) expect(schedule).not.toContain(clock.format(new Date(minute)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('validates and sorts the times', () => {
    expect(normalizeScheduleTimes(['18:00', '10:00', '14:00'])).toEqual({ times: ['10:00', '14:00', '18:00'] });
    expect(normalizeScheduleTimes([])).toEqual({ times: [] });
    expect(normalizeScheduleTimes(['10:00', '25:00'])).toEqual({ field: 'times[1]', reason: expect.stringContaining('HH:MM') });
    expect(normalizeScheduleTimes(['9:00'])).toEqual({ field: 'times[0]', reason: expect.any(String) });
    expect(normalizeScheduleTimes(['10:00', '10:00'])).toEqual({ field: 'times[1]', reason: 'appears twice' });
    expect(normalizeScheduleTimes(Array.from({ length: 13 }, (_, i) => `${String(i).padStart(2, '0')}:00`))).toEqual({ field: 'times', reason: expect.stringContaining('12') });
  });
});
