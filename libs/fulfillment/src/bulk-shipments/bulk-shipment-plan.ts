import { SheetLanguageCode } from '@gongxiao/core';
import { REASONS } from './bulk-shipment-reasons';
import { CheckedRow, checkRow, Verdict } from './bulk-shipment-rows';
import { compareWithRecorded } from './bulk-shipment-recorded';
import { BulkPlan, BulkShipmentRow, PlanLine, PlannedParcel, PlanShipment, PlanState } from './bulk-shipment.types';

type Text = Record<SheetLanguageCode, string>;
type Verdicts = (Verdict | undefined)[];

const open = (line: PlanLine) => line.quantity - line.shipped - line.cancelled;
const skuKey = (code: string) => code.toUpperCase();

/**
 * Validates every row of a bulk shipment against the orders as they are (pure: the caller reads the
 * state, and reads it again under lock before applying), and plans the parcels to record. Each
 * problem is attached to its row; a parcel with any refused row is refused whole (its other rows say
 * why); a parcel already recorded with the same contents is "unchanged"; quantities are checked
 * against what is left to ship after the earlier rows of the same upload.
 */
export function planBulkShipments(input: BulkShipmentRow[], state: PlanState, language: SheetLanguageCode, referenceIndexes?: number[]): BulkPlan {
  const checked = input.map((row, index) => checkRow(row, index, state, referenceIndexes?.[index] ?? index));
  const verdicts: Verdicts = checked.map((row) => (row.problem ? { status: 'rejected', reason: row.problem } : undefined));
  rejectTrackingOfOtherOrders(checked, verdicts, state);
  const remaining = new Map<string, number>();
  for (const lines of state.lines.values()) for (const line of lines) remaining.set(line.id, open(line));
  const groups = new Map<string, CheckedRow[]>();
  for (const row of checked) if (row.key !== null) groups.set(row.key, [...(groups.get(row.key) ?? []), row]);
  const parcels: PlannedParcel[] = [];
  for (const group of groups.values()) {
    const parcel = planParcel(group, verdicts, state, remaining);
    if (parcel) parcels.push(parcel);
  }
  return {
    rows: verdicts.map((verdict) =>
      verdict === undefined || verdict.status === 'apply' ? { status: 'apply' } : verdict.status === 'unchanged' ? verdict : { status: 'rejected', reason: verdict.reason[language] },
    ),
    parcels,
  };
}

/**
 * A tracking number is one parcel: the order that has it recorded owns it, else the first row that
 * names it; rows of another order with the same number are refused (naming the owner).
 */
function rejectTrackingOfOtherOrders(checked: CheckedRow[], verdicts: Verdicts, state: PlanState): void {
  const recorded = new Map<string, string[]>();
  for (const shipment of state.shipments) recorded.set(shipment.trackingNumber, [...(recorded.get(shipment.trackingNumber) ?? []), shipment.orderId]);
  const owners = new Map<string, { orderId: string; where: Text | null }>();
  for (const row of checked) {
    if (row.key === null) continue;
    const ownRecord = recorded.get(row.trackingNumber)?.includes(row.orderId) ?? false;
    const owner = owners.get(row.trackingNumber) ?? (recorded.has(row.trackingNumber) ? { orderId: recorded.get(row.trackingNumber)![0], where: null } : undefined);
    if (!owner || ownRecord) {
      if (!owners.has(row.trackingNumber)) owners.set(row.trackingNumber, { orderId: row.orderId, where: row.reference });
      continue;
    }
    if (owner.orderId !== row.orderId && verdicts[row.index] === undefined) {
      verdicts[row.index] = { status: 'rejected', reason: REASONS.trackingOfOtherOrder(row.trackingNumber, owner.orderId, owner.where) };
    }
  }
}

const parcelKey = (orderId: string, carrierCode: string, trackingNumber: string) => `${orderId}\u0000${carrierCode}\u0000${trackingNumber}`;
const RECORDED = new WeakMap<PlanShipment[], Map<string, PlanShipment>>();

/** The parcels recorded already, by order + carrier + tracking number (built once per state: a re-uploaded sheet of 100,000 rows looks each one up). */
function recordedParcels(state: PlanState): Map<string, PlanShipment> {
  // Keyed by the list itself: a state read again gets a new list, and a new index.
  let byKey = RECORDED.get(state.shipments);
  if (!byKey) {
    byKey = new Map(state.shipments.map((shipment) => [parcelKey(shipment.orderId, shipment.carrierCode, shipment.trackingNumber), shipment]));
    RECORDED.set(state.shipments, byKey);
  }
  return byKey;
}

