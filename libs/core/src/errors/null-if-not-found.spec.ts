import { NotFoundError, nullIfNotFound } from './domain-error';

describe('nullIfNotFound', () => {
  it('gives what the lookup found', async () => {
    await expect(nullIfNotFound(Promise.resolve({ id: '7' }))).resolves.toEqual({ id: '7' });
  });

  it('gives null when the lookup did not find it', async () => {
    await expect(nullIfNotFound(Promise.reject(new NotFoundError('order sheet export', '7')))).resolves.toBeNull();
  });

  it('keeps any other failure a failure (a job retries it rather than dropping its work)', async () => {
    const away = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    await expect(nullIfNotFound(Promise.reject(away))).rejects.toBe(away);
  });
});
