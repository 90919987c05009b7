import 'reflect-metadata';
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { encryptField } from '@gongxiao/core';
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
 * Excel: the supplier's order sheet of ROWS shipped fulfillment-order lines, asked for from the worker
 * (POST /v1/fulfillment-orders/exports, polled until done, the file downloaded: the path for a sheet
 * above ORDER_SHEET_SYNC_LIMIT_LINES, which the synchronous GET refuses) beside a bare exceljs
 * streaming writer of the same rows read with a bare pg client, in its own process. Seconds, and the
 * peak RSS (VmHWM) growth of the worker and of the bare process. BENCH_PROFILE=1: the worker writes a
 * V8 CPU profile to out/bench/profile when it stops.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ROWS = Number(process.env.BENCH_EXCEL_ROWS ?? (QUICK ? 10_000 : 100_000));
const PORT = Number(process.env.BENCH_PORT ?? 3929);
const QUEUE_PREFIX = 'gx-bench-excel';
const LINES_PER_ORDER = 10;

const log = (message: string) => console.log(`[bench:excel] ${message}`);

/** The baseline, run as its own node process: read the rows in batches, write them with exceljs' streaming writer. */
const BARE_WRITER = `${BARE_WRITER_PRELUDE}
(async () => {
  const before = rssMb('VmRSS');
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const db = new Client({ connectionString: process.env.BENCH_URL });
  await db.connect();
  // The contacts are stored encrypted (AES-256-GCM, v1:<keyId>:<iv>:<tag>:<ciphertext>): opened per row, as the product does.
  const key = Buffer.from(process.env.BENCH_KEY, 'base64');
  const open = (stored) => {
    const [, , iv, tag, ciphertext] = stored.split(':');
    const decipher = require('crypto').createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  };
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: process.env.BENCH_FILE, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('发货单');
  // The product's 24 columns, one row per line (each line here is one parcel): the same shape, header included.
  sheet.addRow(['发货单号', '订单号', '店铺订单号', '收件人', '手机', '省', '市', '区', '详细地址', '商品编码', '商品名称', '规格', '定制', '数量', '买家留言', '快递公司', '快递单号', '状态', '下单时间', '发货时间', '仓库', '供货价(元)', '供货价(分)', '币种']).commit();
  let after = 0, count = 0;
  for (;;) {
    const { rows } = await db.query(
      \`select l.id, l.fulfillment_order_id as fo, l.channel_order_id as co, c.external_order_id, o.consignee_name, o.consignee_phone, o.province, o.city, o.district, o.address,
              s.code as sku_code, s.name, s.spec, l.customization_label, sl.quantity, o.remarks, sh.carrier_code, sh.tracking_number, o.status, o.created_at, sh.created_at as shipped_at, w.code,
              l.supply_price_amount, l.currency
         from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id join warehouse w on w.id = o.warehouse_id join sku s on s.id = l.sku_id
         join channel_order c on c.id = l.channel_order_id
         join shipment_line sl on sl.fulfillment_order_line_id = l.id join shipment sh on sh.id = sl.shipment_id
        where l.id > $1 order by l.id limit 2000\`, [after]);
    if (rows.length === 0) break;
    for (const row of rows) {
      const fen = Number(row.supply_price_amount);
      sheet.addRow([String(row.fo), String(row.co), row.external_order_id, open(row.consignee_name), open(row.consignee_phone), row.province, row.city, row.district, open(row.address), row.sku_code, row.name, row.spec,
        row.customization_label, row.quantity, row.remarks ?? '', row.carrier_code, row.tracking_number, row.status, row.created_at.toISOString(), row.shipped_at.toISOString(), row.code, fen / 100, fen, row.currency]).commit();
    }
    after = rows[rows.length - 1].id;
    count += rows.length;
  }
  await workbook.commit();
  await db.end();
  const cpu = process.cpuUsage(cpuBefore);
  console.log(JSON.stringify({ rows: count, seconds: Number(process.hrtime.bigint() - started) / 1e9, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: rssMb('VmHWM'), startRssMb: before }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  mkdirSync(OUT, { recursive: true });
  // One data key for the services, the fixtures written here and the bare writer (which opens the contacts itself).
  const dataKey = randomBytes(32).toString('base64');
  process.env.DATA_ENCRYPTION_KEYS = `bench:${dataKey}`;
  log(`fresh database gongxiao_bench_excel; ${ROWS} shipped lines`);
  const url = await freshDatabase(base, 'gongxiao_bench_excel');
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  await clearQueues(redisUrl, QUEUE_PREFIX);
  const env = serviceEnvironment({ databaseUrl: url, redisUrl, queuePrefix: QUEUE_PREFIX, port: PORT }, { EXPORT_DIR: resolve(OUT, 'exports') });
  const apiProcess = startService('api', env, OUT, 'bench-excel-');
  const workerProcess = process.env.BENCH_PROFILE === '1' ? profiledWorker(env) : startService('worker', env, OUT, 'bench-excel-');
  const db = new Client({ connectionString: url });
  const api = `http://127.0.0.1:${PORT}`;
  try {
    await waitFor('the api', async () => (await fetch(`${api}/health`)).status === 200, 60_000);
    await db.connect();
    const signUp = (name: string) =>
      call(api, 'POST', '/v1/auth/sign-up', undefined, { merchantName: name, ownerName: 'Bench', email: `${name.toLowerCase()}@excel.bench.example`, password: 'bench password 1' });
    const factory = await signUp('Factory');
    const distributor = await signUp('Distributor');
    const product = await call(api, 'POST', '/v1/products', factory.token, { name: 'Tees', skus: [{ code: 'TEE-M', name: 'Cotton tee M', spec: '白色 / M' }] });
    const warehouse = await call(api, 'POST', '/v1/warehouses', factory.token, { code: 'ZJ', name: 'Yiwu', province: '浙江省' });
    const shop = await call(api, 'POST', '/v1/shops', distributor.token, { platform: 'youzan', name: 'Shop' });
    // Fixtures in a few statements: ROWS shipped lines, LINES_PER_ORDER per fulfillment order, each with its parcel.
    const orders = Math.ceil(ROWS / LINES_PER_ORDER);
    await db.query(
      `insert into channel_order (merchant_id, shop_id, external_order_id, source, payload_hash, raw_payload, consignee_name, consignee_phone, province, city, district, address, currency, goods_amount, total_amount, status)
       select $1, $2, 'X-' || g, 'push', md5(g::text), '{}'::jsonb, '张三' || g, '138' || lpad(g::text, 8, '0'), '浙江省', '杭州市', '西湖区', '文三路 ' || g || ' 号', 'CNY', 0, 0, 'shipped'
         from generate_series(1, $3) g`,
      [distributor.merchant.id, shop.id, orders],
    );
    await db.query(
      `insert into channel_order_line (channel_order_id, line_no, shop_sku_code, quantity, unit_price_amount, shipped_quantity)
       select c.id, n, 'TEE', 1, 5990, 1 from channel_order c, generate_series(1, $1) n`,
      [LINES_PER_ORDER],
    );
    await db.query(
      `insert into fulfillment_order (id, supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address, consignee_key, released_at, shipped_at)
       overriding system value
       select c.id, $1, $2, 'shipped', c.consignee_name, c.consignee_phone, c.province, c.city, c.district, c.address, md5(c.id::text), now(), now() from channel_order c`,
      [factory.merchant.id, warehouse.id],
    );
    await db.query(
      `insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, shipped_quantity, supply_price_amount, currency)
       select l.channel_order_id, l.channel_order_id, l.id, $1, $2, 1, 1, 2990, 'CNY' from channel_order_line l order by l.id limit $3`,
      [distributor.merchant.id, product.skus[0].id, ROWS],
    );
    await db.query(`insert into shipment (fulfillment_order_id, supplier_merchant_id, carrier_code, tracking_number) select id, $1, 'SF', 'SF' || lpad(id::text, 12, '0') from fulfillment_order`, [
      factory.merchant.id,
    ]);
    await db.query(
      `insert into shipment_line (shipment_id, fulfillment_order_line_id, quantity) select s.id, l.id, 1 from fulfillment_order_line l join shipment s on s.fulfillment_order_id = l.fulfillment_order_id`,
    );
    // The consignee's name, phone and address as the product stores them since the contacts migration: encrypted (the export opens them per line).
    const contacts = (
      await db.query<{ id: string; consignee_name: string; consignee_phone: string; address: string }>(`select id::text, consignee_name, consignee_phone, address from fulfillment_order`)
    ).rows;
    await db.query(
      `update fulfillment_order o set consignee_name = v.n, consignee_phone = v.p, address = v.a from unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) as v(id, n, p, a) where o.id = v.id`,
      [contacts.map((row) => row.id), ...(['consignee_name', 'consignee_phone', 'address'] as const).map((column) => contacts.map((row) => encryptField(row[column])))],
    );
    await db.query('analyze');
    log(`fixtures ready: ${(await db.query(`select count(*)::int as n from fulfillment_order_line`)).rows[0].n} lines`);

    // At this size the synchronous export refuses (before writing anything) and says to ask the worker.
    const refused = await fetch(`${api}/v1/fulfillment-orders/export.xlsx?status=shipped`, { headers: { authorization: `Bearer ${factory.token}` } });
    await refused.arrayBuffer();
    if (ROWS > Number(process.env.ORDER_SHEET_SYNC_LIMIT_LINES ?? 20_000) && refused.status !== 422)
      throw new Error(`the synchronous export of ${ROWS} lines answered ${refused.status}, expected 422 export_too_large`);

    const exported = await workerExport(api, factory.token, workerProcess.pid!, apiProcess.pid!);
    await checkExport(resolve(OUT, 'export.xlsx'));
    log(
      `export: ${exported.mebibytes.toFixed(1)} MiB in ${exported.seconds.toFixed(1)} s; worker peak RSS ${exported.workerPeak.toFixed(0)} MB (${exported.workerIdle.toFixed(0)} MB before), api ${exported.apiPeak.toFixed(0)} MB (${exported.apiIdle.toFixed(0)} before)`,
    );

    const bare = spawnSync(process.execPath, ['-e', BARE_WRITER], { cwd: ROOT, env: { ...process.env, BENCH_URL: url, BENCH_FILE: resolve(OUT, 'bare.xlsx'), BENCH_KEY: dataKey }, encoding: 'utf8' });
    if (bare.status !== 0) throw new Error(`bare writer failed: ${bare.stderr}`);
    const baseline = JSON.parse(bare.stdout.trim().split('\n').pop()!) as { rows: number; seconds: number; cpuSeconds: number; peakRssMb: number; startRssMb: number };
    log(`bare exceljs: ${baseline.rows} rows in ${baseline.seconds.toFixed(1)} s, peak RSS ${baseline.peakRssMb.toFixed(0)} MB`);

    report(exported, baseline);
  } finally {
    await db.end().catch(() => undefined);
    await Promise.all([apiProcess, workerProcess].map(stopService));
  }
}

