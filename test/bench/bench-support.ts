import { resolve } from 'node:path';
import { ROOT } from '../../apps/demo/src/local-stack';

export { clearQueues, freshDatabase, percentile, ROOT, startService, stopService, waitFor } from '../../apps/demo/src/local-stack';

export const OUT = resolve(ROOT, 'out/bench');

export async function call<T = any>(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} → HTTP ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
