import { parseLosslessJson, PlatformRequestOutcome } from '@gongxiao/core';
import { PlatformCallOutcome } from './platform-adapter';

/** Statuses that may succeed later: throttled, timed out, or the platform's own trouble. */
const RETRIED_STATUSES = new Set([408, 425, 429]);

/** The platform's own words for what went wrong, from the answers Shopify, WooCommerce and Youzan document. */
export function platformMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = parseLosslessJson(body);
  } catch {
    return body.trim() ? body.trim().slice(0, 300) : undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const answer = parsed as Record<string, unknown>;
  // Shopify: {"errors": "…"} or {"errors": {"field": ["…"]}}; WooCommerce: {"code", "message"}; Youzan: {"gw_err_resp": {"err_msg"}} or {"message"}.
  const gateway = answer.gw_err_resp as { err_msg?: unknown; err_code?: unknown } | undefined;
  if (gateway?.err_msg !== undefined) return `${String(gateway.err_msg)} (${String(gateway.err_code)})`;
  if (answer.errors !== undefined) return typeof answer.errors === 'string' ? answer.errors : JSON.stringify(answer.errors).slice(0, 300);
  if (typeof answer.message === 'string') return answer.code !== undefined ? `${answer.message} (${String(answer.code)})` : answer.message;
  return undefined;
}

/** A failed request as a platform call's outcome: retried or not, with the platform's message kept. */
export function failedCall(what: string, outcome: Extract<PlatformRequestOutcome, { ok: false }>): Extract<PlatformCallOutcome, { status: 'failed' }> {
  if (outcome.statusCode === null) return { status: 'failed', retry: !outcome.blocked, statusCode: null, error: `${what}: ${outcome.error}`, detail: outcome.detail };
  const message = platformMessage(outcome.body);
  const retry = outcome.statusCode >= 500 || RETRIED_STATUSES.has(outcome.statusCode);
  return { status: 'failed', retry, statusCode: outcome.statusCode, error: `${what}: ${outcome.error}${message ? `: ${message}` : ''}` };
}

/** A call that can never be made as asked (missing ids, nothing to fulfil): fails for good, saying why. */
export function refusedCall(error: string, statusCode: number | null = null): Extract<PlatformCallOutcome, { status: 'failed' }> {
  return { status: 'failed', retry: false, statusCode, error };
}

/**
 * JSON with the named keys' digit strings written as JSON numbers: platform ids are kept as text
 * (they may exceed 2^53) but Shopify and WooCommerce document them as numbers in request bodies.
 */
export function jsonWithNumericIds(value: unknown, keys: readonly string[]): string {
  const pattern = new RegExp(`"(${keys.join('|')})":"(\\d{1,30})"`, 'g');
  return JSON.stringify(value).replace(pattern, '"$1":$2');
}
