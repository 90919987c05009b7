const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** `at` as ISO-8601 wall time of that zone with its offset, e.g. `2026-11-30T23:30:00+08:00`. */
export function zonedIso(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** The first instant of month `period` (`YYYY-MM-01`) in that zone. */
export function startOfPeriod(period: string, timeZone: string): Date {
  const [year, month] = period.split('-').map(Number);
  const guess = Date.UTC(year, month - 1, 1);
  // The zone's offset at that wall time, found by formatting the UTC guess and correcting once (twice across a DST change).
  let instant = guess;
  for (let step = 0; step < 2; step++) {
    const parts = Object.fromEntries(
      formatterFor(timeZone)
        .formatToParts(new Date(instant))
        .map((part) => [part.type, part.value]),
    );
    const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    instant += guess - wall;
  }
  return new Date(instant);
}

/** A timestamp from SQL (text or Date) as ISO-8601 UTC; null stays null. */
export function isoOf(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : new Date(value).toISOString();
}
