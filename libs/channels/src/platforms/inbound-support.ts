import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { CURRENCIES, Currency, decimalToMinorUnits, DomainError, LosslessJson, parseLosslessJson } from '@gongxiao/core';
import { InboundHeaders } from './platform-adapter';

/** Small readers shared by the platform adapters: headers, signatures, lossless values, money, addresses. */

export type JsonObject = { [key: string]: LosslessJson };

/** One header's value (the first when repeated); undefined when absent or empty. */
export function headerOf(headers: InboundHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first === '' ? undefined : first;
}

export function unauthenticated(code: string, message: string): DomainError {
  return new DomainError('unauthenticated', code, message);
}

/** Equal strings, compared in constant time (lengths may differ: then false, still without a short cut on content). */
export function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** base64 HMAC-SHA256 of the raw body (Shopify's X-Shopify-Hmac-Sha256, WooCommerce's X-WC-Webhook-Signature). */
export function hmacBase64(secret: string, rawBody: Buffer): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

export function md5Hex(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

/** The body read without loss; a truncated or malformed document is a 400 (after the signature was checked). */
export function readJsonBody(rawBody: Buffer | string, what: string): LosslessJson {
  try {
    return parseLosslessJson(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  } catch (error) {
    throw new DomainError('invalid', 'invalid_json', `${what} is not a whole JSON document: ${(error as Error).message}.`);
  }
}

export function objectOf(value: LosslessJson | undefined): JsonObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : undefined;
}

export function arrayOf(value: LosslessJson | undefined): LosslessJson[] {
  return Array.isArray(value) ? value : [];
}

/** A string or a number's source text ("2873491203477823746" stays exact); undefined for anything else or "". */
export function textOf(value: LosslessJson | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** A payload that is not what this platform sends for the topic: a 400 naming the field. */
export function notThisPlatform(platform: string, field: string, reason: string): DomainError {
  return new DomainError('invalid', 'platform_payload_invalid', `This is not a ${platform} payload Gongxiao can read: ${field} ${reason}.`, [{ field, reason }]);
}

/** A signed payload that cannot be read at all (a message inside it truncated): answered 400, never recorded as refused. */
export class UnreadablePayloadError extends DomainError {
  constructor(platform: string, field: string, reason: string) {
    super('invalid', 'platform_payload_invalid', `This is not a ${platform} payload Gongxiao can read: ${field} ${reason}.`, [{ field, reason }]);
  }
}

export function required(platform: string, value: string | undefined, field: string): string {
  if (value === undefined) throw notThisPlatform(platform, field, 'is missing');
  return value;
}

/** A currency Gongxiao takes, or a 422 saying which it takes. */
export function currencyOf(code: string | undefined, field: string): Currency {
  const upper = (code ?? '').toUpperCase();
  if ((CURRENCIES as readonly string[]).includes(upper)) return upper as Currency;
  throw new DomainError('unprocessable', 'unsupported_currency', `The order is in ${code ?? 'no currency'}; Gongxiao takes ${CURRENCIES.join(', ')}.`, [
    { field, reason: `must be one of ${CURRENCIES.join(', ')}` },
  ]);
}

/** A decimal amount ("199.00", or a JSON number's text) in minor units, exactly; a 422 when it is not a plain amount. */
export function minorUnits(value: LosslessJson | undefined, field: string): number {
  const text = textOf(value);
  const units = text === undefined ? null : decimalToMinorUnits(text);
  if (units === null || units < 0n || units > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DomainError('unprocessable', 'invalid_amount', `${field} must be a plain non-negative amount such as "199.00", not ${JSON.stringify(value ?? null)}.`, [
      { field, reason: 'not a plain amount with at most two decimals' },
    ]);
  }
  return Number(units);
}

/** Like minorUnits, but undefined when the field is absent. */
export function optionalMinorUnits(value: LosslessJson | undefined, field: string): number | undefined {
  return textOf(value) === undefined ? undefined : minorUnits(value, field);
}

/** A whole count (quantities): the number's text as an integer, undefined when it is not one. */
export function countOf(value: LosslessJson | undefined): number | undefined {
  const text = textOf(value);
  return text !== undefined && /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/**
 * A district where the platform has no field for one (Shopify, WooCommerce): the first "…区/县/旗"
 * in the address lines, else the city (the address normalizer in ingest finds what it can from there).
 */
export function districtFrom(city: string, ...lines: (string | undefined)[]): string {
  for (const line of lines) {
    const match = line ? /[\u4e00-\u9fa5]{1,8}?(?:区|县|旗)/.exec(line) : null;
    if (match) return match[0];
  }
  return city;
}

/** The order's amounts, with `total` only when goods + shipping − discount is exactly what the platform says was paid. */
export function reconciledAmounts(goods: number, shipping: number | undefined, discount: number | undefined, total: number | undefined): InboundAmounts {
  const amounts: InboundAmounts = {};
  if (shipping !== undefined) amounts.shipping = shipping;
  if (discount !== undefined) amounts.discount = discount;
  if (total !== undefined && goods + (shipping ?? 0) - (discount ?? 0) === total) amounts.total = total;
  return amounts;
}

export type InboundAmounts = { shipping?: number; discount?: number; total?: number };

/** Text cut to a field's limit (titles, remarks), without splitting a surrogate pair. */
export function clip(text: string | undefined, max: number): string | undefined {
  if (text === undefined) return undefined;
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max).join('');
}

/**
 * A phone as platforms write it, in the form a push takes: the extension ("x123", "ext. 4", "转 8")
 * dropped, then only digits and a leading + kept ("+1 (555) 555-5555" → "+15555555555"); "" when none has a digit.
 */
export function normalizedPhone(text: string | undefined): string {
  if (!text) return '';
  const withoutExtension = text.replace(/\s*(?:;\s*)?(?:x|ext\.?|extension|#|转|分机)\s*\d+\s*$/i, '');
  const digits = withoutExtension.replace(/\D/g, '');
  if (digits === '') return '';
  return `${/^\s*\+/.test(withoutExtension) ? '+' : ''}${digits}`;
}

/** The first of these phones (shipping, order, customer, billing…) that has a number, normalized; "" when none has. */
export function firstPhone(...candidates: (string | undefined)[]): string {
  for (const candidate of candidates) {
    const phone = normalizedPhone(candidate);
    if (phone) return phone;
  }
  return '';
}

/** A person's name from first and last name fields: "张三" when written in Chinese (family name first), "Jane Doe" otherwise. */
export function personName(first: string | undefined, last: string | undefined, fallback?: string): string {
  if (!first && !last) return fallback ?? '';
  const cjk = /^[\u3400-\u9fff·]+$/;
  if ((!first || cjk.test(first)) && (!last || cjk.test(last))) return `${last ?? ''}${first ?? ''}`;
  return [first, last].filter(Boolean).join(' ');
}

/** `{countryCode}` when the platform gave an ISO 3166-1 alpha-2 code, else nothing (the address is then taken as Chinese). */
export function countryCodeOf(code: string | undefined): { countryCode?: string } {
  return code && /^[A-Za-z]{2}$/.test(code) ? { countryCode: code.toUpperCase() } : {};
}
