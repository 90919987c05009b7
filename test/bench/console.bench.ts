import 'reflect-metadata';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { chromium, Page } from 'playwright-core';
import { DemoClient } from '../../apps/demo/src/http-client';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium';
import { buildNetwork } from '../../apps/demo/src/network';
import { pushBurst } from '../../apps/demo/src/scenes';
import { startReceiver, waitUntilRouted } from '../../apps/demo/src/summary';
import { clearQueues, freshDatabase, OUT, percentile, ROOT, runBench, startService, stopService, waitFor, writeBenchResults } from './bench-support';

/**
 * The console's first screen for a supplier: time from navigation to the inbox's first rendered row
 * (Playwright, cold browser context each run: nothing cached), beside a bare page in the same
 * browser — plain HTML whose inline script fetches the same first page of the same api and writes
 * its rows into a <table> — served from the same origin shape (a loopback proxy in front of the api).
 * Also the JavaScript the first screen loads (bytes, and gzip as a web server would send it), and
 * which chunks: only the warehouse area's, never finance's (code split per area).
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ORDERS = Number(process.env.BENCH_CONSOLE_ORDERS ?? (QUICK ? 100 : 400));
const RUNS = Number(process.env.BENCH_CONSOLE_RUNS ?? (QUICK ? 5 : 15));
const PORT = Number(process.env.BENCH_PORT ?? 3933);
const QUEUE_PREFIX = 'gx-bench-console';

const PUSHES = Number(process.env.BENCH_CONSOLE_PUSHES ?? (QUICK ? 10 : 30));

const log = (message: string) => console.log(`[bench:console] ${message}`);
const round = (value: number) => Math.round(value * 100) / 100;

/** The baseline page: the same request, rows written by hand into a table. */
const BARE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>bare</title></head><body><table id="rows"></table><script>
fetch('/v1/fulfillment-orders?limit=50', { headers: { authorization: 'Bearer ' + sessionStorage.getItem('gx.token') } })
  .then((r) => r.json())
  .then((page) => {
    const table = document.getElementById('rows');
    for (const order of page.data) {
      const row = table.insertRow();
      row.setAttribute('data-testid', 'bare-row');
      row.insertCell().textContent = order.id;
      row.insertCell().textContent = order.status;
      row.insertCell().textContent = order.createdAt;
    }
  });
