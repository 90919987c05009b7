import { parseYuanText } from '@gongxiao/core';

/**
 * Yuan as people write them in spreadsheets ("1,234.56", "¥1,234.56", "-12.5", "(12.50)", "12元")
 * turned into fen exactly, by reading the digits — never through a floating-point number.
 */
export type YuanParse = { ok: true; fen: bigint } | { ok: false; reason: string };

/** The one yuan reader of every sheet upload (core's), as settlement has always called it. */
export function parseYuan(text: string): YuanParse {
  return parseYuanText(text);
}

/** Fen as a plain decimal string of yuan: 123456n → "1234.56", -5n → "-0.05". */
export function fenToDecimal(fen: bigint): string {
  const negative = fen < 0n;
  const magnitude = negative ? -fen : fen;
  return `${negative ? '-' : ''}${magnitude / 100n}.${String(magnitude % 100n).padStart(2, '0')}`;
}

/** Fen as a number of yuan for a spreadsheet cell (exact enough for display below 2^53 fen). */
export function fenToYuanNumber(fen: bigint | string | number): number {
  return Number(fen) / 100;
}
