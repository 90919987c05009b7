import { TrialAllowance, trialKey } from '@gongxiao/offers';
import type { RoutingAllocation } from './routing-strategy';
import type { PlannedOrder } from './routing.types';

/** Trial units of one hop of one fulfillment line (an allocation): the first `units` cost `priceAmount`. */
export interface HopTrial {
  hopIndex: number;
  units: number;
  priceAmount: number;
}

/** Trial units and price per "offer:buyer" left for the batch, taken down as its orders are planned. */
export type TrialFigures = Map<string, TrialAllowance>;

/** The key of an allocation's trial units: its channel order line and warehouse. */
export function allocationKey(allocation: Pick<RoutingAllocation, 'lineId' | 'warehouseId'>): string {
  return `${allocation.lineId}@${allocation.warehouseId}`;
}

/**
 * Gives a planned order's units their trial price, hop by hop: at each hop whose offer has a trial
 * running for its buyer with units left, the first units the buyer orders (line by line, each line's
 * warehouses in plan order) take the trial price until the units left run out; a line may straddle
 * the limit (3 left, 5 ordered: 3 at the trial price, 2 at the regular one). Hops are independent:
 * each counts its own buyer's units. Takes what it gives off `figures`, so that the next order of the
 * batch sees what is left. Returns the trial units by `allocationKey`, only where there are some.
 */
export function assignTrialUnits(item: PlannedOrder, figures: TrialFigures): Map<string, HopTrial[]> {
  const trials = new Map<string, HopTrial[]>();
  if (figures.size === 0) return trials;
  const allocations = item.plans.flatMap((plan) => plan.allocations);
  for (const line of item.lines) {
    line.hops.forEach((hop, hopIndex) => {
      const allowance = figures.get(trialKey(hop.offerId, hop.buyerMerchantId));
      // The regular price is read before the trial (a price change may commit in between): a trial is never dearer than the price frozen on the hop.
      if (!allowance || allowance.priceAmount >= hop.priceAmount) return;
      for (const allocation of allocations.filter((candidate) => candidate.lineId === line.line.id)) {
        const units = Math.min(allowance.unitsLeft, allocation.quantity);
        if (units <= 0) break;
        allowance.unitsLeft -= units;
        const key = allocationKey(allocation);
        trials.set(key, [...(trials.get(key) ?? []), { hopIndex, units, priceAmount: allowance.priceAmount }]);
      }
    });
  }
  return trials;
}

/** The trial units the planned orders took, per offer × buyer at its trial price: what routing asks offers to take. */
export function trialTakesOf(planned: PlannedOrder[]): { offerId: string; buyerMerchantId: string; units: number; priceAmount: number }[] {
  const takes: { offerId: string; buyerMerchantId: string; units: number; priceAmount: number }[] = [];
  for (const item of planned) {
    if (!item.trials || item.trials.size === 0) continue;
    const hopsOf = new Map(item.lines.map((line) => [line.line.id, line.hops]));
    for (const allocation of item.plans.flatMap((plan) => plan.allocations)) {
      for (const trial of item.trials.get(allocationKey(allocation)) ?? []) {
        const hop = hopsOf.get(allocation.lineId)![trial.hopIndex];
        takes.push({ offerId: hop.offerId, buyerMerchantId: hop.buyerMerchantId, units: trial.units, priceAmount: trial.priceAmount });
      }
    }
  }
  return takes;
}

/** A hop's trial units of an allocation (none: 0 at the regular price). */
export function hopTrialOf(trials: Map<string, HopTrial[]> | undefined, allocation: RoutingAllocation, hopIndex: number): HopTrial | undefined {
  return trials?.get(allocationKey(allocation))?.find((trial) => trial.hopIndex === hopIndex);
}
