import { createHash, createHmac, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keyLength: number) => Promise<Buffer>;

/** A random token with a readable prefix, e.g. `gxk_3f9a…` (API key) or `gxs_…` (login token). */
export function generateToken(prefix: string, bytes = 24): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** Lookup hash of a high-entropy token (tokens are random, so a fast hash is safe here). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** scrypt password hash: `scrypt$<salt>$<hash>`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltText, hashText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64');
  // A hash that decodes to (almost) nothing would match every password.
  if (expected.length < 16) return false;
  const actual = await scrypt(password, Buffer.from(saltText, 'base64'), expected.length);
  return timingSafeEqual(actual, expected);
}

/** `v1=<hex HMAC-SHA256 of "timestamp.rawBody">`, the signature of webhooks in and out. */
export function signWebhook(secret: string, timestamp: string, rawBody: string | Buffer): string {
  const mac = createHmac('sha256', secret);
  mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return `v1=${mac.digest('hex')}`;
}

/** Constant-time comparison of a received signature header against the expected one. */
export function signatureMatches(secret: string, timestamp: string, rawBody: string | Buffer, received: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  // A header may carry several signatures during secret rotation: "v1=…,v1=…".
  return received
    .split(',')
    .map((part) => Buffer.from(part.trim()))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
}
