import { createHmac, randomBytes } from 'node:crypto';

/** RFC 3986 percent-encoding, as OAuth 1.0a signs (encodeURIComponent leaves !'()* alone). */
export const oauthEncode = (text: string) => encodeURIComponent(text).replace(/[!'()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The OAuth 1.0a HMAC-SHA1 signature of a request (RFC 5849 §3.4): the base string is the method, the
 * URL without query and fragment, and every parameter (the query's and the oauth_ ones) encoded, sorted
 * by name then value and joined; the key is the encoded consumer secret, "&", the encoded token secret
 * (empty for WooCommerce's one-legged requests).
 */
export function oauthSignature(method: string, url: string, parameters: Record<string, string>, consumerSecret: string, tokenSecret = ''): string {
  const target = new URL(url);
  const pairs: [string, string][] = [...target.searchParams.entries(), ...Object.entries(parameters)].map(([name, value]) => [oauthEncode(name), oauthEncode(value)]);
  pairs.sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  const normalised = pairs.map(([name, value]) => `${name}=${value}`).join('&');
  // WHATWG URL already lower-cased the scheme and host and dropped a default port.
  const base = `${target.protocol}//${target.host}${target.pathname}`;
  const text = [method.toUpperCase(), oauthEncode(base), oauthEncode(normalised)].join('&');
  return createHmac('sha1', `${oauthEncode(consumerSecret)}&${oauthEncode(tokenSecret)}`)
    .update(text)
    .digest('base64');
}

/**
 * A WooCommerce REST request made the way WooCommerce documents authentication: over HTTPS the key
 * pair as HTTP Basic; over plain HTTP (where Basic would show the secret) OAuth 1.0a one-legged, the
 * oauth_ parameters and the HMAC-SHA1 signature in the query string, no token.
 */
export function wooCommerceAuthorized(
  method: string,
  url: string,
  consumerKey: string,
  consumerSecret: string,
  now: () => number = Date.now,
  nonce: () => string = () => randomBytes(16).toString('hex'),
): { url: string; headers: Record<string, string> } {
  if (new URL(url).protocol === 'https:') return { url, headers: { authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}` } };
  const parameters: Record<string, string> = {
    oauth_consumer_key: consumerKey,
    oauth_nonce: nonce(),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(now() / 1000)),
  };
  const signed = new URL(url);
  for (const [name, value] of Object.entries({ ...parameters, oauth_signature: oauthSignature(method, url, parameters, consumerSecret) })) signed.searchParams.append(name, value);
  return { url: signed.href, headers: {} };
}
