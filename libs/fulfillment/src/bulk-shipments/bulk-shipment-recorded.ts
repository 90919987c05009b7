import { REASONS } from './bulk-shipment-reasons';
import { CheckedRow, Verdict } from './bulk-shipment-rows';
import { PlanLine, PlanShipment } from './bulk-shipment.types';

const skuKey = (code: string) => code.toUpperCase();
const open = (line: PlanLine) => line.quantity - line.shipped - line.cancelled;

/**
 * The parcel (order + carrier + tracking number) is recorded already: the rows are "unchanged" when
 * they say what was recorded (per SKU: the same units; a row without quantity, or without SKU: the
 * parcel has it and nothing of it is left to ship), else every row is refused showing both contents.
 */
export function compareWithRecorded(group: CheckedRow[], verdicts: (Verdict | undefined)[], recorded: PlanShipment, orderLines: PlanLine[]): void {
  const lineById = new Map(orderLines.map((line) => [line.id, line]));
  const recordedBySku = new Map<string, { skuCode: string; quantity: number }>();
  for (const item of recorded.lines) {
    const skuCode = lineById.get(item.lineId)?.skuCode ?? item.lineId;
    const entry = recordedBySku.get(skuKey(skuCode)) ?? { skuCode, quantity: 0 };
    entry.quantity += item.quantity;
    recordedBySku.set(skuKey(skuCode), entry);
  }
  const requested = new Map<string, { skuCode: string; quantity: number | null }>();
  let same = true;
  for (const row of group) {
    if (row.target.kind === 'order') {
      same &&= group.length === 1 && orderLines.every((line) => open(line) === 0);
      continue;
    }
    const key = skuKey(row.target.skuCode);
    const entry = requested.get(key) ?? { skuCode: row.target.skuCode, quantity: 0 };
    if (row.quantity === null || entry.quantity === null) {
      entry.quantity = null;
      same &&= recordedBySku.has(key) && row.target.lines.every((line) => open(line) === 0);
    } else entry.quantity += row.quantity;
    requested.set(key, entry);
  }
  if (group.every((row) => row.target.kind !== 'order')) {
    same &&= requested.size === recordedBySku.size && [...requested].every(([key, entry]) => entry.quantity === null || recordedBySku.get(key)?.quantity === entry.quantity);
  }
  const explicit = [...requested.values()].every((entry) => entry.quantity !== null) && group.every((row) => row.target.kind !== 'order');
  for (const row of group) {
    verdicts[row.index] = same
      ? { status: 'unchanged', shipmentId: recorded.id }
      : {
          status: 'rejected',
          reason: REASONS.recordedDifferently(
            recorded.trackingNumber,
            [...recordedBySku.values()],
            explicit ? [...requested.values()].map((entry) => ({ skuCode: entry.skuCode, quantity: entry.quantity ?? 0 })) : null,
          ),
        };
  }
}