/** One parcel's rows: their structure, then recorded already (unchanged or conflicting), else its units. */
function planParcel(group: CheckedRow[], verdicts: Verdicts, state: PlanState, remaining: Map<string, number>): PlannedParcel | null {
  rejectMisshapenRows(group, verdicts);
  if (rejectWholeParcel(group, verdicts)) return null;
  const first = group[0];
  const recorded = recordedParcels(state).get(parcelKey(first.orderId, first.carrierCode, first.trackingNumber));
  if (recorded) {
    compareWithRecorded(group, verdicts, recorded, state.lines.get(first.orderId) ?? []);
    return null;
  }
  const tentative = new Map<string, number>();
  const units = new Map<string, number>();
  for (const row of group) {
    const problem = allocate(row, state.lines.get(first.orderId) ?? [], remaining, tentative, units);
    if (problem) verdicts[row.index] = { status: 'rejected', reason: problem };
  }
  if (rejectWholeParcel(group, verdicts)) return null;
  for (const [lineId, left] of tentative) remaining.set(lineId, left);
  for (const row of group) verdicts[row.index] = { status: 'apply' };
  return {
    orderId: first.orderId,
    carrierCode: first.carrierCode,
    trackingNumber: first.trackingNumber,
    rows: group.map((row) => row.index),
    lines: [...units].map(([lineId, quantity]) => ({ lineId, quantity })),
  };
}

/** A row without SKU beside rows with one, a quantity without SKU, and more rows of one SKU than the order has lines of it. */
function rejectMisshapenRows(group: CheckedRow[], verdicts: Verdicts): void {
  const seen = new Map<string, CheckedRow[]>();
  for (const row of group) {
    if (verdicts[row.index] !== undefined) continue;
    if (row.target.kind === 'order' && row.quantity !== null) {
      verdicts[row.index] = { status: 'rejected', reason: REASONS.quantityWithoutSku() };
      continue;
    }
    if (row.target.kind === 'order' && group.some((other) => other.target.kind !== 'order')) {
      verdicts[row.index] = { status: 'rejected', reason: REASONS.wholeOrderWithLines() };
      continue;
    }
    const key = row.target.kind === 'line' ? `line:${row.target.lines[0].id}` : row.target.kind === 'sku' ? `sku:${skuKey(row.target.skuCode)}` : 'order';
    const earlier = seen.get(key) ?? [];
    // Two lines of one SKU (a merged order) are two rows of the same parcel in the order sheet.
    const allowed = row.target.kind === 'sku' ? row.target.lines.length : 1;
    if (earlier.length >= allowed) verdicts[row.index] = { status: 'rejected', reason: REASONS.duplicate(earlier[0].reference) };
    else seen.set(key, [...earlier, row]);
  }
}

/** True when a row of the parcel is refused: its other rows are refused too, saying which row and why. */
function rejectWholeParcel(group: CheckedRow[], verdicts: Verdicts): boolean {
  const refused = group.find((row) => verdicts[row.index]?.status === 'rejected');
  if (!refused) return false;
  const reason = (verdicts[refused.index] as { reason: Text }).reason;
  for (const row of group) {
    if (verdicts[row.index]?.status !== 'rejected') verdicts[row.index] = { status: 'rejected', reason: REASONS.parcelRejected(refused.reference, reason) };
  }
  return true;
}

/** Takes the row's units from what is left of its lines (in line order); the reason when it cannot. */
function allocate(row: CheckedRow, orderLines: PlanLine[], remaining: Map<string, number>, tentative: Map<string, number>, units: Map<string, number>): Text | null {
  const lines = row.target.kind === 'order' ? orderLines : row.target.lines;
  const left = (line: PlanLine) => tentative.get(line.id) ?? remaining.get(line.id) ?? 0;
  const available = lines.reduce((sum, line) => sum + left(line), 0);
  if (row.target.kind === 'order' && available === 0) return REASONS.nothingLeft(row.orderId);
  const sku = row.target.kind === 'order' ? '' : row.target.skuCode;
  if (available === 0 && row.quantity === null) {
    const cancelled = lines.every((line) => line.shipped + line.cancelled >= line.quantity) && lines.some((line) => line.cancelled > 0);
    return cancelled
      ? REASONS.lineCancelled(sku)
      : REASONS.nothingLeftOfSku(
          sku,
          lines.reduce((sum, line) => sum + line.quantity, 0),
        );
  }
  if (row.quantity !== null && row.quantity > available) {
    if (available === 0 && lines.every((line) => line.shipped + line.cancelled >= line.quantity) && lines.some((line) => line.cancelled > 0)) return REASONS.lineCancelled(sku);
    const elsewhere = lines.reduce((sum, line) => sum + open(line) - left(line), 0);
    return REASONS.exceeds(
      sku,
      row.quantity,
      available,
      lines.reduce((sum, line) => sum + line.quantity, 0),
      elsewhere,
    );
  }
  let wanted = row.quantity ?? available;
  for (const line of lines) {
    const take = Math.min(wanted, left(line));
    if (take === 0) continue;
    tentative.set(line.id, left(line) - take);
    units.set(line.id, (units.get(line.id) ?? 0) + take);
    wanted -= take;
  }
  return null;
}
