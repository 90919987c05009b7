import { useStage } from '../support/stage';

describe('smoke', () => {
  const { api } = useStage();

  it('signs up and reads its merchant', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    const signUp = await api.post('/v1/auth/sign-up', { merchantName: 'Factory', ownerName: 'Li', email: 'a@b.example', password: 'long enough pass' });
    expect(signUp.status).toBe(201);
    const me = await api.get('/v1/merchants/me', signUp.body.token);
    expect(me.body).toEqual(expect.objectContaining({ name: 'Factory' }));
  });
});