/** POST /v1/fulfillment-orders/exports, polled until done, the file downloaded: seconds from the request to the last byte, and both processes' peaks (reset first). */
async function workerExport(api: string, token: string, workerPid: number, apiPid: number) {
  // The services' start (migrations, OpenAPI document) peaked higher already: the peaks reset to the current RSS.
  const workerIdle = resetPeakRss(workerPid);
  const apiIdle = resetPeakRss(apiPid);
  const workerCpu = cpuSecondsOf(workerPid);
  const started = process.hrtime.bigint();
  const requested = await call(api, 'POST', '/v1/fulfillment-orders/exports', token, { status: 'shipped' });
  let status: any = requested;
  let lastPercent = -1;
  await waitFor(
    'the order-sheet export',
    async () => {
      status = await call(api, 'GET', `/v1/fulfillment-order-exports/${requested.id}`, token);
      if (status.percent >= lastPercent + 20) log(`export ${(lastPercent = status.percent)}% (${status.linesWritten}/${status.linesTotal ?? '?'} lines)`);
      return status.status === 'done' || status.status === 'failed';
    },
    30 * 60_000,
    100,
  );
  if (status.status !== 'done') throw new Error(`export ${status.status}: ${status.error}`);
  const file = await fetch(`${api}${status.downloadUrl}`, { headers: { authorization: `Bearer ${token}` } });
  if (file.status !== 200) throw new Error(`export file: HTTP ${file.status}`);
  const bytes = Buffer.from(await file.arrayBuffer());
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpuSeconds = cpuSecondsOf(workerPid) - workerCpu;
  writeFileSync(resolve(OUT, 'export.xlsx'), bytes);
  return { seconds, cpuSeconds, mebibytes: bytes.length / 1024 / 1024, workerIdle, workerPeak: peakRssMb(workerPid), apiIdle, apiPeak: peakRssMb(apiPid), lines: status.linesWritten as number };
}

