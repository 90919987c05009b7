import createClient, { Middleware } from 'openapi-fetch';
import type { components, paths } from './schema';
import { ApiError } from './errors';

export type Schemas = components['schemas'];

/** The login token: in memory, and in session storage so a reload keeps the member signed in (never in a URL, never in local storage). */
const TOKEN_KEY = 'gx.token';
let token: string | null = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(TOKEN_KEY);
const signedOutListeners = new Set<() => void>();

export const sessionToken = {
  get: () => token,
  set(next: string | null) {
    token = next;
    if (next) sessionStorage.setItem(TOKEN_KEY, next);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
  /** Called when the api answers 401 to a signed-in request (the session ended or was revoked). */
  onSignedOut(listener: () => void): () => void {
    signedOutListeners.add(listener);
    return () => signedOutListeners.delete(listener);
  },
};

const authorization: Middleware = {
  onRequest({ request }) {
    if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('authorization')) {
      sessionToken.set(null);
      for (const listener of signedOutListeners) listener();
    }
    return response;
  },
};

/** The api, typed from its OpenAPI document (src/api/schema.d.ts, `npm run console:schema`). */
export const api = createClient<paths>({ baseUrl: typeof window === 'undefined' ? '' : window.location.origin });
api.use(authorization);

/**
 * The data of an answer, or an ApiError carrying the api's error shape (code, message, the fields it names).
 * `const page = await ok(api.GET('/v1/offers', { params: { query } }))`.
 */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw ApiError.from(response, error);
  return data as T;
}

/** A new idempotency key for one user action (a retried click sends the same key). */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

/**
 * Downloads a file the api answers (exports, order sheets) with the login token in the header, and
 * saves it under the name the api gives (Content-Disposition) or `fallbackName`.
 */
export async function download(path: string, fallbackName: string): Promise<{ name: string; bytes: number }> {
  const response = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw ApiError.from(response, await response.json().catch(() => undefined));
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : (plain ?? fallbackName);
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { name, bytes: blob.size };
}

/** Sends a file as the raw body (the api's upload endpoints take the spreadsheet itself). */
export async function upload<T>(path: string, file: File, extraHeaders: Record<string, string> = {}): Promise<T> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': file.type || 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}), ...extraHeaders },
    body: file,
  });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw ApiError.from(response, body);
  return body as T;
}

/** Sends a file in a multipart form (field "file") with the form's other fields (the api's sheet uploads). */
export async function uploadForm<T>(path: string, file: File, fields: Record<string, string>, extraHeaders: Record<string, string> = {}): Promise<T> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', file, file.name);
  const response = await fetch(path, { method: 'POST', headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extraHeaders }, body: form });
  const body = await response.json().catch(() => undefined);
  if (!response.ok) throw ApiError.from(response, body);
  return body as T;
}
