import { isId, normalizeTrackingNumber, resolveCarrier, SheetLanguageCode, trackingNumberProblemText } from '@gongxiao/core';
import { REASONS, rowReference } from './bulk-shipment-reasons';
import { BulkShipmentRow, PlanLine, PlanState } from './bulk-shipment.types';

type Text = Record<SheetLanguageCode, string>;

/** A row's verdict while a plan is made: reasons in both languages until the plan is rendered. */
export type Verdict = { status: 'apply' } | { status: 'unchanged'; shipmentId: string } | { status: 'rejected'; reason: Text };

/** What a row ships: the rest of the order, of the lines of one SKU, or of one line. */
export type RowTarget = { kind: 'order' } | { kind: 'sku'; skuCode: string; lines: PlanLine[] } | { kind: 'line'; skuCode: string; lines: [PlanLine] };

/**
 * One row after its own checks. `key` (order + carrier + tracking number) is set as soon as those
 * three are valid, also when the row is refused for its SKU or quantity: the row's parcel is then refused whole.
 */
export interface CheckedRow {
  index: number;
  reference: Text;
  key: string | null;
  orderId: string;
  carrierCode: string;
  trackingNumber: string;
  target: RowTarget;
  quantity: number | null;
  problem: Text | null;
}

/** A field as typed, NFKC-folded and trimmed (printable ASCII, most of a sheet, is already both unless it has spaces at its ends). */
const text = (value: unknown) => {
  if (value === undefined || value === null) return '';
  const written = String(value);
  return /^[\x21-\x7e]*$/.test(written) ? written : written.normalize('NFKC').trim();
};

function quantityOf(raw: BulkShipmentRow['quantity']): { quantity: number | null; problem: Text | null } {
  const written = text(raw);
  if (written === '') return { quantity: null, problem: null };
  const quantity = Number(written);
  if (!/^\d+(\.0*)?$/.test(written) || !Number.isSafeInteger(quantity) || quantity < 1) return { quantity: null, problem: REASONS.quantityInvalid(written) };
  return { quantity, problem: null };
}

function targetOf(row: BulkShipmentRow, orderId: string, lines: PlanLine[]): { target: RowTarget; problem: Text | null } {
  const lineId = text(row.lineId);
  const skuCode = text(row.skuCode);
  if (lineId !== '') {
    const line = lines.find((candidate) => candidate.id === lineId);
    if (!line) return { target: { kind: 'order' }, problem: REASONS.lineNotInOrder(lineId, orderId) };
    if (skuCode !== '' && skuCode.toUpperCase() !== line.skuCode.toUpperCase()) return { target: { kind: 'order' }, problem: REASONS.skuNotInOrder(skuCode, orderId) };
    return { target: { kind: 'line', skuCode: line.skuCode, lines: [line] }, problem: null };
  }
  if (skuCode === '') return { target: { kind: 'order' }, problem: null };
  // SKU codes compare as people type them: case does not matter.
  const wanted = skuCode.toUpperCase();
  const ofSku = lines.filter((line) => line.skuCode.toUpperCase() === wanted);
  if (ofSku.length === 0) return { target: { kind: 'order' }, problem: REASONS.skuNotInOrder(skuCode, orderId) };
  return { target: { kind: 'sku', skuCode: ofSku[0].skuCode, lines: ofSku }, problem: null };
}

/** The row's own checks, in the order a person fixes them: the order, the carrier, the tracking number, then what it ships. */
export function checkRow(row: BulkShipmentRow, index: number, state: PlanState, referenceIndex = index): CheckedRow {
  const orderId = text(row.fulfillmentOrderId);
  const carrierText = text(row.carrier);
  const carrier = carrierText === '' ? null : resolveCarrier(carrierText);
  const trackingNumber = normalizeTrackingNumber(text(row.trackingNumber));
  // One object per row, filled in as the checks pass (a sheet of 100,000 rows is checked twice: before and under lock).
  const checked: CheckedRow = {
    index,
    reference: rowReference(row.rowNumber, referenceIndex),
    key: null,
    orderId,
    carrierCode: carrier?.code ?? carrierText,
    trackingNumber,
    target: { kind: 'order' },
    quantity: null,
    problem: null,
  };
  const refused = (problem: Text) => {
    checked.problem = problem;
    return checked;
  };
  const order = isId(orderId) ? state.orders.get(orderId) : undefined;
  if (!order) return refused(REASONS.orderNotFound(orderId));
  if (order.status === 'cancelled') return refused(REASONS.orderCancelled());
  if (order.status === 'pending_merge') return refused(REASONS.orderPendingMerge());
  if (order.status === 'awaiting_production') return refused(REASONS.orderAwaitingProduction());
  if (!carrier) return refused(carrierText === '' ? REASONS.carrierMissing() : REASONS.carrierUnknown(carrierText));
  if (trackingNumber === '') return refused(REASONS.trackingMissing());
  const implausible = trackingNumberProblemText(carrier.code, trackingNumber, 'zh-CN');
  if (implausible) return refused({ 'zh-CN': implausible, en: trackingNumberProblemText(carrier.code, trackingNumber, 'en')! });
  checked.key = `${orderId}|${carrier.code}|${trackingNumber}`;
  const { quantity, problem } = quantityOf(row.quantity);
  if (problem) return refused(problem);
  const target = targetOf(row, orderId, state.lines.get(orderId) ?? []);
  checked.quantity = quantity;
  checked.target = target.target;
  checked.problem = target.problem;
  return checked;
}
