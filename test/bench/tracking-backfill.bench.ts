import 'reflect-metadata';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { exampleTrackingNumber } from '@gongxiao/core';
import { DemoClient, inPool } from '../../apps/demo/src/http-client';
import { call, clearQueues, freshDatabase, OUT, peakRssMb, resetPeakRss, ROOT, runBench, startService, stopService, waitFor, writeBenchResults, serviceEnvironment } from './bench-support';
import { BARE_BACKFILL } from './tracking-backfill-baseline';

/**
 * The tracking backfill round trip: ROWS unshipped fulfillment-order lines of one supplier (ORDERS
 * signed shop orders of LINES_PER_ORDER lines, each a different SKU, pushed over HTTP and routed by
 * the worker: reservations, settlement holds, hop prices as in production). The supplier downloads
 * its order sheet (GET /v1/fulfillment-orders/export.xlsx?status=new), fills 快递公司 and 快递单号 in
 * every row with exceljs (one parcel per fulfillment order) and uploads it (POST
 * /v1/imports?kind=tracking_backfill, valid_rows); seconds from upload to done and the peak RSS
 * growth (VmHWM) of the worker and the api. Beside it, in the same run and its own process, the bare
 * exceljs read + bare pg apply of the same file (tracking-backfill-baseline.ts).
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ROWS = Number(process.env.BENCH_BACKFILL_ROWS ?? (QUICK ? 10_000 : 100_000));
const LINES_PER_ORDER = 10;
const ORDERS = Math.ceil(ROWS / LINES_PER_ORDER);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PORT = Number(process.env.BENCH_PORT ?? 3930);
const PREFIX = 'gx-bench-backfill';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const CARRIERS: [code: string, name: string][] = [
  ['SF', '顺丰速运'],
  ['ZTO', '中通快递'],
  ['YTO', '圆通速递'],
  ['YUNDA', '韵达快递'],
];

const log = (message: string) => console.log(`[bench:backfill] ${message}`);
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

interface Supplier {
  token: string;
  merchantId: string;
}

/** A factory with one inbox warehouse (no merge window) and 10 SKUs in stock, offered to a distributor whose shop lists them. */
async function network(api: string): Promise<{ supplier: Supplier; shop: { id: string; secret: string }; codes: string[] }> {
  const signUp = (name: string) =>
    call(api, 'POST', '/v1/auth/sign-up', undefined, { merchantName: name, ownerName: 'Bench', email: `${name.toLowerCase()}@backfill.bench.example`, password: 'bench password 1' });
  const factory = await signUp('Factory');
  const distributor = await signUp('Distributor');
  await call(api, 'POST', '/v1/partnerships', factory.token, { downstreamMerchantId: distributor.merchant.id });
  const invitations = await call(api, 'GET', '/v1/partnerships?side=upstream&status=invited&limit=200', distributor.token);
  await call(api, 'POST', `/v1/partnerships/${invitations.data[0].id}/accept`, distributor.token);
  const skus = Array.from({ length: LINES_PER_ORDER }, (_, index) => ({ code: `TEE-${index + 1}`, name: `Cotton tee ${index + 1}` }));
  const product = await call(api, 'POST', '/v1/products', factory.token, { name: 'Tees', skus });
  const warehouse = await call(api, 'POST', '/v1/warehouses', factory.token, { code: 'ZJ', name: 'Yiwu', province: '浙江省', city: '金华市', mergeWindowMinutes: 0 });
  const shop = await call(api, 'POST', '/v1/shops', distributor.token, { platform: 'youzan', name: 'Shop' });
  const codes: string[] = [];
  for (const sku of product.skus as { id: string; code: string }[]) {
    await call(api, 'PUT', '/v1/stock-levels', factory.token, { warehouseId: warehouse.id, skuId: sku.id, onHand: ORDERS * 2 });
    const offer = await call(api, 'POST', '/v1/offers', factory.token, { skuId: sku.id, buyerMerchantId: distributor.merchant.id, price: { amount: 2990, currency: 'CNY' } });
    await call(api, 'POST', '/v1/listings', distributor.token, { shopId: shop.id, shopSkuCode: `YZ-${sku.code}`, offerId: offer.id, retailPrice: { amount: 5990, currency: 'CNY' } });
    codes.push(`YZ-${sku.code}`);
  }
  return { supplier: { token: factory.token, merchantId: factory.merchant.id }, shop: { id: shop.id, secret: shop.webhookSecret }, codes };
}

