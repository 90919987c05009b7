import { formatMoney } from '@gongxiao/core';
import { INSUFFICIENT_FUNDS } from '@gongxiao/orders';
import type { FundsShortfall, HoldRequest } from '@gongxiao/settlement';
import { customizationExtraOf, PlannedOrder, RoutingException } from './routing.types';
import { hopTrialOf } from './trial-units';

/**
 * What settlement must hold for each planned order: every bought line's planned units (a line split
 * over several warehouses counts once, with all its units) at every hop's frozen price, its trial
 * units at the hop's trial price. Own goods have no hops and need no hold; an order of own goods
 * only asks for nothing.
 */
export function holdRequestsOf(planned: PlannedOrder[]): HoldRequest[] {
  const requests: HoldRequest[] = [];
  for (const item of planned) {
    const unitsOf = new Map<string, number>();
    const trialOf = new Map<string, { units: number; priceAmount: number }>();
    for (const allocation of item.plans.flatMap((plan) => plan.allocations)) {
      unitsOf.set(allocation.lineId, (unitsOf.get(allocation.lineId) ?? 0) + allocation.quantity);
      for (const [hopIndex] of item.lines.find((line) => line.line.id === allocation.lineId)?.hops.entries() ?? []) {
        const trial = hopTrialOf(item.trials, allocation, hopIndex);
        if (!trial) continue;
        const key = `${allocation.lineId}:${hopIndex}`;
        trialOf.set(key, { units: (trialOf.get(key)?.units ?? 0) + trial.units, priceAmount: trial.priceAmount });
      }
    }
    const lines = item.lines
      .filter((line) => line.hops.length > 0 && (unitsOf.get(line.line.id) ?? 0) > 0)
      .map((line) => ({
        channelOrderLineId: line.line.id,
        quantity: unitsOf.get(line.line.id)!,
        hops: line.hops.map((hop, hopIndex) => {
          const trial = trialOf.get(`${line.line.id}:${hopIndex}`);
          return {
            hopIndex,
            sellerMerchantId: hop.sellerMerchantId,
            buyerMerchantId: hop.buyerMerchantId,
            // The customization extra is part of every hop's unit price, trial units' too (frozen alike at routing).
            unitPriceAmount: String(hop.priceAmount + customizationExtraOf(line)),
            currency: hop.currency,
            ...(trial ? { trialUnits: trial.units, trialUnitPriceAmount: String(trial.priceAmount + customizationExtraOf(line)) } : {}),
          };
        }),
      }));
    if (lines.length > 0) requests.push({ channelOrderId: item.order.id, lines });
  }
  return requests;
}

/**
 * An order a buyer lacks funds for, held with what a person needs and the pair a top-up retries.
 * The order's owner sees the figures only when it is the buyer short of funds: a hop further up is
 * another pair's money (and price), so then it learns only that someone upstream must settle it.
 */
export function fundsException(shortfall: FundsShortfall, orderMerchantId: string): RoutingException {
  const detail = { sellerMerchantId: shortfall.sellerMerchantId, buyerMerchantId: shortfall.buyerMerchantId, currency: shortfall.currency, requiredAmount: shortfall.requiredAmount };
  if (shortfall.buyerMerchantId !== orderMerchantId) {
    return {
      ok: false,
      code: INSUFFICIENT_FUNDS,
      reason: "A merchant further up this order's chain lacks funds with its own supplier. Nothing is needed from you: the order is routed automatically once they top up or their credit is raised.",
      detail,
    };
  }
  const amount = (value: string | bigint) => formatMoney(value, shortfall.currency);
  // What the buyer owes beyond its funds already, which a top-up must cover before this order.
  const owed = BigInt(shortfall.shortfallAmount) - (BigInt(shortfall.requiredAmount) - BigInt(shortfall.availableAmount));
  return {
    ok: false,
    code: INSUFFICIENT_FUNDS,
    reason:
      `You lack funds with seller ${shortfall.sellerMerchantId}: this order needs ${amount(shortfall.requiredAmount)} ` +
      `and ${amount(shortfall.availableAmount)} is available${owed > 0n ? `, ${amount(owed)} already owed beyond it` : ''} (short ${amount(shortfall.shortfallAmount)}). ` +
      'Top up with that seller or ask it to raise your credit limit; the order is routed again automatically.',
    detail,
  };
}
