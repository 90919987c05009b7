import { createHash, createHmac, randomBytes, scrypt as scryptCallback, ScryptOptions, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keyLength: number, options: ScryptOptions) => Promise<Buffer>;

/** scrypt cost: N = 2^logN, block size r, parallelism p. */
export interface PasswordHashParameters {
  logN: number;
  r: number;
  p: number;
}

/** OWASP's scrypt recommendation (N=2^17, r=8, p=1): 128 MiB and a few hundred ms per hash. */
export const OWASP_SCRYPT: PasswordHashParameters = { logN: 17, r: 8, p: 1 };
/** What hashes written before the parameters were stored used (Node's defaults). */
const LEGACY_SCRYPT: PasswordHashParameters = { logN: 14, r: 8, p: 1 };

function scryptOptions({ logN, r, p }: PasswordHashParameters): ScryptOptions {
  // scrypt needs 128 * N * r bytes; Node refuses above maxmem (32 MiB by default).
  return { N: 2 ** logN, r, p, maxmem: 256 * 2 ** logN * r };
}

interface StoredHash {
  parameters: PasswordHashParameters;
  salt: Buffer;
  hash: Buffer;
}

/** `scrypt$ln=17,r=8,p=1$<salt>$<hash>`, or the legacy `scrypt$<salt>$<hash>` (Node's defaults). */
function parseStoredHash(stored: string): StoredHash | null {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return null;
  let parameters = LEGACY_SCRYPT;
  if (parts.length === 4) {
    const match = /^ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})$/.exec(parts[1]);
    if (!match) return null;
    parameters = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
    if (parameters.logN < 10 || parameters.logN > 20 || parameters.r < 1 || parameters.p < 1) return null;
  } else if (parts.length !== 3) return null;
  const [saltText, hashText] = parts.slice(-2);
  if (!saltText || !hashText) return null;
  return { parameters, salt: Buffer.from(saltText, 'base64'), hash: Buffer.from(hashText, 'base64') };
}

/** A random token with a readable prefix, e.g. `gxk_3f9a…` (API key) or `gxs_…` (login token). */
export function generateToken(prefix: string, bytes = 24): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}

/** Lookup hash of a high-entropy token (tokens are random, so a fast hash is safe here). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** scrypt password hash with its parameters: `scrypt$ln=17,r=8,p=1$<salt>$<hash>`. */
export async function hashPassword(password: string, parameters: PasswordHashParameters = OWASP_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password.normalize('NFKC'), salt, 32, scryptOptions(parameters));
  return `scrypt$ln=${parameters.logN},r=${parameters.r},p=${parameters.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStoredHash(stored);
  // A hash that decodes to (almost) nothing would match every password.
  if (!parsed || parsed.hash.length < 16 || parsed.salt.length === 0) return false;
  const normalized = stored.split('$').length === 4 ? password.normalize('NFKC') : password;
  const actual = await scrypt(normalized, parsed.salt, parsed.hash.length, scryptOptions(parsed.parameters));
  return timingSafeEqual(actual, parsed.hash);
}

/** True when a stored hash is weaker than `parameters` (or unreadable): rehash it at the next successful login. */
export function needsRehash(stored: string, parameters: PasswordHashParameters = OWASP_SCRYPT): boolean {
  const parsed = parseStoredHash(stored);
  if (!parsed) return true;
  const current = parsed.parameters;
  return current.logN < parameters.logN || current.r < parameters.r || current.p < parameters.p;
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