/** ORDERS signed pushes, CONCURRENCY at a time, then waits until the worker routed every line to the supplier. */
async function pushOrders(api: string, db: Client, shop: { id: string; secret: string }, codes: string[], supplierId: string): Promise<number> {
  const client = new DemoClient(api);
  const started = Date.now();
  await inPool(
    Array.from({ length: ORDERS }, (_, index) => index),
    CONCURRENCY,
    async (index) => {
      const order = {
        externalOrderId: `YZ-${100000 + index}`,
        currency: 'CNY',
        consignee: { name: `张${index}`, phone: `139${String(index).padStart(8, '0')}`, province: '广东省', city: '广州市', district: '天河区', address: `体育西路 ${index + 1} 号` },
        lines: codes.slice(0, Math.min(LINES_PER_ORDER, ROWS - index * LINES_PER_ORDER)).map((shopSkuCode) => ({ shopSkuCode, quantity: 1, unitPrice: 5990 })),
      };
      const response = await client.pushOrder(shop.id, shop.secret, order);
      if (response.status !== 202) throw new Error(`push ${order.externalOrderId}: HTTP ${response.status} ${JSON.stringify(response.body)}`);
    },
  );
  const routed = async () =>
    (
      await db.query<{ n: number }>(
        `select count(*)::int as n from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id where o.supplier_merchant_id = $1 and o.status = 'new'`,
        [supplierId],
      )
    ).rows[0].n;
  await waitFor(`${ROWS} lines routed`, async () => (await routed()) >= ROWS, 1_800_000, 2000);
  const exceptions = (await db.query<{ n: number }>(`select count(*)::int as n from channel_order where status = 'exception'`)).rows[0].n;
  if (exceptions > 0) throw new Error(`${exceptions} orders held as exceptions`);
  return (Date.now() - started) / 1000;
}

/** The downloaded sheet with 快递公司 and 快递单号 filled in every row: one parcel (carrier, number) per fulfillment order. */
async function fillSheet(file: Buffer): Promise<{ file: Buffer; rows: number; parcels: number }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const headers = (sheet.getRow(1).values as unknown[]).map((value) => String(value ?? ''));
  const column = (name: string) => {
    const index = headers.indexOf(name);
    if (index < 1) throw new Error(`the order sheet has no column ${name}: ${headers.join(', ')}`);
    return index;
  };
  const [orderColumn, carrierColumn, trackingColumn] = [column('发货单号'), column('快递公司'), column('快递单号')];
  const orders = new Set<string>();
  let rows = 0;
  sheet.eachRow((row, rowNumber) => {
    if (rowNumber === 1) return;
    const order = String(row.getCell(orderColumn).value);
    const [code, name] = CARRIERS[Number(order) % CARRIERS.length];
    row.getCell(carrierColumn).value = name;
    row.getCell(trackingColumn).value = exampleTrackingNumber(code, order);
    orders.add(order);
    rows++;
  });
  return { file: Buffer.from(await workbook.xlsx.writeBuffer()), rows, parcels: orders.size };
}

