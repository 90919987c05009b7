import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { Workbook } from 'exceljs';
import { loadConfig } from '@gongxiao/core';
import { databaseUrl, templateDatabase } from '../support/database-admin';
import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../support/order-network';
import { postgresBin, PrivatePostgres } from '../support/private-postgres';
import { deleteQueueKeys } from '../support/redis-keys';
import { freePort } from '../support/stage';
import { startWorker, TestApi, testEnvironment } from '../support/test-environment';
import { eventually } from '../support/webhook-sink';

const MAX_WAIT_MS = 2000;

/**
 * `DATABASE_READ_URL`: the inbox (and the other lists, scorecards and statements) read a streaming
 * replica, on a private primary and replica of their own (the machine's PostgreSQL is never paused).
 * A read still sees every write committed before it: it waits for the replica to replay up to the
 * primary's position, and reads the primary when the replica lags past DATABASE_READ_MAX_WAIT_MS or
 * is down.
 */
describe('reads from a streaming replica', () => {
  const workdir = mkdtempSync(join(tmpdir(), 'gx-replica-'));
  const database = `gongxiao_replica_${randomBytes(4).toString('hex')}`;
  let primary: PrivatePostgres;
  let replica: PrivatePostgres;
  let api: TestApi;
  let worker: INestApplicationContext | undefined;
  let network: OrderNetwork;
  let queuePrefix = '';

  const onReplica = <T>(work: (client: import('pg').Client) => Promise<T>) => withDatabase(replica.url(database), work);
  const inbox = async () => {
    const response = await api.get(`/v1/fulfillment-orders?limit=200`, network.factory.token);
    expectStatus(response, 200);
    return (response.body.data as { consignee: { name: string } }[]).map((order) => order.consignee.name);
  };
  let pushed = 0;
  /** Pushes an order for a consignee of its own and waits until it is routed; returns the consignee and the shop order. */
  const pushRouted = async (): Promise<{ consignee: string; channelOrderId: string }> => {
    const consignee = `客户${++pushed}号`;
    const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }], { name: consignee }), network.shop.secret);
    expectStatus(push, 202);
    await eventually(async () => (await api.get(`/v1/channel-orders/${push.body.id}`, network.distributor.token)).body.status === 'routed', 20_000, 'order routed');
    return { consignee, channelOrderId: push.body.id as string };
  };
  const onReplicaNow = (order: { channelOrderId: string }) =>
    onReplica(async (client) => (await client.query(`select 1 from fulfillment_order_line where channel_order_id = $1`, [order.channelOrderId])).rowCount! > 0);
  const inboxQueriesOnReplica = () => replica.log().split('from fulfillment_order where supplier_merchant_id').length - 1;

  beforeAll(async () => {
    const bin = postgresBin();
    if (!bin) throw new Error('This test needs the PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql): it runs a private primary and replica.');
    chmodSync(workdir, 0o755);
    primary = new PrivatePostgres(bin, join(workdir, 'primary'), await freePort());
    primary.init();
    primary.start();
    await withDatabase(primary.url('postgres'), (client) => client.query(`create database ${database}`));
    // The run’s migrated template, copied over: the same schema every test database starts from.
    primary.restore(database, execFileSync(join(bin, 'pg_dump'), ['--no-owner', '--dbname', databaseUrl(process.env.DATABASE_URL!, templateDatabase())], { maxBuffer: 64 * 1024 * 1024 }));
    replica = primary.replica(join(workdir, 'replica'), await freePort());
    replica.start(['log_statement=all', 'hot_standby_feedback=on']);
    const environment = testEnvironment(
      { url: primary.url(database), name: database, drop: async () => undefined },
      { DATABASE_READ_URL: replica.url(database), DATABASE_READ_MAX_WAIT_MS: String(MAX_WAIT_MS) },
    );
    queuePrefix = environment.QUEUE_PREFIX;
    const config = loadConfig(environment);
    api = await TestApi.start(config);
    worker = await startWorker(config);
    network = await buildOrderNetwork(api, { stock: 50 });
  }, 180_000);

  afterAll(async () => {
    await worker?.close();
    if (api?.started) await api.close();
    if (queuePrefix) await deleteQueueKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', queuePrefix);
    for (const server of [replica, primary]) {
      try {
        server?.stop();
      } catch {
        /* not running */
      }
    }
    rmSync(workdir, { recursive: true, force: true });
  }, 120_000);

  it('reads the inbox on the replica, waiting for it to replay what was committed before the read', async () => {
    const first = await pushRouted();
    const before = inboxQueriesOnReplica();
    expect(await inbox()).toContain(first.consignee);
    expect(inboxQueriesOnReplica()).toBe(before + 1);

    await onReplica((client) => client.query(`select pg_wal_replay_pause()`));
    const second = await pushRouted();
    expect(await onReplicaNow(second)).toBe(false);
    // The read begins while the replica lags; replay resumes a moment later, well within the wait.
    const reading = inbox();
    await new Promise((done) => setTimeout(done, 300));
    await onReplica((client) => client.query(`select pg_wal_replay_resume()`));
    expect(await reading).toEqual(expect.arrayContaining([first.consignee, second.consignee]));
    expect(inboxQueriesOnReplica()).toBe(before + 2);
  });

  it('writes the order sheet from the replica, with every order routed before it was asked for', async () => {
    const pages = () => replica.log().split('join fulfillment_order o on o.id = l.fulfillment_order_id').length - 1;
    const before = pages();
    await onReplica((client) => client.query(`select pg_wal_replay_pause()`));
    const latest = await pushRouted();
    const requested = await api.post('/v1/fulfillment-orders/exports', { status: 'new' }, network.factory.token);
    expectStatus(requested, 202);
    await new Promise((done) => setTimeout(done, 300));
    await onReplica((client) => client.query(`select pg_wal_replay_resume()`));
    const done = await eventually(
      async () => {
        const response = await api.get(`/v1/fulfillment-order-exports/${requested.body.id}`, network.factory.token);
        return response.body.status === 'done' && response.body;
      },
      30_000,
      'order sheet export done',
    );
    const file = await api.app.inject({ method: 'GET', url: done.downloadUrl, headers: { authorization: `Bearer ${network.factory.token}` } });
    const workbook = new Workbook();
    await workbook.xlsx.load(file.rawPayload as never);
    const cells: unknown[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => cells.push(...(row.values as unknown[]))));
    expect(cells).toEqual(expect.arrayContaining([latest.consignee]));
    expect(pages()).toBeGreaterThan(before);
  });

  it('writes a statement file from one read-only snapshot on the replica, with the shipment posted just before', async () => {
    const order = await pushRouted();
    const inboxPage = await api.get(`/v1/fulfillment-orders?status=new&limit=200`, network.factory.token);
    const fulfillmentOrder = inboxPage.body.data.find((item: { consignee: { name: string } }) => item.consignee.name === order.consignee);
    const line = fulfillmentOrder.lines[0];
    const shipped = await api.post(
      `/v1/fulfillment-orders/${fulfillmentOrder.id}/shipments`,
      { carrierCode: 'SF', trackingNumber: `SF${Date.now()}`, lines: [{ lineId: line.id, quantity: line.quantity }] },
      network.factory.token,
    );
    expectStatus(shipped, 201);
    const statement = await eventually(async () => {
      const response = await api.get(`/v1/statements?side=receivable`, network.factory.token);
      return response.body.data[0] as { id: string } | undefined;
    });
    const entries = async () => (await api.get(`/v1/statements/${statement.id}/entries?limit=200`, network.factory.token)).body.data.length as number;
    const posted = await eventually(async () => (await entries()) > 0 && (await entries()));
    const snapshots = () => replica.log().split('READ ONLY').length - 1;
    const before = snapshots();
    const requested = await api.post(`/v1/statements/${statement.id}/exports`, { format: 'csv' }, network.factory.token);
    expectStatus(requested, 202);
    const done = await eventually(
      async () => {
        const response = await api.get(`/v1/statement-exports/${requested.body.id}`, network.factory.token);
        return response.body.status === 'done' && response.body;
      },
      30_000,
      'statement export done',
    );
    expect(done.rowsWritten).toBe(posted);
    expect(snapshots()).toBeGreaterThan(before);
    expect(replica.log()).toContain('from ledger_entry e where e.statement_id');
  });

  it('reads the primary when the replica lags past the wait, or is down, and never answers stale', async () => {
    await onReplica((client) => client.query(`select pg_wal_replay_pause()`));
    const lagging = await pushRouted();
    expect(await onReplicaNow(lagging)).toBe(false);
    const before = inboxQueriesOnReplica();
    const startedAt = Date.now();
    expect(await inbox()).toContain(lagging.consignee);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(MAX_WAIT_MS);
    expect(await onReplicaNow(lagging)).toBe(false);
    expect(inboxQueriesOnReplica()).toBe(before);
    await onReplica((client) => client.query(`select pg_wal_replay_resume()`));

    replica.stop();
    const afterStop = await pushRouted();
    expect(await inbox()).toContain(afterStop.consignee);
  });
});