</script></body></html>`;

/** /bare answers the bare page; everything else goes to the api (so both pages are same-origin with it). */
async function startBareServer(apiPort: number): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    if (incoming.url === '/bare') {
      outgoing.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(BARE_PAGE);
      return;
    }
    const upstream = httpRequest({ host: '127.0.0.1', port: apiPort, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    incoming.pipe(upstream);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

interface Load {
  ms: number;
  scripts: { name: string; bytes: number; gzip: number }[];
}

/**
 * With the supplier's inbox open (no reload), pushes orders one at a time, paced, and times each
 * from the push until its row is on the screen (the page polls every second): the 2 s promise.
 * The baseline is the api's own answer for the same order: push → the order in GET /v1/fulfillment-orders.
 */
async function pushToScreen(browser: import('playwright-core').Browser, client: DemoClient, shop: { id: string; secret: string; codes: string[] }, token: string) {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: `sessionStorage.setItem('gx.token', ${JSON.stringify(token)});` });
  const page = await context.newPage();
  await page.goto(`${client.baseUrl}/console/warehouse/inbox`);
  await page.locator('[data-testid^="inbox-row-"]').first().waitFor({ timeout: 30_000 });
  const code = shop.codes.find((candidate) => candidate.includes('TEE')) ?? shop.codes[0];
  const screen: number[] = [];
  const api: number[] = [];
  for (let index = 0; index < PUSHES; index++) {
    const city = `测速${index}市`;
    const body = {
      externalOrderId: `CBV-${Date.now()}-${index}`,
      currency: 'CNY',
      consignee: { name: '王五', phone: '13900000000', province: '浙江省', city, district: '西湖区', address: '文三路 1 号' },
      lines: [{ shopSkuCode: code, quantity: 1, unitPrice: 5990 }],
    };
    const started = performance.now();
    const answer = await client.pushOrder(shop.id, shop.secret, body);
    if (answer.status !== 202) throw new Error(`push answered ${answer.status}`);
    const inApi = (async () => {
      await waitFor('the order in the api', async () => JSON.stringify(await client.call('GET', '/v1/fulfillment-orders?limit=5', { token })).includes(city), 10_000, 10);
      api.push(performance.now() - started);
    })();
    await page.locator('[data-testid^="inbox-row-"]', { hasText: city }).first().waitFor({ timeout: 15_000 });
    screen.push(performance.now() - started);
    await inApi;
    await new Promise((done) => setTimeout(done, 300 + Math.random() * 700));
  }
  await context.close();
  return { screen, api };
}

/** One cold load: a new context (empty cache) signed in through session storage, timed to the first row. */
async function load(browser: import('playwright-core').Browser, url: string, token: string, rowSelector: string): Promise<Load> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport: { width: 1440, height: 900 } });
  await context.addInitScript({ content: `sessionStorage.setItem('gx.token', ${JSON.stringify(token)});` });
  const page: Page = await context.newPage();
  const scripts: Promise<{ name: string; bytes: number; gzip: number }>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    scripts.push(response.body().then((body) => ({ name: response.url().split('/').pop() ?? '', bytes: body.length, gzip: gzipSync(body).length })));
  });
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator(rowSelector).first().waitFor({ timeout: 30_000 });
  const ms = performance.now() - started;
  const loaded = await Promise.all(scripts);
  await context.close();
  return { ms, scripts: loaded };
}

async function main(): Promise<void> {
  const executablePath = findChromium();
  if (!executablePath) {
    log("skipped: no Chromium (install Debian's chromium, or set CHROMIUM_PATH)");
    return;
  }
  if (!existsSync(resolve(ROOT, 'dist/console/index.html'))) throw new Error('The console is not built: run npm run build');
  mkdirSync(OUT, { recursive: true });
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const databaseUrl = await freshDatabase(base, 'gongxiao_bench_console');
  await clearQueues(redisUrl, QUEUE_PREFIX);
  const receiver = await startReceiver();
  const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, QUEUE_PREFIX, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', OUTGOING_ALLOW_HOSTS: '127.0.0.1' };
  const services = [startService('api', env, OUT, 'console-'), startService('worker', env, OUT, 'console-')];
  const db = new Client({ connectionString: databaseUrl });
  const bare = await startBareServer(PORT);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const client = new DemoClient(`http://127.0.0.1:${PORT}`);
    await waitFor('the api', async () => (await fetch(`${client.baseUrl}/health`)).status === 200, 60_000);
    await db.connect();
    const network = await buildNetwork(client, `${receiver.url}/erp`, `${receiver.url}/shop`, 'consolebench');
    const { orders } = await pushBurst({ client, db, network, runTag: 'CB' }, ORDERS, 16);
    await waitUntilRouted(db, orders.length);
    log(`${orders.length} orders routed; ${RUNS} cold loads of each page`);

    const token = network.factory.token;
    const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/bare`;
    const consoleLoads: Load[] = [];
    const bareLoads: Load[] = [];
    // Alternating, after one warm-up of each, so both see the same machine.
    await load(browser, `${client.baseUrl}/console/warehouse/inbox`, token, '[data-testid^="inbox-row-"]');
    await load(browser, bareUrl, token, '[data-testid="bare-row"]');
    for (let run = 0; run < RUNS; run++) {
      consoleLoads.push(await load(browser, `${client.baseUrl}/console/warehouse/inbox`, token, '[data-testid^="inbox-row-"]'));
      bareLoads.push(await load(browser, bareUrl, token, '[data-testid="bare-row"]'));
    }
    const pushes = await pushToScreen(browser, client, network.shops[0], token);
    const p = (loads: Load[], q: number) =>
      round(
        percentile(
          loads.map((item) => item.ms),
          q,
        ),
      );
    const scripts = consoleLoads[0].scripts;
    const js = {
      files: scripts.map((script) => script.name.replace(/-[A-Za-z0-9_-]{8}\.js$/, '.js')),
      bytes: scripts.reduce((sum, s) => sum + s.bytes, 0),
      gzip: scripts.reduce((sum, s) => sum + s.gzip, 0),
    };
    const results = {
      orders: orders.length,
      runs: RUNS,
      console: { p50Ms: p(consoleLoads, 50), p90Ms: p(consoleLoads, 90) },
      bare: { p50Ms: p(bareLoads, 50), p90Ms: p(bareLoads, 90) },
      ratioP50: round(p(consoleLoads, 50) / p(bareLoads, 50)),
      firstScreenJs: { ...js, kib: round(js.bytes / 1024), gzipKib: round(js.gzip / 1024) },
      financeChunkLoaded: js.files.some((name) => name.startsWith('finance-area')),
      pushToScreen: {
        pushes: PUSHES,
        p50Ms: round(percentile(pushes.screen, 50)),
        p99Ms: round(percentile(pushes.screen, 99)),
        apiP50Ms: round(percentile(pushes.api, 50)),
        apiP99Ms: round(percentile(pushes.api, 99)),
      },
    };
    const table = [
      '| scenario | product | baseline | ratio |',
      '|---|---|---|---|',
      `| console: supplier inbox, navigation → first row (p50 / p90, cold context) | ${results.console.p50Ms} / ${results.console.p90Ms} ms | bare page, same fetch: ${results.bare.p50Ms} / ${results.bare.p90Ms} ms | ${results.ratioP50}× |`,
      `| console: push → row on the open inbox, no reload (p50 / p99, ${PUSHES} pushes; promise < 2 s) | ${results.pushToScreen.p50Ms} / ${results.pushToScreen.p99Ms} ms | push → in the api's list: ${results.pushToScreen.apiP50Ms} / ${results.pushToScreen.apiP99Ms} ms | ${round(results.pushToScreen.p99Ms / Math.max(1, results.pushToScreen.apiP99Ms))}× |`,
      `| console: JavaScript of the first screen (${js.files.length} files: ${js.files.join(', ')}) | ${results.firstScreenJs.kib} KiB (${results.firstScreenJs.gzipKib} KiB gzip) | — | finance chunk loaded: ${results.financeChunkLoaded} |`,
    ].join('\n');
    writeBenchResults('console', results, table);
  } finally {
    await browser.close().catch(() => undefined);
    bare.close();
    await db.end().catch(() => undefined);
    await Promise.all(services.map(stopService));
    receiver.server.close();
  }
}

runBench(main);
