/**
 * Made to order (C2M) terms of an origin offer, as routing, availability and the offer views read
 * them. Pure: the figure listings show and the shape of the terms.
 */

/** What an MTO listing shows shops when the run has no maximum batch: plenty, not a count of stock. */
export const MADE_TO_ORDER_OPEN_FIGURE = 9999;

export interface MadeToOrderTerms {
  /** The origin offer the terms are declared on. */
  offerId: string;
  leadTimeDays: number;
  minBatchUnits: number;
  /** The most one run makes; null: no limit. */
  maxBatchUnits: number | null;
  /** ISO weekdays (1 Monday … 7 Sunday) on which a run closes, sorted. */
  cutoffWeekdays: number[];
  /** 'HH:MM' on the supplier's wall clock. */
  cutoffTime: string;
}

/**
 * The units a made-to-order listing may sell, before its chain's caps: one run's maximum batch (an
 * order beyond what the open run has room for goes to the next run), or a stated 9,999 without one.
 * There is no stock to count, so the figure does not move with every order.
 */
export function madeToOrderFigure(terms: Pick<MadeToOrderTerms, 'maxBatchUnits'>): number {
  return terms.maxBatchUnits ?? MADE_TO_ORDER_OPEN_FIGURE;
}
