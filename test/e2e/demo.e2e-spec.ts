import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { DEMO_PASSWORD, demoEmail, stopServedConsole } from '../../apps/demo/src/console-access';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../support/console-browser';
import { databaseUrl, dropDatabase, withAdminClient } from '../support/database-admin';

const ROOT = resolve(__dirname, '../..');
const MINUTES = 60_000;

/** A port nobody listens on now (the demo's api takes it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Runs a command to its end; its output is kept for the failure message. */
function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

/** The figures of a summary sheet, label → value. */
function sheetFigures(sheet: ExcelJS.Worksheet): Record<string, unknown> {
  return Object.fromEntries(
    sheet
      .getSheetValues()
      .filter(Boolean)
      .map((values) => [(values as ExcelJS.CellValue[])[1], (values as ExcelJS.CellValue[])[2]]),
  );
}

/**
 * The demo as a user runs it, small: built, started as a process with its own database, output
 * directory, port and queue prefix (so that it runs beside the other test files), and its
 * statements.xlsx read back against the statement in its database.
 */
describe('the demo settles its month and writes statements.xlsx', () => {
  const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const database = `gongxiao_demo_test_${tag}`;
  const out = resolve(ROOT, `out/demo-test-${tag}`);
  const base = process.env.DATABASE_URL!;
  let db: Client | undefined;
  let workbook: ExcelJS.Workbook;
  let statementId: string;
  let demoOutput = '';
  let consoleUrl = '';
  const browser = useConsoleBrowser();

  beforeAll(async () => {
    // What `npm run demo` does before it runs: build. Incremental, so with the sources the global
    // set-up just compiled it rewrites nothing another test file may be running from.
    const build = await run([resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', resolve(ROOT, 'tsconfig.json')], process.env, 3 * MINUTES);
    if (build.code !== 0) throw new Error(`build failed:\n${build.output}`);
    const port = await freePort();
    consoleUrl = `http://127.0.0.1:${port}`;
    const env = {
      ...process.env,
      TS_NODE_BASEURL: resolve(ROOT, 'dist'),
      DATABASE_URL: base,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      DATABASE_POOL_MAX: '8',
      DEMO_ORDERS: '60',
      DEMO_PACED_ORDERS: '10',
      DEMO_CANCELLATIONS: '5',
      DEMO_RETURNS: '4',
      DEMO_PLATFORM_ORDERS: '6',
      DEMO_PORT: String(port),
      // As a user runs it: the api and a worker stay up for the web console afterwards.
      DEMO_SERVE: '1',
      DEMO_OUT: out,
      DEMO_DATABASE: database,
      DEMO_QUEUE_PREFIX: `gx-demo-test-${tag}`,
    };
    const demo = await run(['-r', 'tsconfig-paths/register', resolve(ROOT, 'dist/apps/demo/src/main.js')], env, 4 * MINUTES);
    if (demo.code !== 0) throw new Error(`the demo exited with ${demo.code}:\n${demo.output.slice(-4000)}`);
    demoOutput = demo.output;
    workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(resolve(out, 'statements.xlsx'));
    statementId = JSON.parse(readFileSync(resolve(out, 'demo-summary.json'), 'utf8')).settlement.export.statementId;
    db = new Client({ connectionString: databaseUrl(base, database) });
    await db.connect();
  }, 8 * MINUTES);

  afterAll(async () => {
    await stopServedConsole(out);
    await db?.end().catch(() => undefined);
    await withAdminClient(base, (client) => dropDatabase(client, database));
    rmSync(out, { recursive: true, force: true });
  }, MINUTES);

  it('has one shop on each of Shopify, WooCommerce and Youzan push in its own format and be told back in its own API', async () => {
    const platforms = JSON.parse(readFileSync(resolve(out, 'demo-summary.json'), 'utf8')).platforms;
    expect(platforms.pushed).toEqual({ shopify: 6, woocommerce: 6, youzan: 6 });
    expect(platforms.redeliveriesAnswered).toBe(3);
    expect(platforms.calls).toEqual(expect.objectContaining({ failed: 0, youzanOidKept: 1, youzanOidToldBack: 1 }));
    expect(platforms.calls.shopifyFulfillments).toBeGreaterThan(0);
    expect(platforms.calls.wooOrderUpdates).toBeGreaterThan(0);
    expect(platforms.calls.youzanConfirmations).toBeGreaterThan(0);
    const shops = await db!.query(`select integration, count(*)::int as n from channel_order o join shop s on s.id = o.shop_id where s.integration <> 'native' group by 1 order by 1`);
    expect(shops.rows).toEqual([
      { integration: 'shopify', n: 6 },
      { integration: 'woocommerce', n: 6 },
      { integration: 'youzan', n: 6 },
    ]);
    expect(demoOutput).toContain('Platform shops');
  });

  it('has the farm ship by Excel: its order sheet filled in and uploaded back, every row applied', async () => {
    const excel = JSON.parse(readFileSync(resolve(out, 'demo-summary.json'), 'utf8')).excel;
    expect(excel.rows).toBeGreaterThan(0);
    expect(excel).toEqual(expect.objectContaining({ rejected: 0, unchanged: 0 }));
    expect(excel.applied).toBeGreaterThan(0);
    expect(demoOutput).toContain('by Excel (the farm)');
    const farm = await db!.query(
      `select count(*)::int as open from fulfillment_order o join merchant m on m.id = o.supplier_merchant_id where m.name like '%Farm%' and o.status in ('new', 'acknowledged')`,
    );
    expect(farm.rows[0].open).toBe(0);
    const filled = new ExcelJS.Workbook();
    await filled.xlsx.readFile(resolve(out, 'farm-order-sheet-filled.xlsx'));
    expect(filled.worksheets[0].rowCount - 1).toBe(excel.rows);
  });

  it('sums the statement on the summary sheet exactly as the statement in the database', async () => {
    const { rows } = await db!.query(
      `select s.currency, to_char(s.period, 'YYYY-MM') as period, s.status, payee.name as payee, payer.name as payer,
              s.opening_balance_amount, s.goods_amount, s.shipping_amount, s.refund_amount, s.adjustment_amount, s.payment_amount, s.closing_balance_amount
         from statement s join merchant payee on payee.id = s.seller_merchant_id join merchant payer on payer.id = s.buyer_merchant_id where s.id = $1`,
      [statementId],
    );
    const statement = rows[0];
    // Refunds and payments take off what is owed: negative on the sheet (0, not -0, when there are none).
    const yuan = (fen: string) => Number(fen) / 100;
    const takenOff = (fen: string) => -Number(fen) / 100 + 0;
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['汇总', '明细']);
    expect(sheetFigures(workbook.getWorksheet('汇总')!)).toEqual({
      收款方: statement.payee,
      付款方: statement.payer,
      币种: statement.currency,
      账期: statement.period,
      状态: 'settled',
      期初余额: yuan(statement.opening_balance_amount),
      货款: yuan(statement.goods_amount),
      运费: yuan(statement.shipping_amount),
      退款: takenOff(statement.refund_amount),
      调整: yuan(statement.adjustment_amount),
      付款: takenOff(statement.payment_amount),
      期末余额: yuan(statement.closing_balance_amount),
    });
    expect(Number(statement.goods_amount)).toBeGreaterThan(0);
  });

  it('lists one detail row per entry of that statement', async () => {
    const { rows } = await db!.query(`select count(*)::int as n, count(*) filter (where kind = 'refund')::int as refunds from ledger_entry where statement_id = $1`, [statementId]);
    const detail = workbook.getWorksheet('明细')!;
    expect(detail.getRow(1).getCell(1).value).toBe('日期');
    expect(detail.rowCount - 1).toBe(rows[0].n);
    expect(rows[0].n).toBeGreaterThan(10);
  });

  it('leaves the web console up on its data: the supplier signs in with the printed credentials and finds orders, returns and statements', async () => {
    expect(demoOutput).toContain(`${consoleUrl}/console/`);
    expect(demoOutput).toContain(demoEmail('factory'));
    expect(demoOutput).toContain(DEMO_PASSWORD);
    const page = await fetch(`${consoleUrl}/console/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const login = await fetch(`${consoleUrl}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: demoEmail('factory'), password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const list = async (path: string) => {
      const answer = await fetch(`${consoleUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(answer.status).toBe(200);
      return ((await answer.json()) as { data: unknown[] }).data;
    };
    expect((await list('/v1/fulfillment-orders?status=shipped&limit=5')).length).toBe(5);
    expect((await list('/v1/returns?limit=5')).length).toBeGreaterThan(0);
    expect((await list('/v1/statements?side=receivable&limit=5')).length).toBeGreaterThan(0);
  });
  it('shows a new user the demo in the browser: the supplier signs in with the printed credentials and finds its shipped orders, return cases and statements', async () => {
    const { page } = await browser.open(consoleUrl);
    await signInInBrowser(page, demoEmail('factory'), DEMO_PASSWORD);
    const factory = (await db!.query<{ merchant_id: string }>(`select merchant_id::text from member where lower(email) = lower($1)`, [demoEmail('factory')])).rows[0].merchant_id;
    const shipped = (await db!.query<{ id: string }>(`select id::text from fulfillment_order where supplier_merchant_id = $1 and status = 'shipped' order by id desc limit 1`, [factory])).rows[0];
    const statement = (await db!.query<{ id: string }>(`select id::text from statement where seller_merchant_id = $1 order by id desc limit 1`, [factory])).rows[0];
    expect(shipped).toBeDefined();
    expect(statement).toBeDefined();
    await page.goto('/console/warehouse/inbox?status=shipped');
    await page.getByTestId(`inbox-row-${shipped.id}`).waitFor();
    await screenshot(page, 'demo-supplier-inbox-shipped');
    await page.getByTestId(`inbox-open-${shipped.id}`).click();
    // The order's parcel, with its tracking number, on the order's page.
    const tracking = (await db!.query<{ tracking_number: string }>(`select tracking_number from shipment where fulfillment_order_id = $1 order by id limit 1`, [shipped.id])).rows[0];
    await page.getByText(tracking.tracking_number).first().waitFor();
    await page.goto('/console/warehouse/returns');
    await page.locator('[data-testid^="return-row-"]').first().waitFor();
    await page.goto('/console/finance/statements?side=receivable');
    await page.getByTestId(`finance-statement-row-${statement.id}`).waitFor();
  });
});
