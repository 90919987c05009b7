import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { DemoClient, inPool } from '../../apps/demo/src/http-client';
import { buildNetwork } from '../../apps/demo/src/network';
import { DemoPlatformShop, openPlatformShops, planPlatformOrders, startPlatformFakes } from '../../apps/demo/src/platform-scene';
import { PlatformOrder } from '../../apps/demo/src/platform-pushes';
import { clearQueues, freshDatabase, OUT, runBench, serviceEnvironment, startService, stopService, waitFor, writeBenchResults } from './bench-support';

/**
 * Platform webhook ingest beside native pushes, in the same run: the same orders (same lines,
 * consignees, prices) pushed as Gongxiao's signed JSON to a native shop and as Shopify
 * `orders/create`, WooCommerce `order.created` and Youzan `trade_TradePaid` deliveries to shops on
 * those platforms, CONCURRENCY at a time, until every one is answered (accepted and stored, the
 * worker routing behind). The four kinds take turns in ROUNDS rounds, so that a slower moment of
 * the machine or the worker's backlog falls on all of them alike. Goal: each platform ≥ 0.8× native.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ORDERS = Number(process.env.BENCH_PLATFORM_ORDERS ?? (QUICK ? 200 : 1000));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const PORT = Number(process.env.BENCH_PORT ?? 3929);
const PREFIX = 'gx-bench-platforms';

const log = (message: string) => console.log(`[bench:platforms] ${message}`);
type Kind = 'native' | 'shopify' | 'woocommerce' | 'youzan';

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  mkdirSync(OUT, { recursive: true });
  log(`fresh database gongxiao_bench_platforms; ${ORDERS} orders per kind at concurrency ${CONCURRENCY}, in ${ROUNDS} rounds`);
  const url = await freshDatabase(base, 'gongxiao_bench_platforms');
  await clearQueues(redisUrl, PREFIX);
  const fakes = await startPlatformFakes();
  // The ERP and shop callbacks of the network take everything (they are not what is measured).
  const receiver = createServer((request, response) => request.resume().on('end', () => response.end('ok')));
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const env = serviceEnvironment({ databaseUrl: url, redisUrl, queuePrefix: PREFIX, port: PORT }, { OUTGOING_ALLOW_HOSTS: '127.0.0.1', SHOP_RATE_LIMIT_PER_MINUTE: '1000000' });
  const services = [startService('api', env, OUT, 'bench-platforms-'), startService('worker', env, OUT, 'bench-platforms-')];
  const client = new DemoClient(`http://127.0.0.1:${PORT}`);
  try {
    await waitFor('the api', async () => (await fetch(`${client.baseUrl}/health`)).status === 200, 60_000);
    const network = await buildNetwork(client, `${receiverUrl}/erp`, `${receiverUrl}/shop`, 'bench');
    const platformShops = await openPlatformShops(client, network, fakes);
    const native = network.shops[1];
    const shops: Record<Kind, DemoPlatformShop> = {
      // The native shop's orders are planned like Shopify's (numeric ids) and pushed as Gongxiao's own JSON.
      native: { id: native.id, integration: 'shopify', name: native.name, codes: native.codes, deliver: () => ({ headers: {}, body: '' }) },
      shopify: platformShops.find((shop) => shop.integration === 'shopify')!,
      woocommerce: platformShops.find((shop) => shop.integration === 'woocommerce')!,
      youzan: platformShops.find((shop) => shop.integration === 'youzan')!,
    };
    const push = async (kind: Kind, order: PlatformOrder) => {
      const answer =
        kind === 'native'
          ? await client.pushOrder(native.id, native.secret, {
              externalOrderId: order.id,
              currency: 'CNY',
              consignee: order.consignee,
              lines: order.lines.map((line) => ({ shopSkuCode: line.sku, externalLineId: line.lineId, quantity: line.quantity, unitPrice: line.unitPrice })),
            })
          : await (async () => {
              const delivery = shops[kind].deliver(order, `${kind}-${order.id}`);
              return client.rawPost(`/v1/shops/${shops[kind].id}/webhooks/${kind}`, delivery.headers, delivery.body);
            })();
      if (answer.status !== (kind === 'native' ? 202 : 200)) throw new Error(`${kind} push ${order.id}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
    };
    const perRound = Math.ceil(ORDERS / ROUNDS);
    const seconds: Record<Kind, number> = { native: 0, shopify: 0, woocommerce: 0, youzan: 0 };
    const pushed: Record<Kind, number> = { native: 0, shopify: 0, woocommerce: 0, youzan: 0 };
    // A warm-up of each kind first (connections, code paths, caches), not counted.
    for (const kind of Object.keys(shops) as Kind[]) await inPool(planPlatformOrders(shops[kind], network, 20, '9999999'), CONCURRENCY, (order) => push(kind, order));
    for (let round = 0; round < ROUNDS; round++) {
      const kinds = round % 2 === 0 ? (Object.keys(shops) as Kind[]) : (Object.keys(shops) as Kind[]).reverse();
      for (const kind of kinds) {
        const orders = planPlatformOrders(shops[kind], network, Math.min(perRound, ORDERS - pushed[kind]), String(1000000 + round));
        const started = process.hrtime.bigint();
        await inPool(orders, CONCURRENCY, (order) => push(kind, order));
        seconds[kind] += Number(process.hrtime.bigint() - started) / 1e9;
        pushed[kind] += orders.length;
      }
      log(`round ${round + 1}/${ROUNDS}: ${(Object.keys(shops) as Kind[]).map((kind) => `${kind} ${Math.round(pushed[kind] / seconds[kind])}/s`).join(', ')}`);
    }
    const rate = (kind: Kind) => Math.round(pushed[kind] / seconds[kind]);
    const results = {
      ordersPerKind: ORDERS,
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      ordersPerSecond: { native: rate('native'), shopify: rate('shopify'), woocommerce: rate('woocommerce'), youzan: rate('youzan') },
      ratioToNative: { shopify: rate('shopify') / rate('native'), woocommerce: rate('woocommerce') / rate('native'), youzan: rate('youzan') / rate('native') },
      goal: 0.8,
    };
    const ratios = results.ratioToNative;
    const table = [
      '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
      '|---|---|---|---|',
      `| platform webhooks: ${ORDERS} orders each as Shopify / WooCommerce / Youzan deliver them, concurrency ${CONCURRENCY}, answered | ${rate('shopify')} / ${rate('woocommerce')} / ${rate('youzan')} orders/s | ${rate('native')} orders/s (the same orders as native signed pushes) | ${ratios.shopify.toFixed(2)}× / ${ratios.woocommerce.toFixed(2)}× / ${ratios.youzan.toFixed(2)}× (goal ≥ 0.8×) |`,
    ].join('\n');
    writeBenchResults('platform-ingest', results, table);
  } finally {
    await Promise.all(services.map(stopService));
    await Promise.all(Object.values(fakes).map((fake) => fake.close()));
    receiver.close();
  }
}

runBench(main);
