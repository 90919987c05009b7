import type { DelistingMetric } from './delisting.dto';

/** What a rate is taken over, and how many distinct fulfillment orders that covers. */
export interface RateFigures {
  numerator: number;
  denominator: number;
  orderIds: string[];
}

/** A line of the window with what the other contexts know of it. */
export interface JudgedLine {
  lineId: string;
  fulfillmentOrderId: string;
  shippedUnits: number;
  due: boolean;
  late: boolean;
  /** Latest review: true bad, false good, undefined none. */
  bad?: boolean;
}

/**
 * A rule fires when its rate is STRICTLY greater than the threshold (basis points, integer arithmetic, so
 * 5 % of 100 units never fires on 5 returns through rounding) and the denominator covers at least
 * `minOrders` distinct fulfillment orders.
 */
export function fires(figures: RateFigures, rule: { thresholdBasisPoints: number; minOrders: number }): boolean {
  return figures.denominator > 0 && figures.orderIds.length >= rule.minOrders && figures.numerator * 10_000 > rule.thresholdBasisPoints * figures.denominator;
}

/**
 * The figures of one metric over one (rule, SKU)'s lines: return rate = returned units / shipped units (orders
 * that shipped some), bad-review rate = badly reviewed lines / reviewed lines (their orders), overdue share =
 * late orders / due orders.
 */
export function figuresOf(metric: DelistingMetric, lines: JudgedLine[], returnedUnits: number): RateFigures {
  if (metric === 'return_rate') {
    const shipped = lines.filter((line) => line.shippedUnits > 0);
    return { numerator: returnedUnits, denominator: shipped.reduce((sum, line) => sum + line.shippedUnits, 0), orderIds: distinctOrders(shipped) };
  }
  if (metric === 'bad_review_rate') {
    const reviewed = lines.filter((line) => line.bad !== undefined);
    return { numerator: reviewed.filter((line) => line.bad).length, denominator: reviewed.length, orderIds: distinctOrders(reviewed) };
  }
  const due = new Map<string, boolean>();
  for (const line of lines.filter((item) => item.due)) due.set(line.fulfillmentOrderId, line.late);
  return { numerator: [...due.values()].filter(Boolean).length, denominator: due.size, orderIds: [...due.keys()].sort(byId) };
}

/** Percent to two decimals. */
export function percentOf(figures: RateFigures): number {
  return figures.denominator === 0 ? 0 : Math.round((figures.numerator / figures.denominator) * 10_000) / 100;
}

const byId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0);
const distinctOrders = (lines: JudgedLine[]) => [...new Set(lines.map((line) => line.fulfillmentOrderId))].sort(byId);
