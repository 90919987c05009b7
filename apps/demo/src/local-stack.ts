import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { runMigrations } from '@gongxiao/core';
import { MIGRATIONS } from '../../api/src/migrations';

/** The repository root (this file runs from dist/apps/demo/src). */
export const ROOT = resolve(__dirname, '../../../..');

/** The server of a database URL, with another database name. */
export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

/** A fresh, migrated database (dropped first when it exists), so a run can be repeated. */
export async function freshDatabase(base: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: databaseUrl(base, 'postgres') });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = databaseUrl(base, name);
  await runMigrations(url, MIGRATIONS);
  return url;
}

/** Deletes every BullMQ key under one prefix (never the whole Redis: it may be shared). */
export async function clearQueues(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
}

/** Starts the compiled api or worker as a real process, its output in `<logDirectory>/<prefix><name>.log`. */
export function startService(name: 'api' | 'worker', env: NodeJS.ProcessEnv, logDirectory: string, logPrefix = ''): ChildProcess {
  mkdirSync(logDirectory, { recursive: true });
  const log = createWriteStream(resolve(logDirectory, `${logPrefix}${name}.log`));
  const child = spawn(process.execPath, ['-r', 'tsconfig-paths/register', resolve(ROOT, `dist/apps/${name}/src/main.js`)], {
    cwd: ROOT,
    env: { ...env, TS_NODE_BASEURL: resolve(ROOT, 'dist') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

/** SIGTERM (graceful shutdown), then SIGKILL after 10 s. */
export async function stopService(child: ChildProcess): Promise<void> {
  // Gone already: exited, or killed by a signal (then only signalCode is set).
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, pollMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((done) => setTimeout(done, pollMs));
  }
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
