import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../../apps/demo/src/local-stack';

export { clearQueues, freshDatabase, percentile, ROOT, startService, stopService, waitFor } from '../../apps/demo/src/local-stack';

export const OUT = resolve(ROOT, 'out/bench');

/** The environment of a bench's api and worker: its own database, Redis prefix and port, quiet logs, a fast outbox poll; `extra` on top. */
export function serviceEnvironment(options: { databaseUrl: string; redisUrl: string; queuePrefix: string; port: number }, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: options.redisUrl,
    QUEUE_PREFIX: options.queuePrefix,
    PORT: String(options.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_MS: '100',
    ...extra,
  };
}

export async function call<T = any>(baseUrl: string, method: string, path: string, token?: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path} → HTTP ${response.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Peak resident memory of a process so far (VmHWM), in MB. */
export const peakRssMb = (pid: number) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Resets a process's peak resident memory (VmHWM) to its current RSS (Linux clear_refs 5), so that a later peak is the scenario's own; returns it in MB. */
export function resetPeakRss(pid: number): number {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
  return peakRssMb(pid);
}

/** The first lines of every bare exceljs writer a bench runs as its own process: its modules and a reader of its own RSS. */
export const BARE_WRITER_PRELUDE = `const ExcelJS = require('exceljs');
const { Client } = require('pg');
const rssMb = (field) => Number(new RegExp(field + ':\\\\s+(\\\\d+) kB').exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;`;

/** Writes a scenario's figures as `out/bench/<name>.json` and its table rows as `<name>.md` (bench.sh joins them), and prints the table. */
export function writeBenchResults(name: string, results: unknown, table: string): void {
  writeFileSync(resolve(OUT, `${name}.json`), JSON.stringify(results, null, 2));
  writeFileSync(resolve(OUT, `${name}.md`), `${table}\n`);
  console.log(`\n${table}\n`);
}

/** Runs a bench's main and exits: 0 when it finished, 1 with the reason when it failed. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`bench failed: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
