import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { assertPortFree, printConsoleAccess, serveConsole, stopServedConsole } from './console-access';
import { step } from './console-output';
import { DemoClient } from './http-client';
import { clearQueues, databaseUrl, freshDatabase, ROOT, startService, stopService, waitFor } from './local-stack';
import { buildNetwork } from './network';
import { farmShipsByExcel } from './excel-scene';
import { cancelBeforeShipping, pushBurst, pushPaced, runAfterSales, runSerial, shipEverything, Stage } from './scenes';
import { printSettlement, settlementFigures } from './settlement-report';
import { exportRichestStatement, settleTheMonth, waitUntilSettlementDrained } from './settlement-scene';
import { printSummary, Receiver, startReceiver, summarize, waitUntilRouted } from './summary';
import { openPlatformShops, PlatformFakes, platformCallsTold, pushPlatformOrders, startPlatformFakes } from './platform-scene';

const OUT = resolve(ROOT, process.env.DEMO_OUT ?? 'out');
const ORDERS = Number(process.env.DEMO_ORDERS ?? 1000);
const CONCURRENCY = Number(process.env.DEMO_CONCURRENCY ?? 32);
const PORT = Number(process.env.DEMO_PORT ?? 3917);
const PACED_ORDERS = Number(process.env.DEMO_PACED_ORDERS ?? 100);
const PACED_RATE = Number(process.env.DEMO_PACED_RATE ?? 20);
const DEMO_DATABASE = process.env.DEMO_DATABASE ?? 'gongxiao_demo';
const QUEUE_PREFIX = process.env.DEMO_QUEUE_PREFIX ?? 'gx-demo';
const CANCELLATIONS = Number(process.env.DEMO_CANCELLATIONS ?? 20);
const RETURNS = Number(process.env.DEMO_RETURNS ?? 12);
const PLATFORM_ORDERS = Number(process.env.DEMO_PLATFORM_ORDERS ?? 20);
/** Leave the api and a worker running in the background afterwards, for the web console (not in CI). */
const SERVE = (process.env.DEMO_SERVE ?? (process.env.CI ? '0' : '1')) !== '0';

/** The whole network's story, scene by scene, through the public HTTP API. */
async function play(stage: Stage, receiver: Receiver, fakes: PlatformFakes): Promise<void> {
  const { client, db, network, runTag } = stage;
  const { orders, outcome, pushSeconds } = await pushBurst(stage, ORDERS, CONCURRENCY);
  step('Waiting until the worker has split and routed every order');
  await waitUntilRouted(db, orders.length);
  const paced = await pushPaced(stage, PACED_ORDERS, PACED_RATE, outcome);
  await waitUntilRouted(db, orders.length + paced.length);
  const { toCancel, cancellations } = await cancelBeforeShipping(stage, orders, CANCELLATIONS);
  const platformShops = await openPlatformShops(client, network, fakes);
  const platformOutcome = await pushPlatformOrders(client, network, platformShops, fakes, PLATFORM_ORDERS, runSerial(runTag));
  await waitUntilRouted(db, orders.length + paced.length + PLATFORM_ORDERS * platformShops.length);
  const shipped = await shipEverything(stage, [network.factory]);
  const excel = await farmShipsByExcel(client, network, runSerial(runTag), OUT);
  if (excel.rejected > 0 || excel.applied === 0) throw new Error(`the farm's order sheet came back with ${excel.rejected} rejected rows and ${excel.applied} parcels`);
  const afterSales = await runAfterSales(stage, orders, toCancel, RETURNS);

  const xlsx = await client.download('/v1/fulfillment-orders/export.xlsx?status=shipped', network.factory.token);
  const xlsxPath = resolve(OUT, 'supplier-shipped-orders.xlsx');
  writeFileSync(xlsxPath, xlsx);

  step('Waiting for ERP deliveries and shop callbacks to drain');
  await waitFor('webhook deliveries', async () => (await db.query(`select count(*)::int as open from webhook_delivery where status not in ('delivered', 'failed')`)).rows[0].open === 0, 60_000).catch(
    (error: Error) => console.warn(`  ${error.message}`),
  );

  step('Waiting until the platform shops have been told every shipment and stock change in their own APIs');
  const platformCalls = await platformCallsTold(db, fakes, platformOutcome.youzanOid);

  // Month end: once every shipment, refund and cancellation is in the ledger.
  await waitUntilSettlementDrained(db);
  const month = await settleTheMonth(stage);
  const exported = await exportRichestStatement(stage, month, resolve(OUT, 'statements.xlsx'));
  const settlement = await settlementFigures(client, db, network.broker, month, exported);

  const summary = await summarize(db, network.warehouses, `${runTag}P-`);
  writeFileSync(
    resolve(OUT, 'demo-summary.json'),
    JSON.stringify(
      { outcome, shipped, excel, erpReceived: receiver.counts.erp, shopCallbacks: receiver.counts.shop, platforms: { ...platformOutcome, calls: platformCalls }, ...summary, settlement },
      null,
      2,
    ),
  );
  printSummary(summary, {
    orders,
    paced,
    outcome,
    pushSeconds,
    pacedRate: PACED_RATE,
    cancellations,
    shipped,
    afterSales,
    receiver,
    xlsx: { path: xlsxPath, bytes: xlsx.length },
    excel,
    platforms: { orders: PLATFORM_ORDERS * 3, outcome: platformOutcome, calls: platformCalls },
  });
  printSettlement(settlement);
}