/** CPU seconds (user + system) a process has used so far (/proc/<pid>/stat, in clock ticks of 1/100 s). */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function report(product: Awaited<ReturnType<typeof workerExport>>, baseline: { rows: number; seconds: number; cpuSeconds: number; peakRssMb: number; startRssMb: number }): void {
  const results = {
    rows: ROWS,
    seconds: Math.round(product.seconds * 100) / 100,
    workerCpuSeconds: Math.round(product.cpuSeconds * 100) / 100,
    baselineCpuSeconds: Math.round(baseline.cpuSeconds * 100) / 100,
    workerIdlePeakRssMb: Math.round(product.workerIdle),
    workerPeakRssMb: Math.round(product.workerPeak),
    apiIdlePeakRssMb: Math.round(product.apiIdle),
    apiPeakRssMb: Math.round(product.apiPeak),
    baselineSeconds: Math.round(baseline.seconds * 100) / 100,
    baselinePeakRssMb: Math.round(baseline.peakRssMb),
    baselineStartRssMb: Math.round(baseline.startRssMb),
  };
  const growth = results.workerPeakRssMb - results.workerIdlePeakRssMb;
  const baselineGrowth = results.baselinePeakRssMb - results.baselineStartRssMb;
  const table = [
    '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
    '|---|---|---|---|',
    `| order-sheet export of ${ROWS} shipped fulfillment-order lines by the worker (POST → polled until done → file downloaded), seconds | ${results.seconds} s | ${results.baselineSeconds} s (bare exceljs streaming writer + bare pg, own process) | ${(results.seconds / results.baselineSeconds).toFixed(2)}× (goal < 30 s, ≤ 1.5×) |`,
    `| same, CPU seconds of the process writing it (less noisy than the clock on a shared machine) | ${results.workerCpuSeconds} s (worker) | ${results.baselineCpuSeconds} s | ${(results.workerCpuSeconds / Math.max(0.01, results.baselineCpuSeconds)).toFixed(2)}× |`,
    `| same, memory: peak RSS growth of the process writing it | +${growth} MB (worker, ${results.workerIdlePeakRssMb} → ${results.workerPeakRssMb} MB; api +${results.apiPeakRssMb - results.apiIdlePeakRssMb} MB) | +${baselineGrowth} MB (${results.baselineStartRssMb} → ${results.baselinePeakRssMb} MB) | ${(growth / Math.max(1, baselineGrowth)).toFixed(2)}× (goal < 300 MB, ≤ 1.5×) |`,
  ].join('\n');
  writeBenchResults('excel-export', results, table);
}

