/**
 * Yuan as people write them in spreadsheets ("1,234.56", "¥1,234.56", "-12.5", "(12.50)", "12元")
 * turned into fen exactly, by reading the digits — never through a floating-point number.
 */
export type YuanParse = { ok: true; fen: bigint } | { ok: false; reason: string };

const YUAN = /^([+-])?(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/;

export function parseYuan(text: string): YuanParse {
  let value = text.normalize('NFKC').replace(/\s+/g, '');
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
