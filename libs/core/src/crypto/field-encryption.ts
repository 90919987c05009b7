import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of single columns (signing secrets, consignee contact data): AES-256-GCM with a
 * random 12-byte IV, stored as `v1:<keyId>:<iv b64>:<tag b64>:<ciphertext b64>`. The key id travels
 * with the value, so after a rotation old rows still decrypt under their old key while new writes
 * use the current one (DATA_ENCRYPTION_KEY_ID).
 */
export const ENCRYPTED_PREFIX = 'v1:';

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** Only outside production, and only when DATA_ENCRYPTION_KEYS is unset: a fixed, public key. */
const DEVELOPMENT_KEY_ID = 'dev';
const DEVELOPMENT_KEY = createHash('sha256').update('gongxiao development data key (not secret)').digest();

export class FieldKeyringError extends Error {}

export interface FieldKeyringSettings {
  DATA_ENCRYPTION_KEYS?: string;
  DATA_ENCRYPTION_KEY_ID?: string;
  NODE_ENV?: string;
}

export class FieldKeyring {
  private readonly keys: ReadonlyMap<string, Buffer>;
  /** Derived from the current key on first use (routing hashes every consignee). */
  private indexKey?: Buffer;

  constructor(
    keys: Map<string, Buffer>,
    readonly currentKeyId: string,
  ) {
    if (!keys.has(currentKeyId)) throw new FieldKeyringError(`DATA_ENCRYPTION_KEY_ID "${currentKeyId}" is not one of the ids in DATA_ENCRYPTION_KEYS`);
    this.keys = keys;
  }

  /** `keyId:base64key,...` (each key 32 bytes); the current key is currentKeyId, or the only one given. */
  static parse(keysText: string, currentKeyId?: string): FieldKeyring {
    const keys = new Map<string, Buffer>();
    for (const entry of keysText
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      const separator = entry.indexOf(':');
      const id = separator < 0 ? '' : entry.slice(0, separator);
      if (!KEY_ID.test(id)) throw new FieldKeyringError('DATA_ENCRYPTION_KEYS entries must be keyId:base64key (key ids of letters, digits, _ and -)');
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (key.length !== 32) throw new FieldKeyringError(`DATA_ENCRYPTION_KEYS key "${id}" must be 32 bytes, base64-encoded (openssl rand -base64 32)`);
      if (keys.has(id)) throw new FieldKeyringError(`DATA_ENCRYPTION_KEYS names key "${id}" twice`);
      keys.set(id, key);
    }
    if (keys.size === 0) throw new FieldKeyringError('DATA_ENCRYPTION_KEYS holds no key');
    const current = currentKeyId || (keys.size === 1 ? [...keys.keys()][0] : undefined);
    if (!current) throw new FieldKeyringError('DATA_ENCRYPTION_KEY_ID must name the key new values are written with when DATA_ENCRYPTION_KEYS holds several');
    return new FieldKeyring(keys, current);
  }

