import { availableFunds, BalanceFigures, pairKey } from './balances';
import { FundsShortfall, HoldRequest } from './settlement-holds.types';

/** One hold to write: a line's units at one hop. */
export interface PlannedHold {
  channelOrderId: string;
  channelOrderLineId: string;
  hopIndex: number;
  sellerMerchantId: string;
  buyerMerchantId: string;
  currency: string;
  unitPriceAmount: string;
  quantity: number;
  /** Of `quantity`, the units held at the trial price. */
  trialUnits?: number;
  trialUnitPriceAmount?: string;
}

/** What a hold's units cost: its trial units at the trial price, the others at the unit price. */
export function holdAmount(hold: Pick<PlannedHold, 'unitPriceAmount' | 'quantity' | 'trialUnits' | 'trialUnitPriceAmount'>): bigint {
  const trial = BigInt(hold.trialUnits ?? 0);
  return trial * BigInt(hold.trialUnitPriceAmount ?? '0') + (BigInt(hold.quantity) - trial) * BigInt(hold.unitPriceAmount);
}

/**
 * Which orders fit, in the order given: an order is held whole when every buyer along it has the
 * funds at every hop (what earlier orders of the batch took counts), else it is left out with the
 * first hop short of funds. Pure: `balances` is not changed.
 */
export function planHolds(requests: HoldRequest[], balances: Map<string, BalanceFigures>): { holds: PlannedHold[]; shortfalls: Map<string, FundsShortfall> } {
  const taken = new Map<string, bigint>();
  const holds: PlannedHold[] = [];
  const shortfalls = new Map<string, FundsShortfall>();
  for (const request of requests) {
    const needed = new Map<string, { amount: bigint; hopIndex: number; pair: PlannedHold }>();
    const mine: PlannedHold[] = [];
    for (const line of request.lines) {
      for (const hop of line.hops) {
        const hold: PlannedHold = { channelOrderId: request.channelOrderId, channelOrderLineId: line.channelOrderLineId, quantity: line.quantity, ...hop };
        mine.push(hold);
        const key = pairKey(hold);
        const sum = needed.get(key);
        const amount = holdAmount(hold);
        needed.set(key, { amount: (sum?.amount ?? 0n) + amount, hopIndex: Math.min(sum?.hopIndex ?? hop.hopIndex, hop.hopIndex), pair: sum?.pair ?? hold });
      }
    }
    const short = [...needed.entries()]
      .sort((a, b) => a[1].hopIndex - b[1].hopIndex)
      .map(([key, need]) => {
        const balance = balances.get(key);
        const free = balance ? availableFunds(balance) : null;
        const left = free === null ? null : free - (taken.get(key) ?? 0n);
        return { need, left };
      })
      .find(({ need, left }) => left !== null && need.amount > left);
    if (short) {
      const { need, left } = short;
      // A buyer already beyond its funds (it owes more than it paid in) must top up that debt as
      // well: the shortfall is what makes the order fit, not only the order's own amount.
      shortfalls.set(request.channelOrderId, {
        channelOrderId: request.channelOrderId,
        sellerMerchantId: need.pair.sellerMerchantId,
        buyerMerchantId: need.pair.buyerMerchantId,
        currency: need.pair.currency,
        requiredAmount: need.amount.toString(),
        availableAmount: (left! < 0n ? 0n : left!).toString(),
        // What a top-up (or more credit) must bring for the order to fit: an overdrawn balance's debt too.
        shortfallAmount: (need.amount - left!).toString(),
      });
      continue;
    }
    for (const [key, need] of needed) taken.set(key, (taken.get(key) ?? 0n) + need.amount);
    holds.push(...mine);
  }
  return { holds, shortfalls };
}
