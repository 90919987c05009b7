import { MikroORM } from '@mikro-orm/core';
import { NewWebhookDelivery, WebhooksService } from '@gongxiao/webhooks';
import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

/**
 * The notices of one fulfillment order reach its ERP in the order they were made: a "cancelled"
 * notice never overtakes the "created" one, even while that one is being retried or after it failed
 * for good. Notices without an ordering key are never held up.
 */
describe('outgoing webhooks: notices of one fulfillment order arrive in order', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50', WEBHOOK_MAX_ATTEMPTS: '3' } });
  const { api, database } = stage;
  let sink: WebhookSink;
  let network: OrderNetwork;
  let erpWarehouseId: string;

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api);
    const erp = await api.post('/v1/warehouses', { code: 'ERP-ORDER', name: 'ERP ordering', province: '江苏省', receiveMode: 'erp_webhook', erpWebhookUrl: sink.url('/erp') }, network.farm.token);
    expectStatus(erp, 201);
    erpWarehouseId = erp.body.id;
  });

  afterAll(async () => {
    await sink?.close();
  });

  const notice = (path: string, eventType: string, tag: string, orderingKey?: string): NewWebhookDelivery => ({
    merchantId: network.farm.merchantId,
    targetKind: 'warehouse_erp',
    targetId: erpWarehouseId,
    eventType,
    subjectId: tag,
    dedupKey: `test:ordering:${tag}:${eventType}`,
    url: sink.url(path),
    data: { eventType },
    orderingKey,
  });
  const schedule = (deliveries: NewWebhookDelivery[]) =>
    stage.worker
      .get(MikroORM)
      .em.fork()
      .transactional((em) => stage.worker.get(WebhooksService).scheduleAll(em as never, deliveries));
  const statuses = (tag: string) =>
    withDatabase(database.url, (client) => client.query<{ event_type: string; status: string }>(`select event_type, status from webhook_delivery where subject_id = $1 order by id`, [tag])).then(
      (result) => result.rows,
    );
  const arrivals = (path: string) => sink.on(path).map((call) => `${call.headers['x-gongxiao-event']}:${call.status}`);

  it('holds a later notice until the earlier one got through, whether made together or later', async () => {
    const tag = `fo-${Date.now()}`;
    sink.answerOn('/erp-ordered', 500, 500);
    await schedule([notice('/erp-ordered', 'fulfillment_order.created', tag, `fulfillment_order:${tag}`)]);
    // While "created" is being retried, the order is cancelled and its ERP told: that notice waits.
    await eventually(async () => sink.on('/erp-ordered').length >= 1, 10_000, 'the first attempt of the created notice');
    await schedule([
      notice('/erp-ordered', 'fulfillment_order.cancelled', tag, `fulfillment_order:${tag}`),
      notice('/erp-ordered', 'fulfillment_order.interception_requested', tag, `fulfillment_order:${tag}`),
    ]);
    await eventually(async () => (await statuses(tag)).every((row) => row.status === 'delivered'), 20_000, 'every notice delivered');
    expect(arrivals('/erp-ordered')).toEqual([
      'fulfillment_order.created:500',
      'fulfillment_order.created:500',
      'fulfillment_order.created:200',
      'fulfillment_order.cancelled:200',
      'fulfillment_order.interception_requested:200',
    ]);
  });

  it('lets the next notice go once the earlier one failed for good', async () => {
    const tag = `fo-failed-${Date.now()}`;
    sink.answerOn('/erp-failing', 500, 500, 500);
    await schedule([notice('/erp-failing', 'fulfillment_order.created', tag, `fulfillment_order:${tag}`), notice('/erp-failing', 'fulfillment_order.cancelled', tag, `fulfillment_order:${tag}`)]);
    await eventually(async () => (await statuses(tag)).every((row) => ['delivered', 'failed'].includes(row.status)), 30_000, 'both notices settled');
    expect(await statuses(tag)).toEqual([
      { event_type: 'fulfillment_order.created', status: 'failed' },
      { event_type: 'fulfillment_order.cancelled', status: 'delivered' },
    ]);
    expect(arrivals('/erp-failing')).toEqual(['fulfillment_order.created:500', 'fulfillment_order.created:500', 'fulfillment_order.created:500', 'fulfillment_order.cancelled:200']);
  });

  it('never holds up notices of other fulfillment orders or without a key', async () => {
    const tag = `fo-blocked-${Date.now()}`;
    sink.answerOn('/erp-blocked', 500, 500);
    await schedule([
      notice('/erp-blocked', 'fulfillment_order.created', tag, `fulfillment_order:${tag}`),
      notice('/erp-other', 'fulfillment_order.created', `${tag}-other`, `fulfillment_order:${tag}-other`),
      notice('/erp-unkeyed', 'fulfillment_order.created', `${tag}-unkeyed`),
    ]);
    await eventually(async () => sink.on('/erp-other').length === 1 && sink.on('/erp-unkeyed').length === 1, 10_000, 'the other notices');
    // Both left while the first fulfillment order's notice was still failing.
    expect(sink.on('/erp-blocked').filter((call) => call.status === 200)).toHaveLength(0);
    await eventually(async () => (await statuses(tag)).every((row) => row.status === 'delivered'), 20_000, 'the held notice');
  });
});
