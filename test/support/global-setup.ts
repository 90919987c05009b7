import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { buildConsoleIfStale } from './console-browser';
import { databaseUrl, dropStaleTestDatabases, templateDatabase, TEST_DATA_ENCRYPTION_KEYS, withAdminClient } from './database-admin';

const root = resolve(__dirname, '../..');

/**
 * Builds a migrated template database once per run; each test file clones it. The migrations run
 * from the compiled code in a child process (MikroORM must not be initialised in jest's global
 * realm: mikro-orm issue #3783), which also type-checks the project before any test runs.
 */
export default async function globalSetup(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.DATABASE_URL = base;
  // Every test process, migration and spawned api/worker encrypts under this key (test/support/test-environment.ts).
  process.env.DATA_ENCRYPTION_KEYS ??= TEST_DATA_ENCRYPTION_KEYS;
  const template = templateDatabase();
  process.env.GONGXIAO_TEST_TEMPLATE = template;
  await withAdminClient(base, async (client) => {
    await dropStaleTestDatabases(client);
    await client.query(`create database "${template}"`);
  });
  execFileSync(process.execPath, [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
  // The api serves the built console at /console; the browser stories need it current.
  buildConsoleIfStale();
  execFileSync(process.execPath, ['-r', 'tsconfig-paths/register', resolve(root, 'dist/apps/api/src/migrate.js')], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, TS_NODE_BASEURL: resolve(root, 'dist'), DATABASE_URL: databaseUrl(base, template) },
  });
}
