import { JobsOptions } from 'bullmq';
import { ClaimedOutboxEvent, JOB_ROUTES, jobIdForEvent, JobRoute, OutboxJobData, QueueName } from '@gongxiao/core';
import type { RunStats } from './job-registry';

export interface RelayJob {
  queue: QueueName;
  name: string;
  data: OutboxJobData;
  opts: JobsOptions;
}

export interface RelayPlan {
  jobs: RelayJob[];
  /** Job ids of redelivered events (their job may still exist, finished: the relay removes it first). */
  redeliveredJobIds: Set<string>;
  /** Events of new groups and the job each goes to, to be recorded before the jobs are added. */
  newGroupMembers: { eventId: string; jobId: string }[];
  /** Events of a type the catalog does not know. */
  unknown: ClaimedOutboxEvent[];
}

/**
 * Which job each claimed event goes to (pure). A redelivered event goes to the job it went to
 * before (its group's, or its own `evt-<id>`), so a redelivery is a no-op while that job exists.
 * A type with a `group` is handed out up to `group` events per job, in id order; any other type
 * gets one job per event. Delays: an event carrying a `releaseAt` waits until then. A coalescing type
 * runs at once after a quiet spell (the leading edge), and at most once per `coalesceMs` under a burst:
 * an event arriving while a run is planned joins it, one arriving within `coalesceMs` of the last run
 * waits until that window ends (its handler then takes every pending event of the type). `lastRuns`
 * holds, per coalescing type, when the relay last planned a run; it is updated with the runs planned.
 * `runStats` says how the type's runs go in this process: an event arriving while one runs is part of a
 * burst, and waits for a window twice as long as the run, up to the type's `maxCoalesceMs`, so that runs
 * slower than `coalesceMs` do not follow each other back to back (see coalesceWindow).
 */
export function planRelayJobs(events: ClaimedOutboxEvent[], now: number, lastRuns: Map<string, number> = new Map(), runStats: ReadonlyMap<string, RunStats> = new Map()): RelayPlan {
  const groups: ClaimedOutboxEvent[][] = [];
  const open = new Map<string, ClaimedOutboxEvent[]>();
  const redelivered = new Map<string, ClaimedOutboxEvent[]>();
  const unknown: ClaimedOutboxEvent[] = [];
  for (const event of events) {
    const route = JOB_ROUTES[event.type];
    if (!route) {
      unknown.push(event);
      continue;
    }
    if (event.job_id || event.enqueue_count > 1) {
      const jobId = event.job_id ?? jobIdForEvent(String(event.id));
      const again = redelivered.get(jobId);
      if (again) again.push(event);
      else groups.push(redelivered.set(jobId, [{ ...event, job_id: jobId }]).get(jobId)!);
      continue;
    }
    const current = open.get(event.type);
    if (route.group && current && current.length < route.group) {
      current.push(event);
      continue;
    }
    const group = [event];
    groups.push(group);
    if (route.group) open.set(event.type, group);
  }
  const jobIdOf = (group: ClaimedOutboxEvent[]) => group[0].job_id ?? jobIdForEvent(String(group[0].id), String(group[group.length - 1].id));
  return {
    jobs: groups.map((group) => toJob(group, jobIdOf(group), now, lastRuns, runStats)),
    redeliveredJobIds: new Set(redelivered.keys()),
    newGroupMembers: groups.filter((group) => group.length > 1 && !group[0].job_id).flatMap((group) => group.map((event) => ({ eventId: String(event.id), jobId: jobIdOf(group) }))),
    unknown,
  };
}

/** When a coalescing type's run for an event arriving `now` should start (see planRelayJobs). */
function coalescedRunAt(type: string, coalesceMs: number, now: number, lastRuns: Map<string, number>): number {
  const last = lastRuns.get(type);
  const runAt = last === undefined || now - last >= coalesceMs ? now : last >= now ? last : last + coalesceMs;
  lastRuns.set(type, runAt);
  return runAt;
}

/**
 * A coalescing type's window: its `coalesceMs`; while one of its runs is in flight (events keep coming
 * as it works: a burst), twice the run's duration (the last one's, or this one's so far, the longer),
 * so that a run is followed by a pause as long as itself, up to `maxCoalesceMs`. One change after
 * another, each after the last was done (no run in flight), keeps the short window.
 */
export function coalesceWindow(route: JobRoute, stats: RunStats | undefined): number {
  const base = route.coalesceMs ?? 0;
  if (stats?.runningForMs === undefined) return base;
  const duration = Math.max(stats.lastMs ?? 0, stats.runningForMs);
  return Math.max(base, Math.min(route.maxCoalesceMs ?? base, Math.round(2 * duration)));
}

function toJob(group: ClaimedOutboxEvent[], jobId: string, now: number, lastRuns: Map<string, number>, runStats: ReadonlyMap<string, RunStats>): RelayJob {
  const [first] = group;
  const route = JOB_ROUTES[first.type];
  const releaseAt = typeof first.payload.releaseAt === 'string' ? Date.parse(first.payload.releaseAt) : NaN;
  const coalescedDelay = route.coalesceMs ? coalescedRunAt(first.type, coalesceWindow(route, runStats.get(first.type)), now, lastRuns) - now : 0;
  const delay = Math.max(coalescedDelay, Number.isFinite(releaseAt) ? releaseAt - now : 0);
  return {
    queue: route.queue,
    name: first.type,
    data: {
      eventId: String(first.id),
      type: first.type,
      merchantId: first.merchant_id === null ? null : String(first.merchant_id),
      payload: first.payload as never,
      ...(group.length > 1 ? { more: group.slice(1).map((event) => ({ eventId: String(event.id), payload: event.payload as never })) } : {}),
    },
    opts: { jobId, attempts: route.attempts, backoff: { type: 'exponential', delay: route.backoffMs }, ...(delay > 0 ? { delay } : {}) },
  };
}
