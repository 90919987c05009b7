import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { signWebhook } from '../auth/secrets';
import { OutgoingAllowList } from '../outgoing/allow-list';
import { guardedAgents } from '../outgoing/guarded-lookup';
import { BLOCKED_DESTINATION, outgoingUrlRefusal } from '../outgoing/outgoing-url';

/**
 * What a call came to. `error` is what the merchant may read (in a delivery record): the HTTP
 * status, or one generic sentence for any failure below HTTP, so that the records cannot be used to
 * scan ports or networks. `detail` says what really happened, for the server log only. `blocked`:
 * the destination is one outgoing calls may not reach; trying again will not help.
 */
export type SignedPostOutcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string; detail?: string; blocked?: boolean };

/** The merchant-facing text of any failure below HTTP (refused, reset, timed out, TLS, DNS). */
export const ENDPOINT_UNREACHABLE = 'The endpoint could not be reached';
/** The merchant-facing text of a refused destination: says neither the address nor why. */
export const ENDPOINT_BLOCKED = `${BLOCKED_DESTINATION}: the endpoint is not one outgoing calls may reach`;

/** The URL for the server log: a user name or password in it is never written out. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  } catch {
    return 'not a URL';
  }
}

const blockedOutcome = (detail: string): SignedPostOutcome => ({ ok: false, statusCode: null, error: ENDPOINT_BLOCKED, detail, blocked: true });

/**
 * POSTs a JSON event signed like incoming pushes: X-Gongxiao-Event, -Event-Id (receivers
 * deduplicate on it), -Timestamp and -Signature (v1=HMAC-SHA256 of "timestamp.body"). Never throws:
 * the outcome says what happened, so callers decide to retry. Plain node:http (not fetch): a
 * fraction of the CPU per request, and redirects are never followed (a 3xx is a failed call).
 * Outgoing calls never turn inward: the URL is checked again here (rows stored before the check
 * existed, an address literal never reaches a DNS lookup), and every name is checked as the socket
 * resolves it (`guardedAgents`).
 */
export async function postSignedEvent(url: string, secret: string, eventType: string, eventId: string, payload: unknown, timeoutMs: number, allow: OutgoingAllowList): Promise<SignedPostOutcome> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const refusal = outgoingUrlRefusal(url, allow);
  if (refusal) return blockedOutcome(`the URL ${refusal} (${withoutCredentials(url)})`);
  const target = new URL(url);
  const agents = guardedAgents(allow);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'Gongxiao-Webhooks/1',
    'x-gongxiao-event': eventType,
    'x-gongxiao-event-id': eventId,
    'x-gongxiao-timestamp': timestamp,
    'x-gongxiao-signature': signWebhook(secret, timestamp, body),
  };
  const startedAt = Date.now();
  let deadline: number | undefined;
  const attempt = (): Promise<SignedPostOutcome & { staleSocket?: boolean }> =>
    new Promise((resolve) => {
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const request = send(target, { method: 'POST', headers, agent: agents[target.protocol as 'http:' | 'https:'] }, (response) => {
        const status = response.statusCode ?? 0;
        // The answer's body is not needed: read and drop it, so the connection can be reused.
        response.resume();
        response.on('end', () => {
          finish(status >= 200 && status < 300 ? { ok: true, statusCode: status } : { ok: false, statusCode: status, error: `The endpoint answered HTTP ${status}` });
        });
        response.on('error', (error) => {
          finish({ ok: false, statusCode: status, error: `${ENDPOINT_UNREACHABLE} (it answered HTTP ${status}, then broke off)`, detail: `broke off its answer: ${error.message}` });
        });
      });
      // The time allowed counts from when the request has a connection (it may wait for one of the
      // endpoint's kept-alive connections first): a busy endpoint is not taken for a slow one. All
      // in all a send never takes more than twice the time allowed.
      let timer: NodeJS.Timeout | undefined;
      const giveUp = (after: number) => request.destroy(Object.assign(new Error(`no answer within ${after} ms`), { code: 'timeout' }));
      const overall = setTimeout(() => giveUp(2 * timeoutMs), Math.max(1, startedAt + 2 * timeoutMs - Date.now()));
      request.once('socket', () => {
        deadline ??= Date.now() + timeoutMs;
        timer = setTimeout(() => giveUp(timeoutMs), Math.max(1, deadline - Date.now()));
      });
      const finish = (outcome: SignedPostOutcome & { staleSocket?: boolean }) => {
        clearTimeout(timer);
        clearTimeout(overall);
        resolve(outcome);
      };
      request.once('close', () => {
        clearTimeout(timer);
        clearTimeout(overall);
      });
      request.on('error', (error: Error & { code?: string }) => {
        if (error.code === BLOCKED_DESTINATION) return finish(blockedOutcome(error.message));
        finish({
          ok: false,
          statusCode: null,
          error: ENDPOINT_UNREACHABLE,
          detail: error.code && error.code !== 'timeout' ? `${error.code}: ${error.message}` : error.message,
          staleSocket: request.reusedSocket && error.code === 'ECONNRESET',
        });
      });
      request.end(body);
    });
  const first = await attempt();
  // A kept-alive connection the endpoint had just closed: send once more on a fresh one.
  const outcome = !first.ok && first.staleSocket && deadline !== undefined && Date.now() < deadline ? await attempt() : first;
  delete outcome.staleSocket;
  return outcome;
}
