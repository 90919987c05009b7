import { expectError, expectStatus, PASSWORD, SignedUpMerchant, signUp, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

/**
 * People leave: an owner disables and enables members, changes roles, revokes sessions and resets
 * passwords, and each change applies to the very next request; API keys expire and record their use.
 */
describe('Accounts: owners manage the people of their merchant', () => {
  const { api, database } = useStage({ worker: false });
  let owner: SignedUpMerchant;
  let outsider: SignedUpMerchant;
  let warehouseId: string;
  let secondOwnerId: string;

  const login = async (email: string, password = PASSWORD) => {
    const response = await api.post('/v1/auth/login', { email, password });
    expectStatus(response, 200);
    return response.body.token as string;
  };
  const addMember = async (email: string, role: string) => {
    const response = await api.post('/v1/members', { email, name: email.split('@')[0], role, password: PASSWORD }, owner.token);
    expectStatus(response, 201);
    return response.body.id as string;
  };

  beforeAll(async () => {
    owner = await signUp(api, 'People Factory', 'Sun', 'sun@people.example');
    outsider = await signUp(api, 'Other Factory', 'Gao', 'gao@other.example');
    warehouseId = await addMember('wh@people.example', 'warehouse');
    secondOwnerId = await addMember('co@people.example', 'owner');
  });

  it('a disabled member’s token and the API keys it created stop working at once; enabling restores its keys', async () => {
    const token = await login('co@people.example');
    const key = await api.post('/v1/api-keys', { name: 'co key', scopes: ['catalog:read'] }, token);
    expectStatus(key, 201);
    expectStatus(await api.get('/v1/products', key.body.key), 200);
    const disabled = await api.post(`/v1/members/${secondOwnerId}/disable`, {}, owner.token);
    expect([disabled.status, disabled.body.status]).toEqual([200, 'disabled']);
    expectError(await api.get('/v1/merchants/me', token), 401, 'unauthenticated');
    expectError(await api.get('/v1/products', key.body.key), 401, 'unauthenticated');
    expectError(await api.post('/v1/auth/login', { email: 'co@people.example', password: PASSWORD }), 401, 'invalid_credentials');
    expectStatus(await api.post(`/v1/members/${secondOwnerId}/enable`, {}, owner.token), 200);
    expectStatus(await api.get('/v1/products', key.body.key), 200);
    // Its old login token stays revoked: it logs in anew.
    expectError(await api.get('/v1/merchants/me', token), 401, 'unauthenticated');
    expectStatus(await api.get('/v1/merchants/me', await login('co@people.example')), 200);
  });

  it('an API key cannot manage people nor make keys, and a demotion narrows the keys its member made at once', async () => {
    const email = 'keys@people.example';
    const memberId = await addMember(email, 'owner');
    const token = await login(email);
    const key = await api.post('/v1/api-keys', { name: 'full key', scopes: ['merchant:manage', 'catalog:read'] }, token);
    expectStatus(key, 201);
    // A key is a machine: it cannot re-role, disable, reset or add members, nor mint another key.
    expectError(await api.put(`/v1/members/${memberId}/role`, { role: 'owner' }, key.body.key), 403, 'members_only');
    expectError(await api.post(`/v1/members/${secondOwnerId}/disable`, {}, key.body.key), 403, 'members_only');
    expectError(await api.post(`/v1/members/${warehouseId}/password-reset`, {}, key.body.key), 403, 'members_only');
    expectError(await api.post('/v1/members', { email: 'x@people.example', name: 'x', role: 'owner', password: PASSWORD }, key.body.key), 403, 'members_only');
    expectError(await api.post('/v1/api-keys', { name: 'child', scopes: ['catalog:read'] }, key.body.key), 403, 'members_only');
    expectStatus(await api.get('/v1/members', key.body.key), 200);
    // Demoted to finance, its key keeps only what finance may do.
    expectStatus(await api.put(`/v1/members/${memberId}/role`, { role: 'finance' }, owner.token), 200);
    expectError(await api.get('/v1/members', key.body.key), 403, 'forbidden');
    expectStatus(await api.get('/v1/products', key.body.key), 200);
  });

  it('never leaves the merchant without an active owner', async () => {
    const lone = await signUp(api, 'Lone Factory', 'Li', 'li@lone.example');
    const deputy = (await api.post('/v1/members', { email: 'deputy@lone.example', name: 'Deputy', role: 'owner', password: PASSWORD }, lone.token)).body.id as string;
    const deputyToken = await login('deputy@lone.example');
    const me = (await api.get('/v1/members', lone.token)).body.data.find((member: { email: string }) => member.email === 'li@lone.example').id as string;
    // Two owners demoting each other at once: exactly one wins, one owner is left.
    const answers = await Promise.all([api.put(`/v1/members/${deputy}/role`, { role: 'operator' }, lone.token), api.put(`/v1/members/${me}/role`, { role: 'operator' }, deputyToken)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 409)!.body.error.code).toBe('last_owner');
    const owners = await withDatabase(database.url, (client) =>
      client.query(`select count(*)::int as n from member where merchant_id = $1 and role = 'owner' and status = 'active'`, [lone.merchantId]),
    );
    expect(owners.rows[0].n).toBe(1);
  });

  it('a role change takes effect on the next request', async () => {
    const token = await login('wh@people.example');
    expectError(await api.get('/v1/members', token), 403, 'forbidden');
    const promoted = await api.put(`/v1/members/${warehouseId}/role`, { role: 'owner' }, owner.token);
    expect([promoted.status, promoted.body.role]).toEqual([200, 'owner']);
    expectStatus(await api.get('/v1/members', token), 200);
    expectStatus(await api.put(`/v1/members/${warehouseId}/role`, { role: 'warehouse' }, owner.token), 200);
    expectError(await api.get('/v1/members', token), 403, 'forbidden');
    expectError(await api.put(`/v1/members/${warehouseId}/role`, { role: 'admin' }, owner.token), 400, 'validation_failed', 'role');
  });

  it('revoking a member’s sessions kills every token it holds', async () => {
    const first = await login('wh@people.example');
    const second = await login('wh@people.example');
    const revoked = await api.post(`/v1/members/${warehouseId}/revoke-sessions`, {}, owner.token);
    expectStatus(revoked, 200);
    expect(revoked.body.revoked).toBeGreaterThanOrEqual(2);
    for (const token of [first, second]) expectError(await api.get('/v1/merchants/me', token), 401, 'unauthenticated');
  });

  it('an owner resets a member’s password: its sessions end, the token sets a new password once', async () => {
    const old = await login('wh@people.example');
    const reset = await api.post(`/v1/members/${warehouseId}/password-reset`, {}, owner.token);
    expectStatus(reset, 200);
    expect(reset.body.token).toMatch(/^gxr_/);
    expectError(await api.get('/v1/merchants/me', old), 401, 'unauthenticated');
    expectError(await api.post('/v1/auth/password-reset/confirm', { token: reset.body.token, newPassword: '1234567890' }), 400, 'password_too_common', 'newPassword');
    expect((await api.post('/v1/auth/password-reset/confirm', { token: reset.body.token, newPassword: 'a brand new passphrase' })).status).toBe(204);
    expectError(await api.post('/v1/auth/password-reset/confirm', { token: reset.body.token, newPassword: 'another new passphrase' }), 400, 'reset_token_invalid', 'token');
    expectError(await api.post('/v1/auth/login', { email: 'wh@people.example', password: PASSWORD }), 401, 'invalid_credentials');
    await login('wh@people.example', 'a brand new passphrase');
    const { rows } = await withDatabase(database.url, (client) => client.query(`select token_hash from password_reset where member_id = $1`, [warehouseId]));
    expect(rows.every((row: { token_hash: string }) => row.token_hash !== reset.body.token && /^[0-9a-f]{64}$/.test(row.token_hash))).toBe(true);
  });

  it('a member changes its own password; its other sessions end, the one it uses stays', async () => {
    const kept = await login('wh@people.example', 'a brand new passphrase');
    const other = await login('wh@people.example', 'a brand new passphrase');
    expectError(await api.put('/v1/members/me/password', { currentPassword: 'not it at all', newPassword: 'my own passphrase 1' }, kept), 400, 'current_password_wrong', 'currentPassword');
    expectError(await api.put('/v1/members/me/password', { currentPassword: 'a brand new passphrase', newPassword: 'qwertyuiop' }, kept), 400, 'password_too_common', 'newPassword');
    expectStatus(await api.put('/v1/members/me/password', { currentPassword: 'a brand new passphrase', newPassword: 'my own passphrase 1' }, kept), 200);
    expectStatus(await api.get('/v1/merchants/me', kept), 200);
    expectError(await api.get('/v1/merchants/me', other), 401, 'unauthenticated');
    await login('wh@people.example', 'my own passphrase 1');
  });

  it('a forgotten-password request stores a hashed token for a known member and answers the same for an unknown one', async () => {
    const known = await api.post('/v1/auth/password-reset', { email: 'co@people.example' });
    const unknown = await api.post('/v1/auth/password-reset', { email: 'nobody@people.example' });
    expect([known.status, known.body]).toEqual([202, { accepted: true }]);
    expect([unknown.status, unknown.body]).toEqual([202, { accepted: true }]);
    await eventually(
      async () => (await withDatabase(database.url, (client) => client.query(`select 1 from password_reset where member_id = $1 and requested_by_member_id is null`, [secondOwnerId]))).rowCount,
      5000,
      'a stored reset',
    );
  });

  it('API keys expire, record their last use at most once a minute, and are refused once expired', async () => {
    expectError(await api.post('/v1/api-keys', { name: 'past', scopes: ['catalog:read'], expiresAt: '2020-01-01T00:00:00Z' }, owner.token), 400, 'validation_failed', 'expiresAt');
    const key = await api.post('/v1/api-keys', { name: 'expiring', scopes: ['catalog:read'], expiresAt: new Date(Date.now() + 3600_000).toISOString() }, owner.token);
    expectStatus(key, 201);
    expect(key.body.expiresAt).toEqual(expect.any(String));
    expect(key.body.lastUsedAt).toBeNull();
    expectStatus(await api.get('/v1/products', key.body.key), 200);
    const lastUsed = async () => (await withDatabase(database.url, (client) => client.query(`select last_used_at from api_key where id = $1`, [key.body.id]))).rows[0].last_used_at as Date;
    const first = await lastUsed();
    expect(first).toBeInstanceOf(Date);
    expectStatus(await api.get('/v1/products', key.body.key), 200);
    expect(await lastUsed()).toEqual(first);
    const listed = (await api.get('/v1/api-keys', owner.token)).body as { id: string; lastUsedAt: string | null }[] | { data: { id: string; lastUsedAt: string | null }[] };
    const keys = Array.isArray(listed) ? listed : listed.data;
    expect(keys.find((item) => item.id === key.body.id)?.lastUsedAt).toEqual(expect.any(String));
    await withDatabase(database.url, (client) => client.query(`update api_key set expires_at = now() - interval '1 second' where id = $1`, [key.body.id]));
    expectError(await api.get('/v1/products', key.body.key), 401, 'unauthenticated');
  });

  it('answers 404 for another merchant’s members, 403 to a member that is not an owner, 409 to an owner acting on itself', async () => {
    const staff = await login('wh@people.example', 'my own passphrase 1');
    for (const [method, path] of [
      ['POST', 'disable'],
      ['POST', 'enable'],
      ['PUT', 'role'],
      ['POST', 'revoke-sessions'],
      ['POST', 'password-reset'],
    ]) {
      const body = path === 'role' ? { role: 'finance' } : {};
      expectError(await api.request(method, `/v1/members/${warehouseId}/${path}`, { token: outsider.token, body }), 404, 'member_not_found');
      expectError(await api.request(method, `/v1/members/${secondOwnerId}/${path}`, { token: staff, body }), 403, 'forbidden');
    }
    const me = (await api.get('/v1/members', owner.token)).body;
    const ownId = (Array.isArray(me) ? me : me.data).find((member: { email: string }) => member.email === 'sun@people.example').id;
    expectError(await api.post(`/v1/members/${ownId}/disable`, {}, owner.token), 409, 'own_membership');
    expectError(await api.put(`/v1/members/${ownId}/role`, { role: 'finance' }, owner.token), 409, 'own_membership');
    expectStatus(await api.get('/v1/merchants/me', outsider.token), 200);
  });
});