/** What the demo's api and worker run with. */
function serviceEnvironment(databaseUrlForDemo: string, redisUrl: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: databaseUrlForDemo,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OUTBOX_POLL_MS: '100',
    // The demo's ERP and shop receiver listens on 127.0.0.1.
    OUTGOING_ALLOW_HOSTS: '127.0.0.1',
    EXPORT_DIR: resolve(OUT, 'exports'),
  };
}

/** `npm run demo:console`: the last demo's data in the web console, without playing the demo again. */
async function serveLastDemo(baseUrl: string, redisUrl: string): Promise<void> {
  const db = new Client({ connectionString: databaseUrl(baseUrl, DEMO_DATABASE) });
  await db.connect().catch(() => {
    throw new Error(`There is no demo database "${DEMO_DATABASE}" yet: run npm run demo first.`);
  });
  await db.end();
  step("Starting the api and a worker on the last demo's data");
  await serveConsole(serviceEnvironment(databaseUrl(baseUrl, DEMO_DATABASE), redisUrl), OUT, PORT);
  printConsoleAccess(PORT, true);
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  // A console a previous demo left running holds the port and the database.
  const stopped = await stopServedConsole(OUT);
  if (process.argv.includes('--stop')) return console.log(stopped > 0 ? `Stopped the demo's api and worker (${stopped} processes).` : 'Nothing of the demo was running.');
  if (process.argv.includes('--console')) return serveLastDemo(baseUrl, redisUrl);
  await assertPortFree(PORT);

  step(`Creating a fresh database "${DEMO_DATABASE}" and migrating it`);
  const databaseUrlForDemo = await freshDatabase(baseUrl, DEMO_DATABASE);
  await clearQueues(redisUrl, QUEUE_PREFIX);
  const receiver = await startReceiver();
  const fakes = await startPlatformFakes();

  step(`Starting the api (port ${PORT}) and a worker`);
  const env = serviceEnvironment(databaseUrlForDemo, redisUrl);
  const services = [startService('api', env, OUT, 'demo-'), startService('worker', env, OUT, 'demo-')];
  const db = new Client({ connectionString: databaseUrlForDemo });
  try {
    for (const service of services) {
      service.once('exit', (code) => {
        if (code !== null && code !== 0) console.error(`A demo service exited with code ${code}; see out/demo-*.log`);
      });
    }
    const client = new DemoClient(`http://127.0.0.1:${PORT}`);
    await waitFor('the api to answer /health', async () => (await fetch(`${client.baseUrl}/health`)).status === 200, 60_000);
    await db.connect();

    step('Building the network through the API: factory (2 warehouses), farm, broker, 2 distributors, 3 shops (and 3 on Shopify, WooCommerce and Youzan later)');
    const runTag = `R${Date.now().toString(36).toUpperCase()}`;
    const network = await buildNetwork(client, `${receiver.url}/erp`, `${receiver.url}/shop`);
    await play({ client, db, network, runTag }, receiver, fakes);
  } finally {
    await Promise.all(Object.values(fakes).map((fake) => fake.close()));
    await db.end().catch(() => undefined);
    await Promise.all(services.map(stopService));
    receiver.server.close();
  }
  if (SERVE) await serveConsole(env, OUT, PORT);
  printConsoleAccess(PORT, SERVE);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\n\x1b[31mDemo failed: ${(error as Error).message}\x1b[0m\nThe api and worker logs are in out/demo-api.log and out/demo-worker.log.`);
    process.exit(1);
  },
);
