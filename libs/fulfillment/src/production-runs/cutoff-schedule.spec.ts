import fc from 'fast-check';
import { nextCutoffs, promisedShipment, wallDayOf } from './cutoff-schedule';

const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata'];

function wallClock(at: Date, timeZone: string): { weekday: number; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((part) => [part.type, part.value]),
  );
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
  return { weekday, time: `${parts.hour}:${parts.minute}` };
}

describe('made-to-order cut-off schedule', () => {
  it('Tuesday and Friday at 18:00 in Shanghai: the next three after a Wednesday noon', () => {
    // 2026-12-02 is a Wednesday; 12:00 in Shanghai is 04:00 UTC.
    const cutoffs = nextCutoffs([2, 5], '18:00', 'Asia/Shanghai', new Date('2026-12-02T04:00:00Z'), 3);
    expect(cutoffs.map((cutoff) => cutoff.toISOString())).toEqual(['2026-12-04T10:00:00.000Z', '2026-12-08T10:00:00.000Z', '2026-12-11T10:00:00.000Z']);
  });

  it('a cut-off at the very instant asked about is not "next": the one after it is', () => {
    const at = new Date('2026-12-04T10:00:00Z');
    expect(nextCutoffs([5], '18:00', 'Asia/Shanghai', at, 1)[0].toISOString()).toBe('2026-12-11T10:00:00.000Z');
  });

  it('every cut-off is after the instant, in order, on a chosen weekday at the chosen time, and none is skipped', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        (zone, weekdays, hour, minute, after) => {
          const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          const cutoffs = nextCutoffs(weekdays, time, zone, after, 6);
          expect(cutoffs).toHaveLength(6);
          let previous = after.getTime();
          for (const cutoff of cutoffs) {
            expect(cutoff.getTime()).toBeGreaterThan(previous);
            const wall = wallClock(cutoff, zone);
            expect(weekdays).toContain(wall.weekday);
            // A time a daylight-saving jump skips lands within the hour after it.
            if (wall.time !== time) expect(Math.abs(Number(wall.time.slice(0, 2)) - hour)).toBeLessThanOrEqual(1);
            // Nothing skipped: the next cut-off after the previous one is this one.
            expect(nextCutoffs(weekdays, time, zone, new Date(previous), 1)[0].getTime()).toBe(cutoff.getTime());
            previous = cutoff.getTime();
          }
          // Between two consecutive cut-offs of a daily schedule lie about 24 hours (±1 for DST).
          if (weekdays.length === 7) expect(Math.abs(cutoffs[1].getTime() - cutoffs[0].getTime() - 86_400_000)).toBeLessThanOrEqual(3_600_000);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a confirmed run promises the date lead-time days after its day in the zone, ship-by at the end of that date', () => {
    // Confirmed 2026-12-05 at 23:30 in Shanghai (15:30 UTC): ten days later is 12-15, ship by 12-16 00:00 Shanghai.
    expect(promisedShipment(new Date('2026-12-05T15:30:00Z'), 10, 'Asia/Shanghai')).toEqual({
      promisedShipDate: '2026-12-15',
      shipBy: new Date('2026-12-15T16:00:00Z'),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: 1, max: 90 }),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }),
        (zone, lead, at) => {
          const { promisedShipDate, shipBy } = promisedShipment(at, lead, zone);
          expect(new Date(`${promisedShipDate}T00:00:00Z`).getTime() - wallDayOf(at, zone)).toBe(lead * 86_400_000);
          // The ship-by is the first instant of the next day there: one millisecond before it is still the promised date.
          expect(new Date(wallDayOf(new Date(shipBy.getTime() - 1), zone)).toISOString().slice(0, 10)).toBe(promisedShipDate);
          expect(wallDayOf(shipBy, zone)).toBe(new Date(`${promisedShipDate}T00:00:00Z`).getTime() + 86_400_000);
        },
      ),
      { numRuns: 300 },
    );
  });
});
