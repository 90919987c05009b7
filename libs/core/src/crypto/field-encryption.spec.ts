import { FieldKeyring, FieldKeyringError, isEncrypted, isEncryptedBytes } from './field-encryption';

const keyA = Buffer.alloc(32, 1).toString('base64');
const keyB = Buffer.alloc(32, 2).toString('base64');

describe('field encryption (AES-256-GCM with key ids)', () => {
  it('writes v1:<keyId>:<iv>:<tag>:<ciphertext> with a fresh IV and reads it back', () => {
    const keyring = FieldKeyring.parse(`a:${keyA}`);
    const first = keyring.encrypt('whsec_plain');
    const second = keyring.encrypt('whsec_plain');
    expect(first).toMatch(/^v1:a:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(first.split(':')[2], 'base64')).toHaveLength(12);
    expect(first).not.toBe(second);
    expect(first).not.toContain('whsec_plain');
    expect(keyring.decrypt(first)).toBe('whsec_plain');
    expect(keyring.decrypt(keyring.encrypt('浙江省杭州市 文三路 1 号'))).toBe('浙江省杭州市 文三路 1 号');
  });

  it('decrypts a value written under key A after key B becomes current, and re-encrypts it under B', () => {
    const before = FieldKeyring.parse(`a:${keyA}`);
    const stored = before.encrypt('13800138000');
    const after = FieldKeyring.parse(`a:${keyA},b:${keyB}`, 'b');
    expect(after.decrypt(stored)).toBe('13800138000');
    expect(after.encrypt('x').startsWith('v1:b:')).toBe(true);
    const rotated = after.reencrypt(stored);
    expect(rotated.startsWith('v1:b:')).toBe(true);
    expect(after.reencrypt(rotated)).toBe(rotated);
    expect(FieldKeyring.parse(`b:${keyB}`).decrypt(rotated)).toBe('13800138000');
    // Key A retired too early: the old row names a key no longer listed.
    expect(() => FieldKeyring.parse(`b:${keyB}`).decrypt(stored)).toThrow(/No data encryption key "a"/);
  });

  it('encrypts a file’s bytes under the current key, reads them back after a rotation, and refuses tampered bytes', () => {
    const file = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('收件人 张三 13800138000 浙江省杭州市', 'utf8')]);
    const before = FieldKeyring.parse(`a:${keyA}`);
    const stored = before.encryptBytes(file);
    expect(isEncryptedBytes(stored)).toBe(true);
    expect(isEncryptedBytes(file)).toBe(false);
    expect(stored.includes(Buffer.from('13800138000'))).toBe(false);
    expect(before.encryptBytes(file).equals(stored)).toBe(false);
    expect(FieldKeyring.parse(`a:${keyA},b:${keyB}`, 'b').decryptBytes(stored).equals(file)).toBe(true);
    const flipped = Buffer.from(stored);
    flipped[flipped.length - 1] ^= 1;
    expect(() => before.decryptBytes(flipped)).toThrow();
    expect(() => before.decryptBytes(file)).toThrow(FieldKeyringError);
  });

  it('refuses a tampered value and anything that is not encrypted', () => {
    const keyring = FieldKeyring.parse(`a:${keyA}`);
    const [v, id, iv, tag, body] = keyring.encrypt('secret value').split(':');
    const flipped = Buffer.from(body, 'base64');
    flipped[0] ^= 1;
    expect(() => keyring.decrypt([v, id, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
    expect(() => keyring.decrypt('whsec_plain')).toThrow(FieldKeyringError);
    expect(isEncrypted('whsec_plain')).toBe(false);
    expect(isEncrypted(keyring.reencrypt('whsec_plain'))).toBe(true);
  });

  it('gives a keyed, stable blind index that reveals nothing without the key', () => {
    const a = FieldKeyring.parse(`a:${keyA}`);
    expect(a.blindIndex('13800138000')).toBe(a.blindIndex('13800138000'));
    expect(a.blindIndex('13800138000')).not.toBe(a.blindIndex('13800138001'));
    expect(FieldKeyring.parse(`b:${keyB}`).blindIndex('13800138000')).not.toBe(a.blindIndex('13800138000'));
  });

  it('has a development key only outside production', () => {
    expect(() => FieldKeyring.fromSettings({ NODE_ENV: 'production' })).toThrow(FieldKeyringError);
    const dev = FieldKeyring.fromSettings({ NODE_ENV: 'test' });
    expect(dev.currentKeyId).toBe('dev');
    expect(dev.decrypt(dev.encrypt('x'))).toBe('x');
  });
});
