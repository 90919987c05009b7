import { createTestDatabase, TestApi, TestDatabase, testConfig } from '../support/test-environment';

describe('smoke', () => {
  let database: TestDatabase;
  let api: TestApi;

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await TestApi.start(testConfig(database));
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  it('signs up and reads its merchant', async () => {
    const health = await api.get('/health');
    expect(health.status).toBe(200);
    const signUp = await api.post('/v1/auth/sign-up', { merchantName: 'Factory', ownerName: 'Li', email: 'a@b.example', password: 'long enough pass' });
    expect(signUp.status).toBe(201);
    const me = await api.get('/v1/merchants/me', signUp.body.token);
    expect(me.body).toEqual(expect.objectContaining({ name: 'Factory' }));
  });
});
