import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import {
  call,
  clearQueues,
  freshDatabase,
  OUT,
  ROOT,
  startService,
  stopService,
  waitFor,
  BARE_WRITER_PRELUDE,
  peakRssMb,
  resetPeakRss,
  runBench,
  writeBenchResults,
  serviceEnvironment,
} from './bench-support';

/**
 * Settlement at size: one statement of ENTRIES ledger entries (seeded in one set-based insert),
 * (1) exported as .xlsx by the product — POST /v1/statements/:id/exports, the worker streams it,
 * polled until done — beside a bare exceljs streaming writer of the same rows and columns (keyset
 * pages from a bare pg client, its own process): seconds and peak RSS growth of the worker vs the
 * bare process; (2) its month closed through the real close route beside a bare
 * `select statement_id, sum(…) group by` of the same rows.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ENTRIES = Number(process.env.BENCH_STATEMENT_ENTRIES ?? (QUICK ? 50_000 : 1_000_000));
const PORT = Number(process.env.BENCH_PORT ?? 3931);
const QUEUE_PREFIX = 'gx-bench-statement';

const log = (message: string) => console.log(`[bench:statement] ${message}`);
const round = (value: number) => Math.round(value * 100) / 100;

/** The baseline, its own node process: the statement's entries in keyset pages, the detail sheet's columns, exceljs' streaming writer. */
const BARE_WRITER = `${BARE_WRITER_PRELUDE}
(async () => {
  const before = rssMb('VmRSS');
  const started = process.hrtime.bigint();
  const db = new Client({ connectionString: process.env.BENCH_URL });
  await db.connect();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: process.env.BENCH_FILE, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Detail');
  sheet.columns = ['Date', 'Channel order no.', 'Fulfillment order no.', 'SKU code', 'Quantity', 'Unit price', 'Amount', 'Type'].map((header) => ({ header }));
  let after = '0', count = 0;
  for (;;) {
    const { rows } = await db.query(
      \`select id::text as id, occurred_at, external_order_id, fulfillment_order_id::text as fo, sku_code, quantity, unit_price_amount, kind,
              case when debit_account = 'receivable' then amount else -amount end as signed
         from ledger_entry e where statement_id = $1 and e.id > $2 order by e.id limit 2000\`, [process.env.BENCH_STATEMENT, after]);
    if (rows.length === 0) break;
    for (const row of rows) {
      sheet.addRow([row.occurred_at, row.external_order_id, row.fo, row.sku_code, row.quantity, row.unit_price_amount === null ? null : Number(row.unit_price_amount) / 100, Number(row.signed) / 100, row.kind]).commit();
    }
    after = rows[rows.length - 1].id;
    count += rows.length;
  }
  sheet.commit();
  await workbook.commit();
  await db.end();
  console.log(JSON.stringify({ rows: count, seconds: Number(process.hrtime.bigint() - started) / 1e9, peakRssMb: rssMb('VmHWM'), startRssMb: before }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** Two merchants through the API; the statement of last month and its entries straight into PostgreSQL. */
async function seed(api: string, db: Client): Promise<{ supplier: any; statementId: string; month: string }> {
  const signUp = (name: string) =>
    call(api, 'POST', '/v1/auth/sign-up', undefined, { merchantName: name, ownerName: 'Bench', email: `${name.toLowerCase()}@statement.bench.example`, password: 'bench password 1' });
  const supplier = await signUp('Supplier');
  const buyer = await signUp('Buyer');
  // Last month would close by itself a few days into this one (the default auto-close): the bench closes it itself, timed.
  await call(api, 'PUT', '/v1/settlement/settings', supplier.token, { autoCloseAfterDays: null });
  const { rows } = await db.query(
    `insert into statement (seller_merchant_id, buyer_merchant_id, currency, period)
     values ($1, $2, 'CNY', (date_trunc('month', now() at time zone 'Asia/Shanghai') - interval '1 month')::date)
     returning id::text, to_char(period, 'YYYY-MM') as month, period`,
    [supplier.merchant.id, buyer.merchant.id],
  );
  const [{ id: statementId, month, period }] = rows;
  // Goods at shipment, a refund every 25th entry: set-based, one statement.
  await db.query(
    `insert into ledger_entry (seller_merchant_id, buyer_merchant_id, currency, debit_account, credit_account, amount, kind, source_key, period, statement_id, occurred_at,
                               external_order_id, fulfillment_order_id, fulfillment_order_line_id, sku_id, sku_code, quantity, unit_price_amount)
     select $1, $2, 'CNY', case when g % 25 = 0 then 'revenue' else 'receivable' end, case when g % 25 = 0 then 'receivable' else 'revenue' end,
            (1 + g % 3) * 2990, case when g % 25 = 0 then 'refund' else 'goods' end, 'bench:' || g, $3::date, $4, $3::date + (g % 28) * interval '1 day' + (g % 86400) * interval '1 second',
            'SO-' || lpad((g / 3)::text, 9, '0'), g / 3, g, 1 + g % 8, 'SKU-' || (1 + g % 8), 1 + g % 3, 2990
       from generate_series(1, $5) g`,
    [supplier.merchant.id, buyer.merchant.id, period, statementId, ENTRIES],
  );
  await db.query('analyze');
  return { supplier, statementId, month };
}

/** The product's export: asked for over HTTP, written by the worker, polled until done. */
async function productExport(api: string, token: string, statementId: string, workerPid: number) {
  // The worker's start and the fixtures' close of the month peaked higher already: the peak is reset to the current RSS, so the figure is the export's growth.
  const idle = resetPeakRss(workerPid);
  const started = process.hrtime.bigint();
  const requested = await call(api, 'POST', `/v1/statements/${statementId}/exports`, token, { format: 'xlsx', language: 'zh' });
  let status: any = requested;
  let lastPercent = -1;
  await waitFor(
    'the statement export',
    async () => {
      status = await call(api, 'GET', `/v1/statement-exports/${requested.id}`, token);
      if (status.percent >= lastPercent + 20) log(`export ${(lastPercent = status.percent)}% (${status.rowsWritten}/${status.rowsTotal ?? '?'})`);
      return status.status === 'done' || status.status === 'failed';
    },
    30 * 60_000,
    100,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (status.status !== 'done') throw new Error(`export ${status.status}: ${status.error}`);
  return { seconds, idleRss: idle, peakRss: peakRssMb(workerPid), rows: status.rowsTotal as number };
}

/** Closing the month through the real route, against the bare aggregate of the same rows (run twice: warm, the better one). */
async function closeMonth(api: string, token: string, db: Client, statementId: string, month: string) {
  const bare: number[] = [];
  for (let round = 0; round < 2; round++) {
    const started = process.hrtime.bigint();
    await db.query(
      `select statement_id, sum(amount) filter (where kind = 'goods') as goods, sum(amount) filter (where kind = 'refund') as refunds,
              sum(case when debit_account = 'receivable' then amount else -amount end) as due
         from ledger_entry where statement_id = $1 group by statement_id`,
      [statementId],
    );
    bare.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  const started = process.hrtime.bigint();
  const closed = await call(api, 'POST', `/v1/settlement/periods/${month}/close`, token);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (closed.statements !== 1) throw new Error(`close froze ${closed.statements} statements`);
  return { seconds, baselineSeconds: Math.min(...bare) };
}

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  mkdirSync(OUT, { recursive: true });
  log(`fresh database gongxiao_bench_statement; ${ENTRIES} entries in one statement`);
  const url = await freshDatabase(base, 'gongxiao_bench_statement');
  await clearQueues(redisUrl, QUEUE_PREFIX);
  const env = serviceEnvironment({ databaseUrl: url, redisUrl, queuePrefix: QUEUE_PREFIX, port: PORT }, { EXPORT_DIR: resolve(OUT, 'exports') });
  const services = [startService('api', env, OUT, 'bench-statement-'), startService('worker', env, OUT, 'bench-statement-')];
  const db = new Client({ connectionString: url });
  const api = `http://127.0.0.1:${PORT}`;
  try {
    await waitFor('the api', async () => (await fetch(`${api}/health`)).status === 200, 60_000);
    await db.connect();
    const seedStarted = Date.now();
    const { supplier, statementId, month } = await seed(api, db);
    log(`seeded ${ENTRIES} entries into statement ${statementId} (${month}) in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const product = await productExport(api, supplier.token, statementId, services[1].pid!);
    log(`product export: ${product.rows} entries in ${product.seconds.toFixed(1)} s, worker peak RSS ${product.peakRss.toFixed(0)} MB (${product.idleRss.toFixed(0)} MB before)`);
    const bare = spawnSync(process.execPath, ['-e', BARE_WRITER], {
      cwd: ROOT,
      env: { ...process.env, BENCH_URL: url, BENCH_FILE: resolve(OUT, 'bare-statement.xlsx'), BENCH_STATEMENT: statementId },
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (bare.status !== 0) throw new Error(`bare writer failed: ${bare.stderr}`);
    const baseline = JSON.parse(bare.stdout.trim().split('\n').pop()!) as { rows: number; seconds: number; peakRssMb: number; startRssMb: number };
    log(`bare exceljs: ${baseline.rows} rows in ${baseline.seconds.toFixed(1)} s, peak RSS ${baseline.peakRssMb.toFixed(0)} MB`);
    const close = await closeMonth(api, supplier.token, db, statementId, month);
    log(`close ${month}: ${close.seconds.toFixed(2)} s; bare aggregate ${close.baselineSeconds.toFixed(2)} s`);
    report(product, baseline, close);
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all(services.map(stopService));
  }
}

function report(product: Awaited<ReturnType<typeof productExport>>, baseline: { seconds: number; peakRssMb: number; startRssMb: number }, close: Awaited<ReturnType<typeof closeMonth>>): void {
  const results = {
    entries: ENTRIES,
    exportSeconds: round(product.seconds),
    workerIdlePeakRssMb: Math.round(product.idleRss),
    workerPeakRssMb: Math.round(product.peakRss),
    baselineSeconds: round(baseline.seconds),
    baselinePeakRssMb: Math.round(baseline.peakRssMb),
    baselineStartRssMb: Math.round(baseline.startRssMb),
    closeSeconds: round(close.seconds),
    closeBaselineSeconds: round(close.baselineSeconds),
  };
  const growth = results.workerPeakRssMb - results.workerIdlePeakRssMb;
  const baselineGrowth = results.baselinePeakRssMb - results.baselineStartRssMb;
  const table = [
    '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
    '|---|---|---|---|',
    `| statement export of ${ENTRIES} entries (.xlsx, worker, POST → polled until done), seconds | ${results.exportSeconds} s | ${results.baselineSeconds} s (bare exceljs streaming writer + bare pg keyset pages, own process) | ${(results.exportSeconds / results.baselineSeconds).toFixed(2)}× (goal ≤ 1.3×) |`,
    `| same, memory: peak RSS growth of the process writing it | +${growth} MB (worker, ${results.workerIdlePeakRssMb} → ${results.workerPeakRssMb} MB) | +${baselineGrowth} MB (${results.baselineStartRssMb} → ${results.baselinePeakRssMb} MB) | ${(growth / Math.max(1, baselineGrowth)).toFixed(2)}× (goal ≤ 1.0×) |`,
    `| closing the month of that statement (POST /v1/settlement/periods/:month/close), seconds | ${results.closeSeconds} s | ${results.closeBaselineSeconds} s (bare \`select statement_id, sum(…) group by\`) | ${(results.closeSeconds / Math.max(0.001, results.closeBaselineSeconds)).toFixed(2)}× |`,
  ].join('\n');
  writeBenchResults('statement-export', results, table);
}

runBench(main);
