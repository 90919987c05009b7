/**
 * Texts read from a sheet turned into values, each with a reason in plain words when it cannot be:
 * whole numbers, yuan to fen (exactly, by reading the digits), dates on a merchant's wall clock.
 */
export type SheetParse<T> = { ok: true; value: T } | { ok: false; reason: string };

const fold = (text: string) => text.normalize('NFKC').replace(/[\s\u3000]+/g, '');

/** "3", "3.0", "３", " 3 ", "1,000" → 3 / 1000; refuses "3.5", "abc", and values outside [min, max]. */
export function parseSheetInteger(text: string, options: { min?: number; max?: number } = {}): SheetParse<number> {
  const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
  const value = fold(text);
  const match = /^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(0*))?$/.exec(value);
  if (!match) return { ok: false, reason: /^[+-]?[\d,]*\.\d+$/.test(value) ? `"${text}" is not a whole number` : `"${text}" is not a number: write a whole number like 3` };
  const number = Number(`${match[1]}${match[2].replace(/,/g, '')}`);
  if (!Number.isSafeInteger(number)) return { ok: false, reason: `"${text}" is too large` };
  if (number < min) return { ok: false, reason: `${number} is less than ${min}` };
  if (number > max) return { ok: false, reason: `${number} is more than ${max}` };
  return { ok: true, value: number };
}

const YUAN = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;

/**
 * Yuan as people write them ("1,234.56", "¥1,234.56", "-12.5", "(12.50)", "12元") as fen, exactly:
 * the digits are read, never through a floating-point number. More than 2 decimals is refused.
 */
export function parseYuanText(text: string): { ok: true; fen: bigint } | { ok: false; reason: string } {
  let value = fold(text);
  let negative = false;
  if (/^\(.*\)$/.test(value)) {
    negative = true;
    value = value.slice(1, -1);
  }
  value = value.replace(/^([+-]?)(?:¥|￥|CNY|RMB)/i, '$1').replace(/(?:元|CNY|RMB)$/i, '');
  const match = YUAN.exec(value);
  if (value === '' || !match || (match[2] === undefined && !match[3])) return { ok: false, reason: `"${text}" is not an amount: write yuan like 1234.56` };
  const [, sign, whole = '0', decimals = ''] = match;
  if (decimals.length > 2) return { ok: false, reason: `"${text}" has more than 2 decimals: amounts are in yuan to the fen (0.01)` };
  const fen = BigInt(whole.replace(/,/g, '')) * 100n + BigInt(decimals.padEnd(2, '0'));
  return { ok: true, fen: (sign === '-') !== negative ? -fen : fen };
}

/** Yuan text → integer fen ("12.5" → 1250); negative amounts only with `allowNegative`. */
export function parseSheetYuan(text: string, options: { allowNegative?: boolean } = {}): SheetParse<number> {
  const parsed = parseYuanText(text);
  if (!parsed.ok) return parsed;
  if (parsed.fen < 0n && !options.allowNegative) return { ok: false, reason: `"${text}" is negative: write an amount of 0 or more` };
  const fen = Number(parsed.fen);
  if (!Number.isSafeInteger(fen)) return { ok: false, reason: `"${text}" is too large` };
  return { ok: true, value: fen };
}

/** The largest Excel serial date (9999-12-31) and the first one after Excel's phantom 1900-02-29. */
const LAST_SERIAL = 2_958_465;
const FIRST_SERIAL = 61;
const SERIAL_EPOCH_MS = Date.UTC(1899, 11, 30);

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * A date typed or shown in a sheet as an instant on the wall clock of `timeZone`: "2026-12-01",
 * "2026-12-01 10:30" (how the reader shows date cells), "2026/12/1", "2026.12.1", "2026年12月1日",
 * "20261201", optionally with a time "9:05" or "09:05:30", and Excel serial numbers ("46357",
 * "46357.5" for noon). A date without a time is its midnight.
 */
export function parseSheetDate(text: string, timeZone: string): SheetParse<Date> {
  const value = text.normalize('NFKC').trim().replace(/\s+/g, ' ');
  const clock = /^\d+(?:\.\d+)?$/.test(value) && value.length <= 12 && !/^\d{8}$/.test(value) ? serialClock(Number(value)) : textClock(value);
  if (typeof clock === 'string') return { ok: false, reason: `"${text}" ${clock}` };
  const { year, month, day, hour, minute, second } = clock;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    return { ok: false, reason: `"${text}" is not a real date or time` };
  return { ok: true, value: new Date(asUtc - zoneOffsetMs(asUtc, timeZone)) };
}

function serialClock(serial: number): WallClock | string {
  if (serial < FIRST_SERIAL || serial > LAST_SERIAL) return `is not a date: as an Excel date number it must be between ${FIRST_SERIAL} (1900-03-01) and ${LAST_SERIAL}`;
  const at = new Date(SERIAL_EPOCH_MS + Math.round(serial * 86_400) * 1000);
  return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate(), hour: at.getUTCHours(), minute: at.getUTCMinutes(), second: at.getUTCSeconds() };
}

const DATE_TEXT = /^(\d{4})(?:[-/.](\d{1,2})[-/.](\d{1,2})|年(\d{1,2})月(\d{1,2})[日号]?|(\d{2})(\d{2}))(?:[ T](\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/;

function textClock(value: string): WallClock | string {
  const match = DATE_TEXT.exec(value.replace(/([日号])(\d)/, '$1 $2'));
  if (!match) return 'is not a date: write it like 2026-12-01 or 2026-12-01 10:30';
  const [, year, month1, day1, month2, day2, month3, day3, hour = '0', minute = '0', second = '0'] = match;
  return { year: Number(year), month: Number(month1 ?? month2 ?? month3), day: Number(day1 ?? day2 ?? day3), hour: Number(hour), minute: Number(minute), second: Number(second) };
}

const offsetClocks = new Map<string, Intl.DateTimeFormat>();

/** How far `timeZone`'s wall clock is ahead of UTC around the wall-clock instant `wallAsUtc` (two passes settle DST edges). */
function zoneOffsetMs(wallAsUtc: number, timeZone: string): number {
  let clock = offsetClocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    offsetClocks.set(timeZone, clock);
  }
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(clock.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - Math.floor(instant / 1000) * 1000;
  };
  const first = offsetAt(wallAsUtc);
  return offsetAt(wallAsUtc - first);
}
