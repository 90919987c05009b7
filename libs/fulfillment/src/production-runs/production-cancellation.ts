import { EntityManager } from '@mikro-orm/postgresql';
import { ConflictError, sqlRows } from '@gongxiao/core';
import type { CancellationPlan, PlanChannelLine } from '../cancellation/cancellation-plan';
import type { LockedFulfillmentOrder } from '../order-locks';

/**
 * Cancelling made-to-order units is free while their run is open. Once it has closed the supplier
 * has planned (or started) their production: the cancellation is refused, naming the lines, and
 * nothing changes. A run the supplier cancelled (below its minimum batch) lets its orders go.
 */
export async function assertProductionNotStarted(em: EntityManager, fulfillmentOrders: LockedFulfillmentOrder[], plan: CancellationPlan, channelLines: PlanChannelLine[]): Promise<void> {
  const runOf = new Map(fulfillmentOrders.filter((order) => order.production_run_id).map((order) => [order.id, order.production_run_id!]));
  const touched = plan.cancelled.filter((units) => runOf.has(units.fulfillmentOrderId));
  if (touched.length === 0) return;
  const runs = await sqlRows<{ id: string; status: string; cutoff_at: Date }>(em, `select id::text, status, cutoff_at from production_run where id = any(?::bigint[])`, [
    [...new Set(touched.map((units) => runOf.get(units.fulfillmentOrderId)!))],
  ]);
  const started = new Map(runs.filter((run) => run.status === 'closed' || run.status === 'confirmed').map((run) => [run.id, run]));
  const refused = touched.filter((units) => started.has(runOf.get(units.fulfillmentOrderId)!));
  if (refused.length === 0) return;
  const lineNoOf = new Map(channelLines.map((line) => [String(line.id), line.line_no]));
  const lineNos = [...new Set(refused.map((units) => lineNoOf.get(units.channelOrderLineId)!))].sort((a, b) => a - b);
  const cutoff = new Date(started.get(runOf.get(refused[0].fulfillmentOrderId)!)!.cutoff_at).toISOString();
  throw new ConflictError(
    'production_started',
    `Line ${lineNos.join(', ')}: made to order, and its production run closed at ${cutoff}; it can no longer be cancelled. ` +
      'Cancel the other lines on their own, or open a return once the goods are delivered; the supplier can still cancel a run below its minimum batch.',
    lineNos.map((lineNo) => ({ field: 'lines', reason: `line ${lineNo} is in production` })),
  );
}
