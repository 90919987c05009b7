import { MAX_AMOUNT } from '@gongxiao/core';

/** A text in both languages a sheet is read in; the handler picks one by the upload's language. */
export interface Localized {
  'zh-CN': string;
  en: string;
}

export const say = (zh: string, en: string): Localized => ({ 'zh-CN': zh, en });

export type CellOutcome<T> = { ok: true; value: T } | { ok: false; reason: Localized };

const ok = <T>(value: T): CellOutcome<T> => ({ ok: true, value });
const bad = (zh: string, en: string): CellOutcome<never> => ({ ok: false, reason: say(zh, en) });

/** The most units of one line, as a push allows. */
export const MAX_LINE_QUANTITY = 100_000;

/**
 * The shop's order number as a push takes it (1–64 visible ASCII characters). A long number that
 * Excel kept as a number arrives in scientific notation with its last digits lost: said so.
 */
export function orderNumberCell(text: string): CellOutcome<string> {
  if (/^\d(\.\d+)?e\+\d+$/i.test(text)) {
    return bad(
      `「${text}」是被 Excel 当成数字保存的长订单号，末尾数字已丢失：请把这一列设为文本格式后重新填写`,
      `"${text}" is a long order number Excel stored as a number, losing its last digits: format the column as text and enter it again`,
    );
  }
  if (!/^[\x21-\x7e]{1,64}$/.test(text)) return bad('只能是 1–64 个英文字母、数字或符号（不含空格和中文）', 'must be 1–64 visible ASCII characters (letters, digits, symbols; no spaces)');
  return ok(text);
}

/**
 * A mainland phone number: an 11-digit mobile (spaces, dashes and a leading +86/0086 removed) or a
 * landline with its area code (0571-88886666, (010)12345678, 021 1234 5678, with an extension after
 * -, 转 or #). Mobiles come back as 11 digits, landlines as area-number[-extension].
 */
export function phoneCell(text: string): CellOutcome<string> {
  const compact = text.replace(/[\s\u3000()（）]/g, '');
  const digits = compact.replace(/-/g, '');
  const mobile = /^(?:\+?86|0086)?(1[3-9]\d{9})$/.exec(digits);
  if (mobile) return ok(mobile[1]);
  // Area codes: 010 and 02x have three digits, all others four; local numbers do not start with 0.
  const national = compact.replace(/^(?:\+86|0086)-?(?=[1-9])/, '0');
  const landline = /^(0(?:10|2\d|[3-9]\d{2}))-?([1-9]\d{6,7})(?:(?:-|转|#|ext\.?)(\d{1,6}))?$/i.exec(national);
  if (landline) return ok(`${landline[1]}-${landline[2]}${landline[3] ? `-${landline[3]}` : ''}`);
  if (/^[2-9]\d{6,10}$/.test(digits)) {
    return bad(
      `「${text}」不是 11 位手机号；座机要带区号（例如 0571-88886666），若区号的 0 丢了，请把这一列设为文本格式`,
      `"${text}" is not an 11-digit mobile number; a landline needs its area code (e.g. 0571-88886666): if the leading 0 was lost, format the column as text`,
    );
  }
  return bad(`「${text}」不是手机号（11 位）或带区号的座机号`, `"${text}" is neither an 11-digit mobile number nor a landline with its area code`);
}

/** Whole units, at least 1 ("2" or "2.0" as Excel may write it). */
export function quantityCell(text: string): CellOutcome<number> {
  const match = /^(\d+)(?:\.0+)?$/.exec(text.replace(/[\s,]|件$/g, ''));
  if (!match) return bad(`「${text}」不是整数件数`, `"${text}" is not a whole number of units`);
  const quantity = Number(match[1]);
  if (quantity < 1) return bad('至少为 1', 'must be at least 1');
  if (quantity > MAX_LINE_QUANTITY) return bad(`最多 ${MAX_LINE_QUANTITY}`, `must be at most ${MAX_LINE_QUANTITY}`);
  return ok(quantity);
}

/**
 * A price in yuan ("59.9", "¥1,234.50", "59.90元") as integer fen, exactly: the text is read as
 * decimal digits, never through a float, except for a number Excel computed with a binary
 * rounding tail (59.900000000000006), which is taken to the fen it plainly means.
 */
export function yuanCell(text: string): CellOutcome<number> {
  const plain = text.replace(/^[¥￥]|元$|[\s,]/g, '');
  const exact = /^(\d{1,14})(?:\.(\d{1,2}))?$/.exec(plain);
  let fen: number | null = null;
  if (exact) fen = Number(exact[1]) * 100 + Number((exact[2] ?? '').padEnd(2, '0'));
  else if (/^\d{1,14}\.\d{3,}$/.test(plain)) {
    const scaled = Number(plain) * 100;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-6) fen = Math.round(scaled);
    else return bad(`「${text}」最多两位小数（精确到分）`, `"${text}" has more than two decimals (prices are in fen)`);
  }
  if (fen === null) return bad(`「${text}」不是以元为单位的金额（例如 59.90）`, `"${text}" is not an amount in yuan (e.g. 59.90)`);
  if (fen > MAX_AMOUNT) return bad('金额太大', 'is too large');
  return ok(fen);
}

/**
 * When the order was placed, as an ISO-8601 timestamp with offset. A date and time without an offset
 * ("2026-11-22 10:00", "2026/11/22 10:00:30", "2026年11月22日 10:00", "2026-11-22") is the wall clock
 * of `offset` (the merchant's time zone; Asia/Shanghai is +08:00 all year). A date cell arrives
 * from the reader as "…T…:….000Z": Excel dates carry no zone, so that too is the wall clock.
 */
export function placedAtCell(text: string, offset = '+08:00'): CellOutcome<string> {
  const unzoned = text.replace(/^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\.000Z$/, '$1');
  const zoned = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)(Z|[+-]\d{2}:\d{2})$/.exec(unzoned);
  if (zoned) return checkedTimestamp(`${zoned[1]}T${zoned[2]}${zoned[3]}`, text);
  const local = /^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?(?:[\sT]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/.exec(unzoned);
  if (!local) return bad(`「${text}」不是日期时间（例如 2026-11-22 10:00）`, `"${text}" is not a date and time (e.g. 2026-11-22 10:00)`);
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = local;
  const two = (value: string) => value.padStart(2, '0');
  return checkedTimestamp(`${year}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}${offset}`, text);
}

function checkedTimestamp(iso: string, text: string): CellOutcome<string> {
  const [year, month, day, hour, minute, second] = iso.split(/[-T:.+Z]/).map(Number);
  // "2026-02-30" would roll over into March: a day, hour or minute that does not exist is refused.
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const exists = calendar.getUTCFullYear() === year && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  if (!exists || hour > 23 || minute > 59 || second > 59 || Number.isNaN(Date.parse(iso))) return bad(`「${text}」不是有效的日期时间`, `"${text}" is not a valid date and time`);
  return ok(iso);
}
