/** Money, dates and times as Chinese merchants read them: ¥1,234.56 from minor units (fen), times in the merchant's time zone. */

const SYMBOLS: Record<string, string> = { CNY: '¥', USD: '$', HKD: 'HK$', EUR: '€' };

/** 123456 fen → "¥1,234.56"; negative amounts as "-¥12.00". Integer arithmetic only (no floating point). */
export function formatMoney(amount: number | null | undefined, currency = 'CNY'): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  const negative = amount < 0;
  const minor = Math.abs(Math.trunc(amount));
  const whole = Math.floor(minor / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(minor % 100).padStart(2, '0');
  const symbol = SYMBOLS[currency] ?? `${currency} `;
  return `${negative ? '-' : ''}${symbol}${whole}.${cents}`;
}

/** "12.34" or "12" (yuan as typed) → 1234 fen; null when it is not an amount with at most two decimals. */
export function parseMoney(text: string): number | null {
  const match = /^\s*(-?)(\d{1,12})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const minor = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] ? -minor : minor;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withTime}`;
  let existing = formatters.get(key);
  if (!existing) {
    existing = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    formatters.set(key, existing);
  }
  return existing;
}

/** "2026-12-01 09:30:00" in the time zone (en-CA gives ISO-like dates). */
export function formatDateTime(at: string | Date | null | undefined, timeZone: string): string {
  if (!at) return '—';
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return '—';
  return formatter(timeZone, true).format(date).replace(', ', ' ');
}

/** "2026-12-01" in the time zone. */
export function formatDate(at: string | Date | null | undefined, timeZone: string): string {
  if (!at) return '—';
  const date = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return '—';
  return formatter(timeZone, false).format(date);
}

/** The offset of a time zone at an instant, in minutes east of UTC (Asia/Shanghai: 480). */
function offsetMinutes(timeZone: string, at: Date): number {
  const parts = formatter(timeZone, true).formatToParts(at);
  const value = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(value('year'), value('month') - 1, value('day'), value('hour') % 24, value('minute'), value('second'));
  return Math.round((asUtc - at.getTime()) / 60_000);
}

/** The instant a local day ("2026-12-01") starts in the time zone, as an ISO string: for date filters. */
export function startOfLocalDay(day: string, timeZone: string): string {
  const guess = new Date(`${day}T00:00:00Z`);
  return new Date(guess.getTime() - offsetMinutes(timeZone, guess) * 60_000).toISOString();
}

/** Whether an instant is a local midnight in the time zone (a day boundary a date filter can show as a day). */
export function isStartOfLocalDay(at: string, timeZone: string): boolean {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return false;
  return new Date(startOfLocalDay(formatDate(date, timeZone), timeZone)).getTime() === date.getTime();
}

/** Today's date ("2026-12-01") in the time zone. */
export function localToday(timeZone: string, now = new Date()): string {
  return formatDate(now, timeZone);
}

/** "2026-12" in the time zone: the merchant's "this month". */
export function localMonth(timeZone: string, now = new Date()): string {
  return localToday(timeZone, now).slice(0, 7);
}