  /** From the environment; without DATA_ENCRYPTION_KEYS only outside production (a fixed development key). */
  static fromSettings(settings: FieldKeyringSettings): FieldKeyring {
    if (settings.DATA_ENCRYPTION_KEYS) return FieldKeyring.parse(settings.DATA_ENCRYPTION_KEYS, settings.DATA_ENCRYPTION_KEY_ID);
    if (settings.NODE_ENV === 'production') throw new FieldKeyringError('DATA_ENCRYPTION_KEYS must be set in production (keyId:base64key, see .env.example)');
    return new FieldKeyring(new Map([[DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY]]), DEVELOPMENT_KEY_ID);
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${ENCRYPTED_PREFIX}${this.currentKeyId}:${iv.toString('base64')}:${cipher.getAuthTag().toString('base64')}:${ciphertext.toString('base64')}`;
  }

  /** A file (bytes) under the current key: `GXE1`, the key id's length and id, the IV, the tag, the ciphertext. */
  encryptBytes(plaintext: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const keyId = Buffer.from(this.currentKeyId, 'ascii');
    return Buffer.concat([ENCRYPTED_BYTES_MAGIC, Buffer.from([keyId.length]), keyId, iv, cipher.getAuthTag(), ciphertext]);
  }

  decryptBytes(stored: Buffer): Buffer {
    if (!isEncryptedBytes(stored)) throw new FieldKeyringError('Not encrypted bytes (expected the GXE1 header)');
    const keyIdEnd = 5 + stored[4];
    const keyId = stored.subarray(5, keyIdEnd).toString('ascii');
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), stored.subarray(keyIdEnd, keyIdEnd + 12));
    decipher.setAuthTag(stored.subarray(keyIdEnd + 12, keyIdEnd + 28));
    return Buffer.concat([decipher.update(stored.subarray(keyIdEnd + 28)), decipher.final()]);
  }

  decrypt(stored: string): string {
    const parts = stored.split(':');
    if (parts.length !== 5 || parts[0] !== 'v1') throw new FieldKeyringError('Not an encrypted value (expected v1:<keyId>:<iv>:<tag>:<ciphertext>)');
    const [, keyId, iv, tag, ciphertext] = parts;
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }

  /** The value under the current key (already current: unchanged); plaintext is encrypted. */
  reencrypt(stored: string): string {
    if (!isEncrypted(stored)) return this.encrypt(stored);
    if (stored.split(':')[1] === this.currentKeyId) return stored;
    return this.encrypt(this.decrypt(stored));
  }

  /**
   * A keyed hash (HMAC-SHA256 under a key derived from the current key) for equality lookups on
   * encrypted values, e.g. merging the parcels of one consignee. It changes when the current key
   * does: values hashed before a rotation no longer match those hashed after it.
   */
  blindIndex(plaintext: string): string {
    this.indexKey ??= createHmac('sha256', this.key(this.currentKeyId)).update('gongxiao blind index v1').digest();
    return createHmac('sha256', this.indexKey).update(plaintext, 'utf8').digest('hex');
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new FieldKeyringError(`No data encryption key "${id}" in DATA_ENCRYPTION_KEYS (a retired key must stay listed while rows use it)`);
    return key;
  }
}

/** The first bytes of an encrypted file (an .xlsx starts with "PK", so a stored file is never mistaken for one). */
const ENCRYPTED_BYTES_MAGIC = Buffer.from('GXE1', 'ascii');

export function isEncryptedBytes(value: Buffer): boolean {
  return value.length >= 33 && value.subarray(0, 4).equals(ENCRYPTED_BYTES_MAGIC);
}

export function isEncrypted(value: string): boolean {
  return value.startsWith(ENCRYPTED_PREFIX);
}

let processKeyring: FieldKeyring | undefined;

/** The keyring of this process, read from the environment once (loadConfig has validated it at start-up). */
export function fieldKeyring(): FieldKeyring {
  processKeyring ??= FieldKeyring.fromSettings(process.env);
  return processKeyring;
}

/** Encrypts a column value with the process keyring (null stays null). */
export function encryptField(plaintext: string): string;
export function encryptField(plaintext: string | null): string | null;
export function encryptField(plaintext: string | null): string | null {
  return plaintext === null ? null : fieldKeyring().encrypt(plaintext);
}

/**
 * Reads a column that is written encrypted: a `v1:` value is decrypted, anything else (a row written
 * before its migration ran, a fixture) is returned as it is.
 */
export function openField(stored: string): string {
  return isEncrypted(stored) ? fieldKeyring().decrypt(stored) : stored;
}

/** Decrypts a column value with the process keyring (null stays null). */
export function decryptField(stored: string): string;
export function decryptField(stored: string | null): string | null;
export function decryptField(stored: string | null): string | null {
  return stored === null ? null : fieldKeyring().decrypt(stored);
}

/** Encrypts a stored file (an upload, a rejected-rows workbook) with the process keyring (null stays null). */
export function encryptBytes(plaintext: Buffer): Buffer;
export function encryptBytes(plaintext: Buffer | null): Buffer | null;
export function encryptBytes(plaintext: Buffer | null): Buffer | null {
  return plaintext === null ? null : fieldKeyring().encryptBytes(plaintext);
}

/** Reads a stored file that is written encrypted: encrypted bytes are decrypted, anything else (stored before encryption) is returned as it is. */
export function openBytes(stored: Buffer): Buffer {
  return isEncryptedBytes(stored) ? fieldKeyring().decryptBytes(stored) : stored;
}