interface Sample {
  seconds: number;
  status: string;
  done: number;
  total: number | null;
  workerRssMb: number;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

/** Uploads the sheet and polls the import until done: seconds, the import's counts, and a timeline of its progress beside the worker's RSS (every 250 ms). */
async function upload(api: string, token: string, file: Buffer, workerPid: number): Promise<{ seconds: number; outcome: any; samples: Sample[] }> {
  const form = new FormData();
  form.append('mode', 'valid_rows');
  form.append('file', new Blob([new Uint8Array(file)], { type: XLSX }), '发货单.xlsx');
  const started = process.hrtime.bigint();
  const response = await fetch(`${api}/v1/imports?kind=tracking_backfill`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const accepted = (await response.json()) as { id: string };
  if (response.status !== 202) throw new Error(`upload: HTTP ${response.status} ${JSON.stringify(accepted)}`);
  let outcome: any;
  const samples: Sample[] = [];
  await waitFor(
    'the import done',
    async () => {
      outcome = await call(api, 'GET', `/v1/imports/${accepted.id}`, token);
      const seconds = round(Number(process.hrtime.bigint() - started) / 1e9);
      samples.push({ seconds, status: outcome.status, done: outcome.progress.done, total: outcome.progress.total, workerRssMb: Math.round(rssMb(workerPid)) });
      if (outcome.status === 'failed') throw new Error(`import failed: ${JSON.stringify(outcome)}`);
      return outcome.status === 'done';
    },
    1_800_000,
    250,
  );
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, outcome, samples };
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  mkdirSync(OUT, { recursive: true });
  log(`fresh database gongxiao_bench_backfill; ${ROWS} lines in ${ORDERS} orders`);
  const url = await freshDatabase(base, 'gongxiao_bench_backfill');
  await clearQueues(redisUrl, PREFIX);
  // The sheet is downloaded at once (GET export.xlsx), as a supplier with a smaller sheet would: above the api's own limit here.
  const env = serviceEnvironment({ databaseUrl: url, redisUrl, queuePrefix: PREFIX, port: PORT }, { ORDER_SHEET_SYNC_LIMIT_LINES: String(Math.max(ROWS, 20_000)) });
  // BENCH_PROFILE=1: the worker writes a V8 CPU profile to out/bench/profile when it stops (a profiling run, not for the figures).
  const [apiProcess, workerProcess] = [startService('api', env, OUT, 'bench-backfill-'), process.env.BENCH_PROFILE === '1' ? profiledWorker(env) : startService('worker', env, OUT, 'bench-backfill-')];
  const db = new Client({ connectionString: url });
  const api = `http://127.0.0.1:${PORT}`;
  try {
    await waitFor('the api', async () => (await fetch(`${api}/health`)).status === 200, 60_000);
    await db.connect();
    const { supplier, shop, codes } = await network(api);
    const fixtureSeconds = await pushOrders(api, db, shop, codes, supplier.merchantId);
    log(`fixtures: ${ORDERS} orders pushed and routed in ${fixtureSeconds.toFixed(1)} s`);
    await new Promise((done) => setTimeout(done, 3000)); // the outbox drained (settlement holds, inbox notifications)

    const exported = await fetch(`${api}/v1/fulfillment-orders/export.xlsx?status=new`, { headers: { authorization: `Bearer ${supplier.token}` } });
    if (exported.status !== 200) throw new Error(`export: HTTP ${exported.status}`);
    const filled = await fillSheet(Buffer.from(await exported.arrayBuffer()));
    if (filled.rows !== ROWS) throw new Error(`the order sheet has ${filled.rows} rows, expected ${ROWS}`);
    const filePath = resolve(OUT, 'tracking-backfill.xlsx');
    writeFileSync(filePath, filled.file);
    log(`sheet filled: ${filled.rows} rows, ${filled.parcels} parcels, ${(filled.file.length / 1024 / 1024).toFixed(1)} MiB`);

    // The baseline first (its transactions roll back), so the product then ships the same lines.
    const bare = spawnSync(process.execPath, ['-e', BARE_BACKFILL], {
      cwd: ROOT,
      env: { ...process.env, BENCH_URL: url, BENCH_FILE: filePath, BENCH_SUPPLIER: supplier.merchantId },
      encoding: 'utf8',
    });
    if (bare.status !== 0) throw new Error(`bare backfill failed: ${bare.stderr}`);
    const baseline = JSON.parse(bare.stdout.trim().split('\n').pop()!) as {
      statementSeconds: Record<string, number>;
      rows: number;
      parcels: number;
      applied: number;
      readSeconds: number;
      seconds: number;
      peakRssMb: number;
      startRssMb: number;
    };
    if (baseline.applied !== ROWS || baseline.parcels !== filled.parcels) throw new Error(`bare backfill applied ${baseline.applied} rows in ${baseline.parcels} parcels`);
    log(`bare statements, seconds: ${JSON.stringify(baseline.statementSeconds)}`);
    log(`bare: read ${baseline.readSeconds.toFixed(1)} s, read + apply ${baseline.seconds.toFixed(1)} s, peak RSS ${baseline.peakRssMb.toFixed(0)} MB (${baseline.startRssMb.toFixed(0)} at start)`);

    // Peaks reset to the current RSS: the fixtures' pushes and routing peaked higher already.
    const [workerBefore, apiBefore] = [resetPeakRss(workerProcess.pid!), resetPeakRss(apiProcess.pid!)];
    const { seconds, outcome, samples } = await upload(api, supplier.token, filled.file, workerProcess.pid!);
    const [workerPeak, apiPeak] = [peakRssMb(workerProcess.pid!), peakRssMb(apiProcess.pid!)];
    const shipments = (await db.query<{ n: number }>(`select count(*)::int as n from shipment where supplier_merchant_id = $1`, [supplier.merchantId])).rows[0].n;
    log(`import: ${JSON.stringify({ applied: outcome.applied, unchanged: outcome.unchanged, rejected: outcome.rejected })} in ${seconds.toFixed(1)} s; ${shipments} shipments`);
    if (outcome.applied !== ROWS || shipments !== filled.parcels)
      throw new Error(`the import applied ${outcome.applied} rows and recorded ${shipments} shipments, expected ${ROWS} rows in ${filled.parcels} parcels`);
    const firstApplied = samples.find((sample) => sample.done > 0);
    const phases = {
      firstRowsAppliedAtSeconds: firstApplied?.seconds ?? null,
      workerRssMbBeforeFirstApplied: Math.max(0, ...samples.filter((sample) => sample.done === 0).map((sample) => sample.workerRssMb)),
      workerRssMbWhileApplying: Math.max(0, ...samples.filter((sample) => sample.done > 0).map((sample) => sample.workerRssMb)),
    };
    log(`phases (250 ms samples): ${JSON.stringify(phases)}`);
    log(`worker peak RSS ${workerBefore.toFixed(0)} → ${workerPeak.toFixed(0)} MB, api ${apiBefore.toFixed(0)} → ${apiPeak.toFixed(0)} MB`);

    const results = {
      rows: ROWS,
      parcels: filled.parcels,
      fileMiB: round(filled.file.length / 1024 / 1024, 1),
      fixtureSeconds: round(fixtureSeconds, 1),
      seconds: round(seconds),
      applied: outcome.applied,
      workerPeakRssMb: { before: Math.round(workerBefore), after: Math.round(workerPeak) },
      apiPeakRssMb: { before: Math.round(apiBefore), after: Math.round(apiPeak) },
      phases,
      samples,
      baseline: {
        readSeconds: round(baseline.readSeconds),
        seconds: round(baseline.seconds),
        peakRssMb: Math.round(baseline.peakRssMb),
        startRssMb: Math.round(baseline.startRssMb),
        statementSeconds: baseline.statementSeconds,
      },
    };
    writeBenchResults('tracking-backfill', results, table(results));
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all([apiProcess, workerProcess].map(stopService));
  }
}

/** The worker as `startService` starts it, with `--cpu-prof` (not allowed in NODE_OPTIONS). */
function profiledWorker(env: NodeJS.ProcessEnv): ChildProcess {
  const log = createWriteStream(resolve(OUT, 'bench-backfill-worker.log'));
  const child = spawn(process.execPath, [`--cpu-prof`, `--cpu-prof-dir=${resolve(OUT, 'profile')}`, '-r', 'tsconfig-paths/register', resolve(ROOT, 'dist/apps/worker/src/main.js')], {
    cwd: ROOT,
    env: { ...env, TS_NODE_BASEURL: resolve(ROOT, 'dist') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

function table(results: {
  rows: number;
  parcels: number;
  seconds: number;
  workerPeakRssMb: { before: number; after: number };
  apiPeakRssMb: { before: number; after: number };
  baseline: { readSeconds: number; seconds: number; peakRssMb: number; startRssMb: number };
}): string {
  const growth = results.workerPeakRssMb.after - results.workerPeakRssMb.before;
  const apiGrowth = results.apiPeakRssMb.after - results.apiPeakRssMb.before;
  const baselineGrowth = results.baseline.peakRssMb - results.baseline.startRssMb;
  return [
    '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
    '|---|---|---|---|',
    `| Tracking backfill of ${results.rows} order-sheet rows (${results.parcels} parcels) uploaded over HTTP, upload → import done, seconds | ${results.seconds} s | ${results.baseline.seconds} s (own process: bare exceljs streaming read of the same file, every cell, ${results.baseline.readSeconds} s; then bare pg apply: lines looked up, shipments, shipment lines, shipped units, order statuses, stock + movements, shop order lines, one outbox row per parcel; unnest, 1 tx per 5,000 rows, rolled back) | ${(results.seconds / results.baseline.seconds).toFixed(2)}× (goal ≤ 1.5×, < 30 s) |`,
    `| same, memory: peak RSS growth (VmHWM) | +${growth} MB worker (${results.workerPeakRssMb.before} → ${results.workerPeakRssMb.after} MB); +${apiGrowth} MB api (${results.apiPeakRssMb.before} → ${results.apiPeakRssMb.after} MB) | +${baselineGrowth} MB (${results.baseline.startRssMb} → ${results.baseline.peakRssMb} MB) | ${(growth / Math.max(1, baselineGrowth)).toFixed(2)}× worker (goal ≤ 1.5×, < 300 MB) |`,
  ].join('\n');
}

runBench(main);
