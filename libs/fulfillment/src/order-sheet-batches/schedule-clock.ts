/**
 * The clock of an order-sheet schedule: times of day ('HH:MM') on the wall clock of a time zone,
 * and the next instant one of them comes round. Pure, so the cutter, its spec and a fake clock agree.
 */

export const SCHEDULE_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const MAX_SCHEDULE_TIMES = 12;

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockOf(at: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]));
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour, minute: parts.minute, second: parts.second };
}

/**
 * The instant the wall clock of `timeZone` shows `hh:mm` on that day (calendar day as UTC
 * midnight): the UTC guess corrected by the zone's offset, twice across a change of offset. A time
 * skipped by a daylight-saving jump lands just after the jump.
 */
export function instantOf(day: number, time: string, timeZone: string): number {
  const [hour, minute] = time.split(':').map(Number);
  const wanted = day + (hour * 60 + minute) * 60_000;
  let instant = wanted;
  for (let step = 0; step < 2; step++) {
    const wall = wallClockOf(instant, timeZone);
    instant += wanted - Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  }
  return instant;
}

/** The first instant strictly after `after` at which one of `times` comes round in `timeZone`; null for no times. */
export function nextCutAt(times: readonly string[], timeZone: string, after: Date): Date | null {
  if (times.length === 0) return null;
  const wall = wallClockOf(after.getTime(), timeZone);
  const today = Date.UTC(wall.year, wall.month - 1, wall.day);
  let best: number | null = null;
  // Yesterday and tomorrow too: the zone's day and the UTC calendar day need not agree near midnight.
  for (let offset = -1; offset <= 2; offset++) {
    for (const time of times) {
      const instant = instantOf(today + offset * 86_400_000, time, timeZone);
      if (instant > after.getTime() && (best === null || instant < best)) best = instant;
    }
  }
  return best === null ? null : new Date(best);
}

/** The schedule's times, validated: at most 12, each 'HH:MM', none twice; sorted. Returns the problem, or the times. */
export function normalizeScheduleTimes(times: readonly string[]): { times: string[] } | { field: string; reason: string } {
  if (times.length > MAX_SCHEDULE_TIMES) return { field: 'times', reason: `has more than ${MAX_SCHEDULE_TIMES} times` };
  const seen = new Set<string>();
  for (const [index, time] of times.entries()) {
    if (typeof time !== 'string' || !SCHEDULE_TIME.test(time)) return { field: `times[${index}]`, reason: 'must be a time of day HH:MM between 00:00 and 23:59' };
    if (seen.has(time)) return { field: `times[${index}]`, reason: 'appears twice' };
    seen.add(time);
  }
  return { times: [...seen].sort() };
}
