import { createHash, createHmac } from 'node:crypto';
import { scryptSync } from 'node:crypto';
import { generateToken, hashPassword, hashToken, needsRehash, OWASP_SCRYPT, signatureMatches, signWebhook, verifyPassword } from './secrets';

describe('webhook signatures', () => {
  const secret = 'whsec_test_secret';
  const timestamp = '1718000000';
  const rawBody = '{"externalId":"A-1001","lines":[{"sku":"TEA-01","quantity":2}]}';
  const independentlyComputed = `v1=${createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex')}`;

  it('signs "timestamp.rawBody" with HMAC-SHA256 as v1=<hex>', () => {
    expect(signWebhook(secret, timestamp, rawBody)).toBe(independentlyComputed);
    expect(signWebhook(secret, timestamp, Buffer.from(rawBody))).toBe(independentlyComputed);
  });

  it('matches a fixed vector', () => {
    // HMAC-SHA256(key "key", message "1.{}"), computed once with node:crypto and frozen here.
    const expected = '1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224';
    expect(createHmac('sha256', 'key').update('1.{}').digest('hex')).toBe(expected);
    expect(signWebhook('key', '1', '{}')).toBe(`v1=${expected}`);
  });

  it('accepts the right signature', () => {
    expect(signatureMatches(secret, timestamp, rawBody, independentlyComputed)).toBe(true);
    expect(signatureMatches(secret, timestamp, Buffer.from(rawBody), independentlyComputed)).toBe(true);
  });

  it('rejects a tampered body, timestamp or secret', () => {
    expect(signatureMatches(secret, timestamp, rawBody.replace('"quantity":2', '"quantity":20'), independentlyComputed)).toBe(false);
    expect(signatureMatches(secret, '1718000001', rawBody, independentlyComputed)).toBe(false);
    expect(signatureMatches('another_secret', timestamp, rawBody, independentlyComputed)).toBe(false);
  });

  it('accepts any of several comma-separated signatures (secret rotation)', () => {
    const old = signWebhook('old_secret', timestamp, rawBody);
    expect(signatureMatches(secret, timestamp, rawBody, `${old},${independentlyComputed}`)).toBe(true);
    expect(signatureMatches(secret, timestamp, rawBody, `${independentlyComputed}, ${old}`)).toBe(true);
    expect(signatureMatches('third_secret', timestamp, rawBody, `${old},${independentlyComputed}`)).toBe(false);
  });

  it('answers false (without throwing) for headers of another length', () => {
    expect(signatureMatches(secret, timestamp, rawBody, '')).toBe(false);
    expect(signatureMatches(secret, timestamp, rawBody, 'v1=abc')).toBe(false);
    expect(signatureMatches(secret, timestamp, rawBody, `${independentlyComputed}00`)).toBe(false);
    expect(signatureMatches(secret, timestamp, rawBody, independentlyComputed.slice(3))).toBe(false);
  });

  it('rejects a signature of the same length that differs in one character', () => {
    const last = independentlyComputed.at(-1) === '0' ? '1' : '0';
    expect(signatureMatches(secret, timestamp, rawBody, independentlyComputed.slice(0, -1) + last)).toBe(false);
  });
});

describe('passwords', () => {
  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(stored).toMatch(/^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });

  it('verifies a legacy hash (Node defaults, no parameters stored) and asks for its rehash', async () => {
    const salt = Buffer.from('legacy-salt-0001');
    const legacy = `scrypt$${salt.toString('base64')}$${scryptSync('old password here', salt, 32).toString('base64')}`;
    await expect(verifyPassword('old password here', legacy)).resolves.toBe(true);
    await expect(verifyPassword('old password hers', legacy)).resolves.toBe(false);
    expect(needsRehash(legacy)).toBe(true);
    expect(needsRehash(await hashPassword('x', { logN: 12, r: 8, p: 1 }))).toBe(true);
    expect(needsRehash(await hashPassword('x', OWASP_SCRYPT))).toBe(false);
  });

  it('salts every hash', async () => {
    const first = await hashPassword('same password');
    const second = await hashPassword('same password');
    expect(first).not.toBe(second);
    await expect(verifyPassword('same password', second)).resolves.toBe(true);
  });

  it.each([
    ['empty', ''],
    ['plain text', 'hunter2'],
    ['another scheme', 'bcrypt$c2FsdA==$aGFzaA=='],
    ['missing hash', 'scrypt$c2FsdHNhbHRzYWx0c2FsdA==$'],
    ['missing salt', 'scrypt$$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaA=='],
    ['hash that decodes to nothing', 'scrypt$c2FsdHNhbHRzYWx0c2FsdA==$!!!'],
    ['hash of one byte', 'scrypt$c2FsdHNhbHRzYWx0c2FsdA==$AA=='],
  ])('refuses a malformed stored hash (%s)', async (_label, stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false);
    await expect(verifyPassword('', stored)).resolves.toBe(false);
  });
});

describe('tokens', () => {
  it('starts with the prefix and is url-safe', () => {
    const token = generateToken('gxk');
    expect(token).toMatch(/^gxk_[A-Za-z0-9_-]{32}$/);
    expect(generateToken('gxs', 8)).toMatch(/^gxs_[A-Za-z0-9_-]{11}$/);
  });

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken('gxk')));
    expect(tokens.size).toBe(1000);
  });

  it('hashes deterministically to the sha256 hex of the token', () => {
    const token = generateToken('gxk');
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(hashToken(token)).not.toBe(hashToken(`${token}x`));
  });
});
