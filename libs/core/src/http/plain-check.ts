/**
 * Building blocks of the `acceptsAsIs` checks (see AcceptsAsIs in validation.ts): each answers true
 * only where class-validator's decorator would too, and false whenever in doubt.
 */

/** No surrogates, variation selectors or NUL: the string's length is the one class-validator counts. */
const PLAIN_TEXT = /^[^\u0000\uD800-\uDFFF\uFE0E\uFE0F]*$/;

/** An object as JSON.parse makes it (no class instance, no array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A string of `min` to `max` characters, as @IsString() @Length(min, max) counts them. */
export function isPlainText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max && PLAIN_TEXT.test(value);
}

/** An integer from `min` to `max`, as @IsInt() @Min(min) @Max(max). */
export function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** Every field of the object is one of `checks` and passes it. */
export function fieldsPass(record: Record<string, unknown>, checks: Record<string, (value: unknown) => boolean>): boolean {
  for (const field in record) if (!Object.hasOwn(checks, field) || !checks[field](record[field])) return false;
  return true;
}
