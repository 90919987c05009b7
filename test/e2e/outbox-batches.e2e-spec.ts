import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { UnrecoverableError } from 'bullmq';
import { OutboxJobData, OutboxService } from '@gongxiao/core';
import { withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';

/**
 * Batches of outbox events (core): when a batch fails, the job's own events are handled one by
 * one; an event that can never succeed fails for good alone, and the job is retried only for the
 * events a retry may still carry through — none of them is lost with it.
 */
describe('outbox batches', () => {
  const { api, database } = useStage({ worker: false });

  const insertEvents = (ids: string[]) =>
    withDatabase(database.url, async (client) => {
      const rows = await client.query<{ id: string }>(
        `insert into outbox_event (type, merchant_id, aggregate_id, payload)
         select 'fulfillment_order.released', null, f, jsonb_build_object('fulfillmentOrderId', f) from unnest($1::text[]) with ordinality as u(f, n) order by n
         returning id::text`,
        [ids],
      );
      return rows.rows.map((row) => row.id);
    });
  const states = (eventIds: string[]) =>
    withDatabase(database.url, async (client) =>
      (
        await client.query<{ id: string; processed: boolean; failed: boolean; last_error: string | null }>(
          `select id::text, processed_at is not null as processed, failed_at is not null as failed, last_error from outbox_event where id = any($1::bigint[]) order by id`,
          [eventIds],
        )
      ).rows.map(({ processed, failed, last_error }) => ({ processed, failed, last_error })),
    );

  it('fails an event that can never succeed on its own, and retries only the one that may', async () => {
    const [bad, flaky, good] = await insertEvents(['malformed', 'flaky', 'fine']);
    const job: OutboxJobData<'fulfillment_order.released'> = {
      eventId: bad,
      type: 'fulfillment_order.released',
      merchantId: null,
      payload: { fulfillmentOrderId: 'malformed' },
      more: [
        { eventId: flaky, payload: { fulfillmentOrderId: 'flaky' } },
        { eventId: good, payload: { fulfillmentOrderId: 'fine' } },
      ],
    };
    const done: string[] = [];
    let flakyCalls = 0;
    const work = async (_em: EntityManager, payloads: { fulfillmentOrderId: string }[]) => {
      if (payloads.some((payload) => payload.fulfillmentOrderId === 'malformed')) throw new UnrecoverableError('malformed payload');
      if (payloads.some((payload) => payload.fulfillmentOrderId === 'flaky') && flakyCalls++ === 0) throw new Error('database briefly away');
      done.push(...payloads.map((payload) => payload.fulfillmentOrderId));
    };
    const outbox = api.app.get(OutboxService);
    const em = () => api.app.get(MikroORM).em.fork() as EntityManager;

    // The batch fails; one by one, the malformed event fails for good, the flaky one is to be retried.
    await expect(outbox.processBatch(em(), job, 10, work)).rejects.toThrow('database briefly away');
    expect(done).toEqual(['fine']);
    expect(await states([bad, flaky, good])).toEqual([
      { processed: false, failed: true, last_error: 'malformed payload' },
      { processed: false, failed: false, last_error: 'database briefly away' },
      { processed: true, failed: false, last_error: null },
    ]);

    // BullMQ's retry of the same job carries the flaky event through and never runs the failed one again.
    await outbox.processBatch(em(), job, 10, work);
    expect(done).toEqual(['fine', 'flaky']);
    expect((await states([bad, flaky, good])).map(({ processed, failed }) => ({ processed, failed }))).toEqual([
      { processed: false, failed: true },
      { processed: true, failed: false },
      { processed: true, failed: false },
    ]);
  });

  it('appends 20,000 events in one statement, in order, payloads as given (more than PostgreSQL takes as parameters one by one)', async () => {
    const outbox = api.app.get(OutboxService);
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    const count = 20_000;
    const events = Array.from({ length: count }, (_, index) => ({
      type: 'shop_stock.stale' as const,
      merchantId: null,
      aggregateId: `append-test:${index}`,
      payload: { shopId: `店铺 "${index}" \\ {a,b}` },
    }));
    await em.transactional((tx) => outbox.append(tx, events));
    const stored = await withDatabase(
      database.url,
      async (client) =>
        (await client.query<{ aggregate_id: string; payload: { shopId: string } }>(`select aggregate_id, payload from outbox_event where aggregate_id like 'append-test:%' order by id`)).rows,
    );
    expect(stored).toHaveLength(count);
    expect(stored.map((row) => row.aggregate_id)).toEqual(events.map((event) => event.aggregateId));
    expect(stored[17].payload).toEqual({ shopId: '店铺 "17" \\ {a,b}' });
    expect(stored[count - 1].payload).toEqual(events[count - 1].payload);
  });
});
