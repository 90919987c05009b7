import { Queue } from 'bullmq';
import { jobIdForEvent, QueueName, redisConnectionOptions, signatureMatches } from '@gongxiao/core';
import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, ReceivedWebhook, WebhookSink } from '../support/webhook-sink';

/**
 * Stock that reaches every shop: a change at the supplier's warehouse becomes one signed,
 * coalesced "listing.availability_changed" POST to the shop, with the latest value and version.
 */
describe('stock sync to shops', () => {
  const { api, database, config } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  let sink: WebhookSink;
  let network: OrderNetwork;

  const stockEvents = () => sink.on('/shop').filter((call) => call.body?.event === 'listing.availability_changed');
  const latestFor = (events: ReceivedWebhook[], code: string) =>
    events.flatMap((call) => call.body.data.listings as { shopSkuCode: string; available: number; version: string }[]).filter((listing) => listing.shopSkuCode === code);
  /** The calls to `path` after the first `before`, once one the shop accepted carries `available` for `code`. */
  const untilAccepted = (path: string, before: number, code: string, available: number, what: string) =>
    eventually(
      async () => {
        const calls = sink.on(path).slice(before);
        return calls.some((call) => call.status === 200 && latestFor([call], code).some((listing) => listing.available === available)) && calls;
      },
      20_000,
      what,
    );

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { shopCallbackUrl: sink.url('/shop'), stock: 100 });
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('tells the shop what each listing may sell, signed, once the network is built', async () => {
    // Both factory warehouses hold 100 T-shirts: the listing may sell 200.
    const events = await eventually(
      async () => {
        const found = stockEvents();
        return latestFor(found, 'TSHIRT').some((listing) => listing.available === 200) && found;
      },
      15_000,
      'the first stock event',
    );
    const call = events[events.length - 1];
    expect(signatureMatches(network.shop.secret, String(call.headers['x-gongxiao-timestamp']), call.rawBody, String(call.headers['x-gongxiao-signature']))).toBe(true);
    expect(call.headers['x-gongxiao-event']).toBe('listing.availability_changed');
    // The shop without a callback URL is not called; the pull API serves it.
    const pulled = await eventually(
      async () => {
        const page = await api.get(`/v1/listing-availability?shopId=${network.shop2.id}`, network.distributor.token);
        return page.body.data.length === 3 && page.body.data;
      },
      15_000,
      'the pull API to list the second shop',
    );
    expect(pulled.map((item: { available: number }) => item.available).sort((a: number, b: number) => a - b)).toEqual([100, 200, 200]);
    expect(sink.on('/shop').every((call) => call.body?.data?.shopId !== network.shop2.id)).toBe(true);
  });

  it('coalesces a burst of changes, never delivering an older value after a newer one', async () => {
    const before = stockEvents().length;
    for (let index = 1; index <= 20; index++) {
      expectStatus(
        await api.post('/v1/stock-updates', { updates: [{ key: `burst-${index}`, warehouseId: network.warehouses.zhejiang, skuId: network.skus.tshirt, onHand: 100 - index }] }, network.factory.token),
        200,
      );
    }
    await eventually(async () => latestFor(stockEvents(), 'TSHIRT').some((listing) => listing.available === 180), 15_000, 'the final value');
    await new Promise((done) => setTimeout(done, 300));
    const burst = stockEvents().slice(before);
    expect(burst.length).toBeLessThan(20);
    const tshirt = latestFor(burst, 'TSHIRT');
    expect(tshirt[tshirt.length - 1].available).toBe(180);
    const versions = tshirt.map((listing) => Number(listing.version));
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('keeps trying a shop that fails, and delivers the newest value once it answers', async () => {
    const before = sink.on('/shop').length;
    sink.answerOn('/shop', 500, 500);
    expectStatus(await api.post('/v1/stock-updates', { updates: [{ key: 'flaky-shop', warehouseId: network.warehouses.guangdong, skuId: network.skus.mug, onHand: 42 }] }, network.factory.token), 200);
    const accepted = await untilAccepted('/shop', before, 'MUG', 142, 'the mug value after two failures');
    // The shop refused twice; the retry it accepted carries the newest value.
    expect(accepted.filter((call) => call.status === 500)).toHaveLength(2);
  });

  it('tells many shops of one change in one job, and a shop that fails holds up none of the others', async () => {
    const openShop = async (name: string, path: string): Promise<string> => {
      const shop = await api.post('/v1/shops', { platform: 'youzan', name, callbackUrl: sink.url(path) }, network.distributor.token);
      expectStatus(shop, 201);
      const listing = { shopId: shop.body.id, shopSkuCode: 'MUG', offerId: network.offers.brokerMug, retailPrice: { amount: 2990, currency: 'CNY' } };
      expectStatus(await api.post('/v1/listings', listing, network.distributor.token), 201);
      return shop.body.id;
    };
    const shopIds = [await openShop('Flaky shop', '/flaky'), await openShop('Steady shop', '/steady')];
    // Both are told of the mug as it is now, then the flaky one refuses twice.
    await eventually(async () => latestFor(sink.on('/flaky'), 'MUG').length > 0 && latestFor(sink.on('/steady'), 'MUG').length > 0, 15_000, 'the first mug values');
    const [flakyBefore, steadyBefore] = [sink.on('/flaky').length, sink.on('/steady').length];
    const eventsBefore = await withDatabase(database.url, async (client) => (await client.query<{ id: string }>(`select coalesce(max(id), 0)::text as id from outbox_event`)).rows[0].id);
    sink.answerOn('/flaky', 500, 500);
    expectStatus(await api.post('/v1/stock-updates', { updates: [{ key: 'two-shops', warehouseId: network.warehouses.guangdong, skuId: network.skus.mug, onHand: 37 }] }, network.factory.token), 200);
    // While the flaky shop waits for its third try, the steady shop's event is done and the flaky one's still pending.
    await eventually(async () => sink.on('/flaky').slice(flakyBefore).length === 2, 20_000, 'the second refusal');
    const states = await withDatabase(
      database.url,
      async (client) =>
        (
          await client.query<{ aggregate_id: string; done: boolean }>(
            `select aggregate_id, processed_at is not null as done from outbox_event where type = 'shop_stock.stale' and aggregate_id = any($1::text[]) and id > $2::bigint order by aggregate_id`,
            [shopIds.map((id) => `shop:${id}`), eventsBefore],
          )
        ).rows,
    );
    expect(states).toEqual(
      expect.arrayContaining([
        { aggregate_id: `shop:${shopIds[0]}`, done: false },
        { aggregate_id: `shop:${shopIds[1]}`, done: true },
      ]),
    );
    const flaky = await untilAccepted('/flaky', flakyBefore, 'MUG', 137, 'the flaky shop to take the new mug value');
    expect(flaky.map((call) => call.status)).toEqual([500, 500, 200]);
    // The steady shop was told once, at once: its event was done while the flaky one's was retried.
    const steady = sink.on('/steady').slice(steadyBefore);
    expect(steady.map((call) => call.status)).toEqual([200]);
    expect(latestFor(steady, 'MUG').map((listing) => listing.available)).toEqual([137]);
    expect(steady[0].receivedAt).toBeLessThan(flaky[2].receivedAt);
    // One job carried both shops' events of that change.
    const jobs = await withDatabase(
      database.url,
      async (client) =>
        (
          await client.query<{ job_id: string | null }>(`select distinct job_id from outbox_event where type = 'shop_stock.stale' and aggregate_id = any($1::text[]) and id > $2::bigint`, [
            shopIds.map((id) => `shop:${id}`),
            eventsBefore,
          ])
        ).rows,
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0].job_id).toEqual(expect.any(String));
  });

  it('waits its turn behind another sender of the same shop without spending attempts or backing off', async () => {
    const before = sink.on('/shop').length;
    const eventsBefore = await withDatabase(database.url, async (client) => (await client.query<{ id: string }>(`select coalesce(max(id), 0)::text as id from outbox_event`)).rows[0].id);
    // Someone else holds the shop for three seconds: every try meanwhile finds it busy.
    await withDatabase(database.url, (client) =>
      client.query(
        `insert into shop_sync_lease (shop_id, holder, lease_until) values ($1, gen_random_uuid(), now() + interval '3 seconds')
           on conflict (shop_id) do update set holder = excluded.holder, lease_until = excluded.lease_until`,
        [network.shop.id],
      ),
    );
    expectStatus(
      await api.post('/v1/stock-updates', { updates: [{ key: 'behind-a-lease', warehouseId: network.warehouses.guangdong, skuId: network.skus.mug, onHand: 31 }] }, network.factory.token),
      200,
    );
    await untilAccepted('/shop', before, 'MUG', 131, 'the mug value once the lease ran out');
    const [event] = (
      await withDatabase(database.url, (client) =>
        client.query<{ id: string; job_id: string | null }>(`select id::text, job_id from outbox_event where type = 'shop_stock.stale' and aggregate_id = $1 and id > $2::bigint order by id limit 1`, [
          `shop:${network.shop.id}`,
          eventsBefore,
        ]),
      )
    ).rows;
    const queue = new Queue(QueueName.Webhooks, { connection: redisConnectionOptions(config.REDIS_URL), prefix: config.QUEUE_PREFIX });
    try {
      const job = await eventually(
        async () => {
          const found = await queue.getJob(event.job_id ?? jobIdForEvent(event.id));
          return found && (await found.isCompleted()) && found;
        },
        10_000,
        'the job to complete',
      );
      // Tried again and again while the shop was busy, yet the only attempt counted is the one that told it: no back-off grew.
      expect(job.attemptsStarted).toBeGreaterThan(2);
      expect(job.attemptsMade).toBe(1);
    } finally {
      await queue.close();
    }
  });

  it('shows each buyer how many units it may sell of every offer available to it', async () => {
    const offers = await api.get('/v1/available-offers', network.distributor.token);
    const tshirt = offers.body.data.find((offer: { id: string }) => offer.id === network.offers.brokerTshirt);
    // 80 left in Zhejiang after the burst above, 100 in Guangdong.
    expect(tshirt.available).toBe(180);
    expect((await api.get(`/v1/available-offers/${network.offers.farmHoney}`, network.distributor.token)).body.available).toBe(100);
    // The broker sees what it may sell of the factory's offer.
    const brokerView = await api.get(`/v1/available-offers/${network.offers.factoryTshirt}`, network.broker.token);
    expect(brokerView.body.available).toBe(180);
  });
});