/** The worker with V8's CPU profiler on (BENCH_PROFILE=1): a profile in out/bench/profile when it stops. */
function profiledWorker(env: NodeJS.ProcessEnv): ChildProcess {
  const log = createWriteStream(resolve(OUT, 'bench-excel-worker.log'));
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${resolve(OUT, 'profile')}`, '-r', 'tsconfig-paths/register', resolve(ROOT, 'dist/apps/worker/src/main.js')], {
    cwd: ROOT,
    env: { ...env, TS_NODE_BASEURL: resolve(ROOT, 'dist') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  return child;
}

/** The export as a supplier opens it: a header and ROWS rows of 24 columns, the contacts decrypted and the shop's order number filled (not timed). */
async function checkExport(file: string): Promise<void> {
  let rows = 0;
  for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit' })) {
    for await (const row of sheet) {
      const cells = (row.values as unknown[]).slice(1).map(String);
      if (rows++ === 1 && (cells.length !== 24 || !cells[2].startsWith('X-') || !cells[3].startsWith('张三') || !cells[4].startsWith('138')))
        throw new Error(`unexpected export row: ${cells.join('|')}`);
    }
  }
  if (rows !== ROWS + 1) throw new Error(`the export has ${rows - 1} rows, expected ${ROWS}`);
}

runBench(main);
