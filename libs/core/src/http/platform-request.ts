import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { OutgoingAllowList } from '../outgoing/allow-list';
import { guardedAgents } from '../outgoing/guarded-lookup';
import { BLOCKED_DESTINATION, outgoingUrlRefusal } from '../outgoing/outgoing-url';
import { ENDPOINT_BLOCKED, ENDPOINT_UNREACHABLE } from './signed-post';

/**
 * What a call to a platform's API came to. An answer with a status is `ok` when 2xx; any other
 * status is a failure that still carries the platform's answer (`body`, its error message) and
 * status, so the caller decides whether to retry (429, 5xx) or give up (401, 403, 404, 422). A
 * failure below HTTP has `statusCode: null` and one generic `error` (records must not help scan a
 * network); `detail` is for the server log only. `blocked`: a destination outgoing calls may not
 * reach; trying again will not help.
 */
export type PlatformRequestOutcome =
  { ok: true; statusCode: number; body: string } | { ok: false; statusCode: number; error: string; body: string } | { ok: false; statusCode: null; error: string; detail?: string; blocked?: boolean };

export type PlatformRequestMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The most of an answer kept: platform answers are small; a huge one is cut, never held whole. */
export const PLATFORM_ANSWER_LIMIT = 1024 * 1024;

const unreachable = (detail: string): PlatformRequestOutcome => ({ ok: false, statusCode: null, error: ENDPOINT_UNREACHABLE, detail });

/**
 * One call to a platform's API (Shopify Admin, WooCommerce REST, Youzan open API) through the same
 * guards as every outgoing call: the URL is refused before any socket when it points inward, and
 * every name is checked as the socket resolves it (`guardedAgents`, kept-alive). Redirects are never
 * followed (a 3xx is a failure). Never throws. `body` is sent as given (the caller sets its
 * content-type); the answer is read as UTF-8 text, at most PLATFORM_ANSWER_LIMIT bytes. The time
 * allowed counts from when the request has a socket, and never more than twice over in all.
 */
export async function platformRequest(
  method: PlatformRequestMethod,
  url: string,
  headers: Record<string, string>,
  body: string | undefined,
  timeoutMs: number,
  allowList: OutgoingAllowList,
): Promise<PlatformRequestOutcome> {
  const refusal = outgoingUrlRefusal(url, allowList);
  if (refusal) return { ok: false, statusCode: null, error: ENDPOINT_BLOCKED, detail: `the URL ${refusal}`, blocked: true };
  const target = new URL(url);
  const agent = guardedAgents(allowList)[target.protocol as 'http:' | 'https:'];
  const allHeaders: Record<string, string> = { 'user-agent': 'Gongxiao-Platforms/1', ...headers };
  if (body !== undefined) allHeaders['content-length'] = String(Buffer.byteLength(body));
  const startedAt = Date.now();
  let deadline: number | undefined;
  const attempt = (): Promise<PlatformRequestOutcome & { staleSocket?: boolean }> =>
    new Promise((resolve) => {
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: PlatformRequestOutcome & { staleSocket?: boolean }) => {
        clearTimeout(timer);
        clearTimeout(overall);
        resolve(outcome);
      };
      const request = send(target, { method, headers: allHeaders, agent }, (response) => {
        const status = response.statusCode ?? 0;
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          if (size >= PLATFORM_ANSWER_LIMIT) return;
          chunks.push(chunk);
          size += chunk.length;
        });
        response.on('end', () => {
          const text = Buffer.concat(chunks).subarray(0, PLATFORM_ANSWER_LIMIT).toString('utf8');
          finish(status >= 200 && status < 300 ? { ok: true, statusCode: status, body: text } : { ok: false, statusCode: status, error: `The platform answered HTTP ${status}`, body: text });
        });
        response.on('error', (error) => finish(unreachable(`answered HTTP ${status}, then broke off: ${error.message}`)));
      });
      const giveUp = (after: number) => request.destroy(Object.assign(new Error(`no answer within ${after} ms`), { code: 'timeout' }));
      const overall = setTimeout(() => giveUp(2 * timeoutMs), Math.max(1, startedAt + 2 * timeoutMs - Date.now()));
      request.once('socket', () => {
        deadline ??= Date.now() + timeoutMs;
        timer = setTimeout(() => giveUp(timeoutMs), Math.max(1, deadline - Date.now()));
      });
      request.once('close', () => {
        clearTimeout(timer);
        clearTimeout(overall);
      });
      request.on('error', (error: Error & { code?: string }) => {
        if (error.code === BLOCKED_DESTINATION) return finish({ ok: false, statusCode: null, error: ENDPOINT_BLOCKED, detail: error.message, blocked: true });
        const detail = error.code && error.code !== 'timeout' ? `${error.code}: ${error.message}` : error.message;
        finish({ ...unreachable(detail), staleSocket: request.reusedSocket && error.code === 'ECONNRESET' });
      });
      request.end(body);
    });
  const first = await attempt();
  // A kept-alive connection the platform had just closed: send once more on a fresh one.
  const outcome = !first.ok && first.statusCode === null && first.staleSocket && deadline !== undefined && Date.now() < deadline ? await attempt() : first;
  delete outcome.staleSocket;
  return outcome;
}