describe('stock alerts', () => {
  const { api } = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  let sink: WebhookSink;
  let network: OrderNetwork;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { stock: 100 });
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('tells the supplier and every merchant selling a SKU when it runs low, runs out and comes back', async () => {
    const supplierHook = await api.post('/v1/webhook-subscriptions', { url: sink.url('/farm'), events: ['stock.low', 'stock.out', 'stock.restocked'] }, network.farm.token);
    expectStatus(supplierHook, 201);
    expect(supplierHook.body.secret).toMatch(/^whsec_/);
    expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url('/distributor'), events: ['stock.out'] }, network.distributor.token), 201);
    expect((await api.get('/v1/webhook-subscriptions', network.farm.token)).body.data[0].secret).toBeUndefined();
    expectStatus(await api.put('/v1/stock-alerts', { skuId: network.skus.honey, lowStockThreshold: 10 }, network.farm.token), 200);

    const setHoney = (key: string, onHand: number) =>
      api.post('/v1/stock-updates', { updates: [{ key, warehouseId: network.warehouses.farm, skuId: network.skus.honey, onHand }] }, network.farm.token);
    expectStatus(await setHoney('low', 5), 200);
    const low = await eventually(async () => sink.on('/farm').find((call) => call.body.event === 'stock.low'), 15_000, 'stock.low');
    expect(low.body.data).toEqual(expect.objectContaining({ skuId: network.skus.honey, state: 'low', available: 5, lowStockThreshold: 10 }));
    expect(signatureMatches(supplierHook.body.secret, String(low.headers['x-gongxiao-timestamp']), low.rawBody, String(low.headers['x-gongxiao-signature']))).toBe(true);

    expectStatus(await setHoney('out', 0), 200);
    const out = await eventually(async () => sink.on('/distributor').find((call) => call.body.event === 'stock.out'), 15_000, 'stock.out for the distributor');
    expect(out.body.data.listingIds).toHaveLength(2);
    expect(out.body.data.available).toBeUndefined();
    // The distributor's listings show sold out.
    const listings = await eventually(
      async () => {
        const page = await api.get('/v1/listing-availability?limit=200', network.distributor.token);
        const soldOut = page.body.data.filter((item: { soldOut: boolean }) => item.soldOut);
        return soldOut.length === 2 && soldOut;
      },
      15_000,
      'honey listings sold out',
    );
    expect(listings.map((item: { listingId: string }) => item.listingId).sort()).toEqual([...out.body.data.listingIds].sort());

    expectStatus(await setHoney('back', 50), 200);
    await eventually(async () => sink.on('/farm').some((call) => call.body.event === 'stock.restocked'), 15_000, 'stock.restocked');
    // The distributor subscribed to stock.out only; the supplier got each transition once.
    expect(sink.on('/distributor').map((call) => call.body.event)).toEqual(['stock.out']);
    expect(sink.on('/farm').map((call) => call.body.event)).toEqual(['stock.low', 'stock.out', 'stock.restocked']);
    expect((await api.get('/v1/stock-alerts', network.farm.token)).body.data).toEqual([expect.objectContaining({ skuId: network.skus.honey, state: 'ok' })]);
    expect(out.body.data.lowStockThreshold).toBeUndefined();
    // A seller whose partnership is suspended no longer hears about the supplier's stock.
    const partnerships = await api.get('/v1/partnerships?side=downstream', network.farm.token);
    const withDistributor = partnerships.body.data.find((p: { downstream: { merchantId: string } }) => p.downstream.merchantId === network.distributor.merchantId);
    expectStatus(await api.post(`/v1/partnerships/${withDistributor.id}/suspend`, {}, network.farm.token), 200);
    expectStatus(await setHoney('out-again', 0), 200);
    await eventually(async () => sink.on('/farm').filter((call) => call.body.event === 'stock.out').length === 2, 15_000, 'the second stock.out');
    expect(sink.on('/distributor').map((call) => call.body.event)).toEqual(['stock.out']);
    expectStatus(await api.post(`/v1/partnerships/${withDistributor.id}/resume`, {}, network.farm.token), 200);

    // Subscriptions are the merchant's own: another merchant cannot see or remove them.
    expect((await api.get('/v1/webhook-subscriptions', network.factory.token)).body.data).toEqual([]);
    expect((await api.delete(`/v1/webhook-subscriptions/${supplierHook.body.id}`, network.factory.token)).status).toBe(404);
    expect((await api.get('/v1/stock-alerts', network.factory.token)).body.data).toEqual([]);
    // Only the SKU's owner sets its alert.
    const refused = await api.put('/v1/stock-alerts', { skuId: network.skus.honey, lowStockThreshold: 1 }, network.distributor.token);
    expect(refused.status).toBe(404);
  });
});
