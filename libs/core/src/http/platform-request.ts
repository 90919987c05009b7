import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { OutgoingAllowList } from '../outgoing/allow-list';
import { guardedAgents } from '../outgoing/guarded-lookup';
import { BLOCKED_DESTINATION, outgoingUrlRefusal } from '../outgoing/outgoing-url';
import { ENDPOINT_BLOCKED, ENDPOINT_UNREACHABLE } from './signed-post';

/** What a platform call came to: its answer (any status) with the body as text, or why there was none. */
export type PlatformResponse = { ok: true; statusCode: number; body: string } | { ok: false; statusCode: number | null; error: string; detail?: string; blocked?: boolean };

/** Answers larger than this are cut off (a platform's answer is a few kilobytes). */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * One call to a platform's API (Shopify Admin, WooCommerce REST, Youzan open API) through the guarded
 * outgoing path: the URL checked against the allow-list, every name checked as it resolves, redirects
 * never followed, the whole call bounded by `timeoutMs`. Never throws. `ok` means an HTTP answer came
 * back (2xx: `statusCode` says which); the caller reads the platform's own error codes from the body.
 */
export function platformRequest(method: string, url: string, headers: Record<string, string>, body: string | null, timeoutMs: number, allow: OutgoingAllowList): Promise<PlatformResponse> {
  const refusal = outgoingUrlRefusal(url, allow);
  if (refusal) return Promise.resolve({ ok: false, statusCode: null, error: ENDPOINT_BLOCKED, detail: `the URL ${refusal}`, blocked: true });
  const target = new URL(url);
  const agents = guardedAgents(allow);
  const allHeaders: Record<string, string> = { 'user-agent': 'Gongxiao/1', ...headers };
  if (body !== null) allHeaders['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const finish = (outcome: PlatformResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const request = send(target, { method, headers: allHeaders, agent: agents[target.protocol as 'http:' | 'https:'] }, (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) return request.destroy(new Error(`answer larger than ${MAX_ANSWER_BYTES} bytes`));
        chunks.push(chunk);
      });
      response.on('end', () => finish({ ok: true, statusCode: status, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', (error) => finish({ ok: false, statusCode: status, error: `${ENDPOINT_UNREACHABLE} (it answered HTTP ${status}, then broke off)`, detail: error.message }));
    });
    const timer = setTimeout(() => request.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'timeout' })), timeoutMs);
    request.on('error', (error: Error & { code?: string }) => {
      if (error.code === BLOCKED_DESTINATION) return finish({ ok: false, statusCode: null, error: ENDPOINT_BLOCKED, detail: error.message, blocked: true });
      finish({ ok: false, statusCode: null, error: ENDPOINT_UNREACHABLE, detail: error.code ? `${error.code}: ${error.message}` : error.message });
    });
    request.end(body ?? undefined);
  });
}
