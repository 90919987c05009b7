import fc from 'fast-check';
import { ClaimedOutboxEvent, JOB_ROUTES, QueueName } from '@gongxiao/core';
import { planRelayJobs } from './relay-grouping';

let next = 100;
const event = (type: ClaimedOutboxEvent['type'], extra: Partial<ClaimedOutboxEvent> = {}): ClaimedOutboxEvent => ({
  id: String(next++),
  type,
  merchant_id: '7',
  payload: {},
  job_id: null,
  enqueue_count: 1,
  ...extra,
});

describe('planRelayJobs', () => {
  it('gives a type without a group one job per event, with a derived job id and its route', () => {
    const shipment = event('channel_order.shipment_recorded', { payload: { channelOrderId: '1', shipmentId: '2' } });
    const plan = planRelayJobs([shipment], 0);
    expect(plan.jobs).toEqual([
      {
        queue: QueueName.Dispatch,
        name: 'channel_order.shipment_recorded',
        data: { eventId: shipment.id, type: 'channel_order.shipment_recorded', merchantId: '7', payload: shipment.payload },
        opts: {
          jobId: `evt-${shipment.id}`,
          attempts: JOB_ROUTES['channel_order.shipment_recorded'].attempts,
          backoff: { type: 'exponential', delay: JOB_ROUTES['channel_order.shipment_recorded'].backoffMs },
        },
      },
    ]);
    expect(plan.newGroupMembers).toEqual([]);
  });

  it('hands a grouped type out up to its group size per job, in id order, and records the members of each new group', () => {
    const size = JOB_ROUTES['channel_order.received'].group!;
    const orders = Array.from({ length: size + 3 }, () => event('channel_order.received'));
    const plan = planRelayJobs(orders, 0);
    expect(plan.jobs.map((job) => [job.opts.jobId, 1 + (job.data.more?.length ?? 0)])).toEqual([
      [`evt-${orders[0].id}-${orders[size - 1].id}`, size],
      [`evt-${orders[size].id}-${orders[size + 2].id}`, 3],
    ]);
    expect(plan.newGroupMembers).toHaveLength(size + 3);
    expect(plan.newGroupMembers[size]).toEqual({ eventId: orders[size].id, jobId: `evt-${orders[size].id}-${orders[size + 2].id}` });
  });

  it('sends a redelivered event back to the job it went to before, never into a new group', () => {
    const grouped = [event('channel_order.received', { job_id: 'evt-1-3', enqueue_count: 2 }), event('channel_order.received', { job_id: 'evt-1-3', enqueue_count: 2 })];
    const alone = event('channel_order.received', { enqueue_count: 2 });
    const fresh = event('channel_order.received');
    const plan = planRelayJobs([...grouped, alone, fresh], 0);
    expect(plan.jobs.map((job) => [job.opts.jobId, [job.data.eventId, ...(job.data.more ?? []).map((more) => more.eventId)]])).toEqual([
      ['evt-1-3', grouped.map((item) => item.id)],
      [`evt-${alone.id}`, [alone.id]],
      [`evt-${fresh.id}`, [fresh.id]],
    ]);
    expect([...plan.redeliveredJobIds]).toEqual(['evt-1-3', `evt-${alone.id}`]);
    expect(plan.newGroupMembers).toEqual([]);
  });

  it('runs a coalescing type at once after a quiet spell, and delays an event with a release time until then', () => {
    const stale = event('availability.stale');
    const release = event('fulfillment_order.merge_window_opened', { payload: { fulfillmentOrderId: '9', releaseAt: new Date(61_000).toISOString() } });
    const plan = planRelayJobs([stale, release], 1_000);
    expect(plan.jobs.map((job) => job.opts.delay)).toEqual([undefined, 60_000]);
  });

  it('runs a coalescing type at most once per window under a burst, each event within a window of arriving', () => {
    const window = JOB_ROUTES['availability.stale'].coalesceMs!;
    const lastRuns = new Map<string, number>();
    const delayAt = (now: number) => planRelayJobs([event('availability.stale')], now, lastRuns).jobs[0].opts.delay ?? 0;
    expect(delayAt(1_000)).toBe(0); // the leading edge
    expect(delayAt(1_030)).toBe(1_000 + window - 1_030); // waits for the window's end
    expect(delayAt(1_050)).toBe(1_000 + window - 1_050); // joins that run
    expect(delayAt(1_000 + window + 20)).toBe(window - 20); // just after that run: the next window
    expect(delayAt(10_000)).toBe(0); // quiet again
  });

  it('keeps planned runs of a coalescing type a window apart, never later than a window after an event (property)', () => {
    const window = JOB_ROUTES['availability.stale'].coalesceMs!;
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 * window }), { minLength: 1, maxLength: 60 }), (gaps) => {
        const lastRuns = new Map<string, number>();
        let now = 0;
        const runs = gaps.map((gap) => {
          now += gap;
          const runAt = now + (planRelayJobs([event('availability.stale')], now, lastRuns).jobs[0].opts.delay ?? 0);
          expect(runAt).toBeGreaterThanOrEqual(now);
          expect(runAt - now).toBeLessThanOrEqual(window);
          return runAt;
        });
        const distinct = [...new Set(runs)];
        distinct.slice(1).forEach((runAt, index) => expect(runAt - distinct[index]).toBeGreaterThanOrEqual(window));
        // The first event of a quiet spell leaves at once.
        expect(runs[0]).toBe(gaps[0]);
      }),
    );
  });

  it('sets aside events of a type it does not know', () => {
    const strange = event('no.such_event' as never);
    expect(planRelayJobs([strange], 0)).toEqual(expect.objectContaining({ jobs: [], unknown: [strange] }));
  });
});
