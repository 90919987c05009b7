import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { signWebhook } from '../auth/secrets';

export type SignedPostOutcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

// Kept-alive connections per endpoint: a busy ERP endpoint gets one TCP connection per parallel
// delivery, not one per delivery. Plain node:http (not fetch): a fraction of the CPU per request.
// An idle connection is closed after 4 s, before a NAT or load balancer silently drops it.
const agents = {
  'http:': new HttpAgent({ keepAlive: true, maxSockets: 64, timeout: 4000 }),
  'https:': new HttpsAgent({ keepAlive: true, maxSockets: 64, timeout: 4000 }),
};

/**
 * POSTs a JSON event signed like incoming pushes: X-Gongxiao-Event, -Event-Id (receivers
 * deduplicate on it), -Timestamp and -Signature (v1=HMAC-SHA256 of "timestamp.body"). Never throws:
 * the outcome says what happened, so callers decide to retry.
 */
export async function postSignedEvent(url: string, secret: string, eventType: string, eventId: string, payload: unknown, timeoutMs: number): Promise<SignedPostOutcome> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, statusCode: null, error: `Could not reach the endpoint: ${url} is not a valid URL` };
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return { ok: false, statusCode: null, error: `Could not reach the endpoint: ${target.protocol} is not http or https` };
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
          finish({ ok: false, statusCode: status, error: `The endpoint broke off its answer: ${error.message}` });
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
        finish({
          ok: false,
          statusCode: null,
          error: `Could not reach the endpoint: ${error.code === 'timeout' ? error.message : (error.code ?? error.message)}`,
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
