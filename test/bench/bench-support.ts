import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ROOT } from '../../apps/demo/src/local-stack';

export { clearQueues, freshDatabase, percentile, ROOT, startService, stopService, waitFor } from '../../apps/demo/src/local-stack';

export const OUT = resolve(ROOT, 'out/bench');

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

/** The first lines of every bare exceljs writer a bench runs as its own process: its modules and a reader of its own RSS. */
export const BARE_WRITER_PRELUDE = `const ExcelJS = require('exceljs');
const { Client } = require('pg');
const rssMb = (field) => Number(new RegExp(field + ':\\\\s+(\\\\d+) kB').exec(require('fs').readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;`;
