import { instantOf } from '../order-sheet-batches/schedule-clock';

/**
 * The clock of made-to-order runs: cut-offs at a time of day on chosen ISO weekdays on the
 * supplier's wall clock, and the dates a confirmed run promises. Pure, so routing, the sweep, the
 * spec and a fake clock agree.
 */

const DAY = 86_400_000;
const dayFormatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day `at` falls on in `timeZone`, as UTC midnight of that date. */
export function wallDayOf(at: Date, timeZone: string): number {
  let formatter = dayFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayFormatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(at).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year, parts.month - 1, parts.day);
}

/** ISO weekday (1 Monday … 7 Sunday) of a day given as UTC midnight. */
function isoWeekdayOf(day: number): number {
  return ((new Date(day).getUTCDay() + 6) % 7) + 1;
}

/**
 * The next `count` cut-offs strictly after `after`: each weekday of `weekdays` at `time` in
 * `timeZone`, in time order. A time skipped by a daylight-saving jump lands just after the jump.
 */
export function nextCutoffs(weekdays: readonly number[], time: string, timeZone: string, after: Date, count: number): Date[] {
  const wanted = new Set(weekdays);
  if (wanted.size === 0 || count <= 0) return [];
  const cutoffs: Date[] = [];
  // From the zone's yesterday: its day and the UTC day need not agree near midnight.
  for (let day = wallDayOf(after, timeZone) - DAY; cutoffs.length < count; day += DAY) {
    if (!wanted.has(isoWeekdayOf(day))) continue;
    const instant = instantOf(day, time, timeZone);
    if (instant > after.getTime()) cutoffs.push(new Date(instant));
  }
  return cutoffs;
}

/** 'YYYY-MM-DD' of a day given as UTC midnight. */
export function isoDateOf(day: number): string {
  return new Date(day).toISOString().slice(0, 10);
}

/**
 * What confirming a run at `at` promises: the ship date `leadTimeDays` after that day on the
 * supplier's wall clock, and the ship-by that goes with it (the end of that date, i.e. the next
 * midnight there).
 */
export function promisedShipment(at: Date, leadTimeDays: number, timeZone: string): { promisedShipDate: string; shipBy: Date } {
  const day = wallDayOf(at, timeZone) + leadTimeDays * DAY;
  return { promisedShipDate: isoDateOf(day), shipBy: new Date(instantOf(day + DAY, '00:00', timeZone)) };
}
