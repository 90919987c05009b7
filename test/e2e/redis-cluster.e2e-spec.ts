import { ALL_QUEUES, AppConfig, loadConfig } from '@gongxiao/core';
import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, pushRoutedTshirtOrder, shopOrder } from '../support/order-network';
import { LocalRedisCluster } from '../support/redis-cluster';
import { createTestDatabase, TestApi, TestDatabase, testEnvironment } from '../support/test-environment';
import { eventually } from '../support/webhook-sink';
import { WorkerProcess } from '../support/worker-process';

/** The queue a BullMQ key belongs to: its hash tag. */
const queueOf = (key: string) => /\{([^}]+)\}/.exec(key)?.[1] ?? '(untagged)';

/**
 * REDIS_CLUSTER_NODES: BullMQ on a Redis Cluster of its own (3 primaries, 3 replicas, on 127.0.0.1).
 * Each queue's keys carry the queue's hash tag, so BullMQ's scripts find them in one slot, and the
 * queues spread over the primaries. The order flow runs on it, and goes on when the primary holding
 * the routing queue is killed mid-run: its replica takes over, and every order is routed once.
 */
describe('the order flow on a Redis Cluster', () => {
  const cluster = new LocalRedisCluster(3);
  let database: TestDatabase | undefined;
  let config: AppConfig;
  let api: TestApi | undefined;
  // A process of its own, stopped as an orchestrator would (SIGTERM, then SIGKILL after a grace period).
  let worker: WorkerProcess | undefined;
  let network: OrderNetwork;

  beforeAll(async () => {
    await cluster.start();
    database = await createTestDatabase();
    const environment = testEnvironment(database, {
      REDIS_CLUSTER_NODES: cluster.nodes,
      // A job lost with its primary is handed out again soon (the outbox and BullMQ's stalled check).
      OUTBOX_REDELIVER_SECONDS: '5',
      WORKER_LOCK_SECONDS: '10',
      WORKER_STALLED_CHECK_SECONDS: '5',
    });
    config = loadConfig(environment);
    api = await TestApi.start(config);
    worker = WorkerProcess.start(environment);
    await worker.ready();
    network = await buildOrderNetwork(api, { stock: 1000 });
  }, 120_000);

  afterAll(async () => {
    // SIGTERM, then SIGKILL after 10 s: a worker whose blocking read sat on the killed primary may not finish
    // its shutdown (README, Redis Cluster); the test is about the order flow, not about that.
    await worker?.stop();
    if (api?.started) await api.close();
    await database?.drop();
    cluster.stop();
  }, 120_000);

  it('routes orders with each queue’s keys in one slot, the queues spread over the primaries', async () => {
    for (let order = 0; order < 3; order++) await pushRoutedTshirtOrder(api!, network, `集群客户${order}`);
    const homes = new Map<string, Set<number>>();
    for (const [port, keys] of await cluster.keysByPrimary(`${config.QUEUE_PREFIX}:*`)) {
      for (const key of keys) homes.set(queueOf(key), (homes.get(queueOf(key)) ?? new Set()).add(port));
    }
    expect([...homes.keys()]).toEqual(expect.arrayContaining(['routing', 'maintenance']));
    // No BullMQ key without its queue's tag (the heartbeat and the throttler's counters are keys of their own).
    const untagged = [...(await cluster.keysByPrimary(`${config.QUEUE_PREFIX}:*`)).values()].flat().filter((key) => ALL_QUEUES.some((queue) => key.startsWith(`${config.QUEUE_PREFIX}:${queue}:`)));
    expect(untagged).toEqual([]);
    for (const queue of ALL_QUEUES.filter((name) => homes.has(name))) expect({ queue, primaries: homes.get(queue)!.size }).toEqual({ queue, primaries: 1 });
    const queuePrimaries = ALL_QUEUES.filter((name) => homes.has(name)).map((name) => [...homes.get(name)!][0]);
    expect(new Set(queuePrimaries).size).toBeGreaterThan(1);
  });

  it('routes every order once when the primary holding the routing queue is killed mid-run', async () => {
    const victim = await cluster.primaryOf('{routing}');
    const pushed: string[] = [];
    const push = async (index: number) => {
      const order = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }], { name: `故障客户${index}` });
      const response = await api!.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
      expectStatus(response, 202);
      pushed.push(response.body.id);
    };
    for (let index = 0; index < 10; index++) await push(index);
    cluster.kill(victim);
    // Orders keep arriving (the api writes them to PostgreSQL; only the relay needs Redis) while the replica takes over.
    for (let index = 10; index < 25; index++) await push(index);
    const successor = await cluster.failedOver('{routing}', victim);
    expect(successor).not.toBe(victim);
    for (let index = 25; index < 30; index++) await push(index);

    const routed = () =>
      withDatabase(database!.url, async (client) => (await client.query(`select count(*)::int as n from channel_order where id = any($1::bigint[]) and status = 'routed'`, [pushed])).rows[0].n);
    await eventually(async () => (await routed()) === pushed.length, 90_000, `all ${pushed.length} orders routed`);
    await withDatabase(database!.url, async (client) => {
      // Once each: one fulfillment order line per shop order (one T-shirt line, one supplier), one reservation each.
      const lines = await client.query(`select channel_order_id, count(*)::int as n from fulfillment_order_line where channel_order_id = any($1::bigint[]) group by 1`, [pushed]);
      expect(lines.rows).toHaveLength(pushed.length);
      expect(lines.rows.every((row) => row.n === 1)).toBe(true);
      const reserved = await client.query(`select count(*)::int as n from stock_movement where reason = 'order_reserved' and reference = any($1::text[])`, [pushed.map((id) => `channel_order:${id}`)]);
      expect(reserved.rows[0].n).toBe(pushed.length);
    });
  }, 180_000);
});
