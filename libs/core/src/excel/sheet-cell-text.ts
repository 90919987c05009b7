import ExcelJS from 'exceljs';

/**
 * A cell's value as the text a person sees in it, before folding: numbers as Excel shows them in
 * the General format (15 significant digits, never "1e+21"), dates as "YYYY-MM-DD" or
 * "YYYY-MM-DD HH:mm" on the wall clock Excel shows, booleans as TRUE/FALSE, rich text joined,
 * formulas as their cached result, errors as their code (#N/A).
 */
export function sheetCellText(value: ExcelJS.CellValue, numberFormat?: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return isDateFormat(numberFormat) ? sheetDateText(serialToWallClock(value)) : sheetNumberText(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return sheetDateText(value);
  if ('richText' in value) return value.richText.map((part) => part.text ?? '').join('');
  if ('formula' in value || 'sharedFormula' in value) return sheetCellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, numberFormat);
  if ('text' in value) return String(value.text ?? '');
  if ('error' in value) return String(value.error);
  return '';
}

/** Excel keeps 15 significant digits: an integer of 16 or more digits typed as a number has lost its last ones. */
export const isRoundedNumber = (value: ExcelJS.CellValue): boolean => {
  const number = typeof value === 'number' ? value : value !== null && typeof value === 'object' && 'result' in value && typeof value.result === 'number' ? value.result : undefined;
  return number !== undefined && Math.abs(number) >= 1e15;
};

/** A number as Excel's General format shows it: at most 15 significant digits, plain decimals, no exponent. */
export function sheetNumberText(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const plain = String(value);
  if (!plain.includes('e') && plain.replace(/^-?[0.]*/, '').replace('.', '').length <= 15) return plain;
  const [mantissa, exponentText] = value.toExponential(14).split('e');
  const exponent = Number(exponentText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace(/^-/, '').replace('.', '').replace(/0+$/, '') || '0';
  let text: string;
  if (exponent >= digits.length - 1) text = digits + '0'.repeat(exponent - digits.length + 1);
  else if (exponent >= 0) text = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  else text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  return negative ? `-${text}` : text;
}

/** A Date whose UTC fields are the wall clock (as exceljs reads date cells): "YYYY-MM-DD", with " HH:mm" (and ":ss") when it has a time. */
export function sheetDateText(date: Date): string {
  const at = new Date(Math.round(date.getTime() / 1000) * 1000);
  if (Number.isNaN(at.getTime())) return '';
  const pad = (number: number) => String(number).padStart(2, '0');
  const day = `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}`;
  const [hours, minutes, seconds] = [at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds()];
  if (hours === 0 && minutes === 0 && seconds === 0) return day;
  return `${day} ${pad(hours)}:${pad(minutes)}${seconds === 0 ? '' : `:${pad(seconds)}`}`;
}

function serialToWallClock(serial: number): Date {
  return new Date(Math.round((serial - 25569) * 86_400_000));
}

/** Excel's test for a date format: y m d h s (or b) outside quotes and brackets. */
export function isDateFormat(format: string | undefined): boolean {
  if (!format) return false;
  return /[ymdhsb]/i.test(
    format
      .replace(/\[[^\]]*]/g, '')
      .replace(/"[^"]*"/g, '')
      .replace(/\\./g, ''),
  );
}
