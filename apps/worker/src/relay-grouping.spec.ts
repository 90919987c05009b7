import fc from 'fast-check';
import { ClaimedOutboxEvent, JOB_ROUTES, QueueName } from '@gongxiao/core';
import type { RunStats } from './job-registry';
import { coalesceWindow, planRelayJobs } from './relay-grouping';

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

  it('stretches the window while a run is in flight to twice its duration, up to the type’s cap; one change after another keeps the short window', () => {
    const route = JOB_ROUTES['availability.stale'];
    const lastRuns = new Map<string, number>();
    const stats = new Map<string, RunStats>();
    const delayAt = (now: number) => planRelayJobs([event('availability.stale')], now, lastRuns, stats).jobs[0].opts.delay ?? 0;
    expect(delayAt(1_000)).toBe(0);
    // That run took 300 ms and is done: a change 350 ms after it began leaves at once (the short window is over).
    stats.set('availability.stale', { lastMs: 300 });
    expect(delayAt(1_350)).toBe(0);
    // A change while the run that began at 1,350 is in flight (200 ms so far): it waits for 600 ms after that run began.
    stats.set('availability.stale', { lastMs: 300, runningForMs: 200 });
    expect(delayAt(1_550)).toBe(1_350 + 600 - 1_550);
    // A run of 5 s would stop everything for 10 s: the cap holds it.
    expect(coalesceWindow(route, { lastMs: 5_000, runningForMs: 10 })).toBe(route.maxCoalesceMs);
    expect(coalesceWindow(route, { lastMs: 10, runningForMs: 10 })).toBe(route.coalesceMs);
    expect(coalesceWindow(route, { lastMs: 5_000 })).toBe(route.coalesceMs);
    expect(coalesceWindow(route, undefined)).toBe(route.coalesceMs);
  });

  it('sets aside events of a type it does not know', () => {
    const strange = event('no.such_event' as never);
    expect(planRelayJobs([strange], 0)).toEqual(expect.objectContaining({ jobs: [], unknown: [strange] }));
  });
});
