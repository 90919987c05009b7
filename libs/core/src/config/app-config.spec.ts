import 'reflect-metadata';
import { AppConfig, ConfigurationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('uses the documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toBeInstanceOf(AppConfig);
    expect(config).toMatchObject({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/gongxiao',
      REDIS_URL: 'redis://127.0.0.1:6379',
      HOST: '0.0.0.0',
      PORT: 3000,
      LOG_LEVEL: 'info',
      QUEUE_PREFIX: 'gx',
      BODY_LIMIT_BYTES: 1_048_576,
      WEBHOOK_TOLERANCE_SECONDS: 300,
      SESSION_TTL_HOURS: 168,
      OUTBOX_REDELIVER_SECONDS: 30,
      OUTBOX_POLL_MS: 250,
      WORKER_CONCURRENCY: 8,
      WORKER_LOCK_SECONDS: 30,
      WORKER_STALLED_CHECK_SECONDS: 30,
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_MAX_ATTEMPTS: 8,
      OUTGOING_ALLOW_HOSTS: '',
    });
    expect(config.NODE_ENV).toBeUndefined();
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ PORT: 3000, DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/gongxiao' });
  });

  it('parses numbers from the environment strings', () => {
    const config = loadConfig({
      PORT: '8080',
      BODY_LIMIT_BYTES: '5242880',
      WORKER_CONCURRENCY: '3',
      OUTBOX_POLL_MS: '1000',
      WEBHOOK_MAX_ATTEMPTS: '2',
    });
    expect(config.PORT).toBe(8080);
    expect(config.BODY_LIMIT_BYTES).toBe(5_242_880);
    expect(config.WORKER_CONCURRENCY).toBe(3);
    expect(config.OUTBOX_POLL_MS).toBe(1000);
    expect(config.WEBHOOK_MAX_ATTEMPTS).toBe(2);
    expect(typeof config.PORT).toBe('number');
  });

  it('keeps given strings', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://app:secret@db:5432/gongxiao',
      REDIS_URL: 'rediss://cache:6380',
      LOG_LEVEL: 'debug',
      QUEUE_PREFIX: '{gx}',
      NODE_ENV: 'production',
      DATA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
    });
    expect(config).toMatchObject({
      DATABASE_URL: 'postgresql://app:secret@db:5432/gongxiao',
      REDIS_URL: 'rediss://cache:6380',
      LOG_LEVEL: 'debug',
      QUEUE_PREFIX: '{gx}',
      NODE_ENV: 'production',
    });
  });

  it('reads the outgoing allow-list: addresses, ranges and host names', () => {
    expect(loadConfig({ OUTGOING_ALLOW_HOSTS: '127.0.0.1, 10.20.0.0/16,erp.intranet.example' }).OUTGOING_ALLOW_HOSTS).toBe('127.0.0.1, 10.20.0.0/16,erp.intranet.example');
  });

  it('requires data encryption keys in production and never echoes them when they are bad', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATA_ENCRYPTION_KEYS must be set in production/);
    expect(() => loadConfig({ NODE_ENV: 'development' })).not.toThrow();
    const shortKey = Buffer.alloc(16, 9).toString('base64');
    let message = '';
    try {
      loadConfig({ DATA_ENCRYPTION_KEYS: `k1:${shortKey}` });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('must be 32 bytes');
    expect(message).not.toContain(shortKey);
    const two = `a:${Buffer.alloc(32, 1).toString('base64')},b:${Buffer.alloc(32, 2).toString('base64')}`;
    expect(() => loadConfig({ DATA_ENCRYPTION_KEYS: two })).toThrow(/DATA_ENCRYPTION_KEY_ID must name/);
    expect(() => loadConfig({ DATA_ENCRYPTION_KEYS: two, DATA_ENCRYPTION_KEY_ID: 'c' })).toThrow(/"c" is not one of/);
    expect(loadConfig({ DATA_ENCRYPTION_KEYS: two, DATA_ENCRYPTION_KEY_ID: 'b' }).DATA_ENCRYPTION_KEY_ID).toBe('b');
  });

  it('ignores unrelated variables', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/home/node' })).not.toThrow();
  });

  it('reports every bad variable in one ConfigurationError', () => {
    let thrown: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://root@localhost/gongxiao', PORT: 'eighty' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    const message = (thrown as ConfigurationError).message;
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('DATABASE_URL must be a postgres:// URL');
    expect(message).toMatch(/PORT=/);
    expect(message).toContain('.env.example');
    expect(message).not.toContain('REDIS_URL');
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '80.5'],
    ['BODY_LIMIT_BYTES', '10'],
    ['WORKER_CONCURRENCY', '0'],
    ['LOG_LEVEL', 'verbose'],
    ['NODE_ENV', 'staging'],
    ['REDIS_URL', 'http://cache:6379'],
    ['QUEUE_PREFIX', 'gx prod'],
    ['OUTGOING_ALLOW_HOSTS', '10.0.0.0/33'],
    ['OUTGOING_ALLOW_HOSTS', '127.0.0.1,http://erp.intranet'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigurationError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^  ${name}=`, 'm'));
  });
});
