import { signWebhook } from '../auth/secrets';

export type SignedPostOutcome = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

/**
 * POSTs a JSON event signed like incoming pushes: X-Gongxiao-Event, -Event-Id (receivers
 * deduplicate on it), -Timestamp and -Signature (v1=HMAC-SHA256 of "timestamp.body"). Never throws:
 * the outcome says what happened, so callers decide to retry.
 */
export async function postSignedEvent(url: string, secret: string, eventType: string, eventId: string, payload: unknown, timeoutMs: number): Promise<SignedPostOutcome> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Gongxiao-Webhooks/1',
        'x-gongxiao-event': eventType,
        'x-gongxiao-event-id': eventId,
        'x-gongxiao-timestamp': timestamp,
        'x-gongxiao-signature': signWebhook(secret, timestamp, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true, statusCode: response.status };
    return { ok: false, statusCode: response.status, error: `The endpoint answered HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, statusCode: null, error: `Could not reach the endpoint: ${cause?.code ?? cause?.message ?? (error as Error).message}` };
  }
}
