import { cny, expectError, expectStatus, invitationFrom, PASSWORD, SignedUpMerchant, signUp, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';

/**
 * A supplier grows its network through one invite code: micro-resellers (微商) sign up through the
 * link and are its active partners at once, an existing shop accepts the code with its own account,
 * and the code's limits hold however many try at once. Nobody learns another merchant's name by
 * guessing ids.
 */
describe('Partner invites: a supplier grows its network through one code', () => {
  const { api, database } = useStage();

  let supplier: SignedUpMerchant;
  let rival: SignedUpMerchant;
  let existingShop: SignedUpMerchant;
  let offerId: string;
  let invite: { id: string; code: string; link: string };

  const join = (code: string, name: string, email = `${name.toLowerCase().replace(/\W+/g, '-')}@resellers.example`) =>
    api.post(`/v1/partner-invites/${code}/join`, { merchantName: name, ownerName: `${name} owner`, email, password: PASSWORD });

  beforeAll(async () => {
    supplier = await signUp(api, 'Yiwu Sunrise Factory', 'Li Wei', 'li@invites.example');
    rival = await signUp(api, 'Rival Supply', 'Zhao', 'zhao@invites.example');
    existingShop = await signUp(api, 'Sunny Home', 'Wang Fang', 'wang@invites.example');
    const product = await api.post('/v1/products', { name: 'T-shirt', skus: [{ code: 'TS-M', name: 'T-shirt M' }] }, supplier.token);
    expectStatus(product, 201);
    const offer = await api.post('/v1/offers', { skuId: product.body.skus[0].id, price: cny(3000) }, supplier.token);
    expectStatus(offer, 201);
    offerId = offer.body.id;
  });

  it('the supplier creates an invite: the code and its link are shown once, the list shows only a hint', async () => {
    const created = await api.post('/v1/partner-invites', { maxUses: 5, note: 'WeChat group, December' }, supplier.token);
    expectStatus(created, 201);
    expect(created.body).toEqual(
      expect.objectContaining({ code: expect.stringMatching(/^[A-Z2-7]{20}$/), maxUses: 5, uses: 0, status: 'active', currency: 'CNY', settlementCycle: 'monthly', note: 'WeChat group, December' }),
    );
    expect(created.body.link).toBe(`/join/${created.body.code}`);
    expect(new Date(created.body.expiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    invite = created.body;
    const listed = await api.get('/v1/partner-invites', supplier.token);
    expectStatus(listed, 200);
    expect(listed.body).toEqual({ data: [expect.objectContaining({ id: invite.id, codeHint: `…${invite.code.slice(-4)}`, uses: 0 })], nextCursor: null });
    expect(JSON.stringify(listed.body)).not.toContain(invite.code);
    // Stored as a hash: the database does not hold the code either.
    const stored = await withDatabase(database.url, (client) => client.query(`select * from partner_invite`));
    expect(JSON.stringify(stored.rows)).not.toContain(invite.code);
  });

  it('a micro-reseller signs up through the link and is at once an active partner that sees the supplier’s offers', async () => {
    const joined = await join(invite.code.toLowerCase(), 'Little Bee Shop');
    expectStatus(joined, 201);
    expect(joined.body).toEqual(expect.objectContaining({ token: expect.stringMatching(/^gxs_/), partnershipId: expect.any(String), merchant: expect.objectContaining({ name: 'Little Bee Shop' }) }));
    const partnership = await api.get(`/v1/partnerships/${joined.body.partnershipId}`, joined.body.token);
    expectStatus(partnership, 200);
    expect(partnership.body).toEqual(expect.objectContaining({ status: 'active', yourSide: 'downstream', upstream: expect.objectContaining({ merchantId: supplier.merchantId }) }));
    const available = await api.get('/v1/available-offers', joined.body.token);
    expectStatus(available, 200);
    expect(available.body.data.map((offer: { id: string }) => offer.id)).toContain(offerId);
    const partners = await api.get('/v1/partnerships?side=downstream&status=active', supplier.token);
    expect(partners.body.data.map((p: { downstream: { name: string } }) => p.downstream.name)).toEqual(['Little Bee Shop']);
    expect((await api.get('/v1/partner-invites', supplier.token)).body.data[0].uses).toBe(1);
  });

  it('an existing merchant accepts the code with its own account; accepting again changes nothing; the inviter cannot accept its own', async () => {
    const accepted = await api.post(`/v1/partner-invites/${invite.code}/accept`, {}, existingShop.token);
    expectStatus(accepted, 200);
    expect(accepted.body).toEqual(expect.objectContaining({ status: 'active', yourSide: 'downstream', upstream: expect.objectContaining({ merchantId: supplier.merchantId }) }));
    const again = await api.post(`/v1/partner-invites/${invite.code}/accept`, {}, existingShop.token);
    expectStatus(again, 200);
    expect(again.body.id).toBe(accepted.body.id);
    expect((await api.get('/v1/partner-invites', supplier.token)).body.data[0].uses).toBe(2);
    expectError(await api.post(`/v1/partner-invites/${invite.code}/accept`, {}, supplier.token), 400, 'cannot_partner_with_self', 'code');
  });

  it('a taken email joins nothing and spends no use', async () => {
    expectError(await join(invite.code, 'Copycat', 'wang@invites.example'), 409, 'email_taken');
    expect((await api.get('/v1/partner-invites', supplier.token)).body.data[0].uses).toBe(2);
    const names = await withDatabase(database.url, (client) => client.query(`select name from merchant where name = 'Copycat'`));
    expect(names.rows).toEqual([]);
  });

  it('honours maxUses exactly when many join at once', async () => {
    const limited = await api.post('/v1/partner-invites', { maxUses: 3 }, supplier.token);
    expectStatus(limited, 201);
    const attempts = await Promise.all(Array.from({ length: 12 }, (_, index) => join(limited.body.code, `Racer ${index}`)));
    const statuses = attempts.map((attempt) => attempt.status).sort();
    expect(statuses).toEqual([201, 201, 201, ...Array(9).fill(409)]);
    for (const refused of attempts.filter((attempt) => attempt.status === 409)) expect(refused.body.error.code).toBe('invite_used_up');
    const row = await withDatabase(database.url, (client) => client.query(`select uses from partner_invite where id = $1`, [limited.body.id]));
    expect(row.rows[0].uses).toBe(3);
    const racers = await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from merchant where name like 'Racer %'`));
    expect(racers.rows[0].n).toBe(3);
    expect((await api.get('/v1/partner-invites', supplier.token)).body.data.find((item: { id: string }) => item.id === limited.body.id).status).toBe('used_up');
  });

  it('refuses expired, revoked and unknown codes without naming who issued them', async () => {
    const expiring = await api.post('/v1/partner-invites', { expiresAt: new Date(Date.now() + 60_000).toISOString() }, supplier.token);
    expectStatus(expiring, 201);
    await withDatabase(database.url, (client) => client.query(`update partner_invite set expires_at = now() - interval '1 second' where id = $1`, [expiring.body.id]));
    expectError(await join(expiring.body.code, 'Late Comer'), 409, 'invite_expired');

    const withdrawn = await api.post('/v1/partner-invites', {}, supplier.token);
    const revoked = await api.post(`/v1/partner-invites/${withdrawn.body.id}/revoke`, {}, supplier.token);
    expectStatus(revoked, 200);
    expect(revoked.body.status).toBe('revoked');
    expectStatus(await api.post(`/v1/partner-invites/${withdrawn.body.id}/revoke`, {}, supplier.token), 200);
    const refused = await join(withdrawn.body.code, 'Too Late');
    expectError(refused, 409, 'invite_revoked');
    expectError(await api.post(`/v1/partner-invites/${withdrawn.body.code}/accept`, {}, rival.token), 409, 'invite_revoked');

    expectError(await join('AAAAAAAAAAAAAAAAAAAA', 'Guesser'), 404, 'invite_not_found');
    expectError(await join('not-a-code', 'Guesser'), 404, 'invite_not_found');
    for (const response of [refused, await join('AAAAAAAAAAAAAAAAAAAA', 'Guesser')]) {
      // The request id is a random UUID: leave it out before looking for the inviter's id.
      const { requestId: _requestId, ...error } = (response.body as { error: Record<string, unknown> }).error;
      expect(JSON.stringify(error)).not.toContain('Yiwu');
      expect(JSON.stringify(error)).not.toMatch(new RegExp(`\\b${supplier.merchantId}\\b`));
    }
    expectError(await api.post('/v1/partner-invites', { expiresAt: new Date(Date.now() - 1000).toISOString() }, supplier.token), 400, 'validation_failed', 'expiresAt');
    expectError(await api.post('/v1/partner-invites', { maxUses: 0 }, supplier.token), 400, 'validation_failed', 'maxUses');
  });

  it('another supplier can neither list nor revoke this supplier’s invites', async () => {
    const theirs = await api.get('/v1/partner-invites', rival.token);
    expect(theirs.body).toEqual({ data: [], nextCursor: null });
    expectError(await api.post(`/v1/partner-invites/${invite.id}/revoke`, {}, rival.token), 404, 'partner_invite_not_found');
    expect((await api.get('/v1/partner-invites', supplier.token)).body.data.find((item: { id: string }) => item.id === invite.id).status).toBe('active');
  });

  it('pages the list with {data, nextCursor}', async () => {
    const first = await api.get('/v1/partner-invites?limit=2', supplier.token);
    expect(first.body.data).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api.get(`/v1/partner-invites?limit=2&cursor=${first.body.nextCursor}`, supplier.token);
    expect(second.body.data.length).toBeGreaterThan(0);
    expect(second.body.data.map((item: { id: string }) => item.id)).not.toContain(first.body.data[0].id);
  });

  describe('inviting by id reveals nothing', () => {
    it('answers an existing merchant, an unknown id, an invitation sent before and a declined one alike, and shows no name before acceptance', async () => {
      const target = await signUp(api, 'Secret Name Trading', 'Qian', 'qian@invites.example');
      const answers = [];
      for (const id of [target.merchantId, '900000001', String(Number(target.merchantId) + 1000), target.merchantId]) {
        const response = await api.post('/v1/partnerships', { downstreamMerchantId: id }, rival.token);
        answers.push({ status: response.status, body: { ...response.body, downstreamMerchantId: 'x' } });
        expect(JSON.stringify(response.body)).not.toContain('Secret Name');
      }
      expect(answers).toEqual(Array(4).fill({ status: 202, body: { status: 'sent', downstreamMerchantId: 'x' } }));
      // The inviter sees nothing of its invitation, by list or by id, until it is accepted.
      const inviterView = JSON.stringify((await api.get('/v1/partnerships?limit=200', rival.token)).body);
      expect(inviterView).not.toContain('Secret Name');
      const invitation = await invitationFrom(api, rival.merchantId, target);
      expectError(await api.get(`/v1/partnerships/${invitation}`, rival.token), 404, 'partnership_not_found');
      // The invitee sees who invited it; declining and being invited again still tells the inviter nothing.
      expectStatus(await api.post(`/v1/partnerships/${invitation}/decline`, {}, target.token), 200);
      const again = await api.post('/v1/partnerships', { downstreamMerchantId: target.merchantId }, rival.token);
      expect([again.status, again.body.status]).toEqual([202, 'sent']);
      expect(JSON.stringify((await api.get('/v1/partnerships?limit=200', rival.token)).body)).not.toContain('Secret Name');
      const accepted = await api.post(`/v1/partnerships/${invitation}/accept`, {}, target.token);
      expectStatus(accepted, 200);
      const seen = await api.get(`/v1/partnerships/${invitation}`, rival.token);
      expect(seen.body).toEqual(expect.objectContaining({ status: 'active', downstream: { merchantId: target.merchantId, name: 'Secret Name Trading' } }));
    });
  });
});
