import fc from 'fast-check';
import { availableFunds, BalanceFigures, pairKey } from './balances';
import { planHolds } from './hold-plan';
import { HoldRequest } from './settlement-holds.types';

const MERCHANTS = ['1', '2', '3', '4', '5'];

const balanceArb = (unlimited: boolean): fc.Arbitrary<Omit<BalanceFigures, 'id' | 'sellerMerchantId' | 'buyerMerchantId' | 'currency'>> =>
  unlimited
    ? fc.record({ terms: fc.constant('on_account' as const), creditLimit: fc.constant(0n), paid: fc.bigInt(0n, 10_000n), charged: fc.bigInt(0n, 50_000n), held: fc.bigInt(0n, 50_000n) })
    : fc.record({
        terms: fc.constantFrom('on_account' as const, 'prepaid' as const),
        creditLimit: fc.constantFrom(0n, 1_000n, 5_000n, 20_000n),
        paid: fc.bigInt(0n, 20_000n),
        charged: fc.bigInt(0n, 20_000n),
        held: fc.bigInt(0n, 10_000n),
      });

/** Orders along chains of distinct merchants (hop k: chain[k + 1] sells to chain[k]). */
const requestsArb: fc.Arbitrary<HoldRequest[]> = fc
  .array(
    fc.record({
      chain: fc.uniqueArray(fc.constantFrom(...MERCHANTS), { minLength: 2, maxLength: 5 }),
      lines: fc.array(fc.record({ quantity: fc.integer({ min: 1, max: 5 }), prices: fc.array(fc.integer({ min: 0, max: 3_000 }), { minLength: 4, maxLength: 4 }) }), { minLength: 1, maxLength: 3 }),
    }),
    { minLength: 1, maxLength: 8 },
  )
  .map((orders) =>
    orders.map((order, orderIndex) => ({
      channelOrderId: `order-${orderIndex}`,
      lines: order.lines.map((line, lineIndex) => ({
        channelOrderLineId: `${orderIndex}-${lineIndex}`,
        quantity: line.quantity,
        hops: order.chain.slice(1).map((seller, hopIndex) => ({
          hopIndex,
          sellerMerchantId: seller,
          buyerMerchantId: order.chain[hopIndex],
          unitPriceAmount: String(line.prices[hopIndex]),
          currency: 'CNY',
        })),
      })),
    })),
  );

function balancesOf(figures: ReturnType<typeof balanceArb> extends fc.Arbitrary<infer T> ? T[] : never): Map<string, BalanceFigures> {
  const balances = new Map<string, BalanceFigures>();
  let index = 0;
  for (const seller of MERCHANTS) {
    for (const buyer of MERCHANTS) {
      if (seller === buyer) continue;
      const balance: BalanceFigures = { id: String(index), sellerMerchantId: seller, buyerMerchantId: buyer, currency: 'CNY', ...figures[index++] };
      balances.set(pairKey(balance), balance);
    }
  }
  return balances;
}

/** What each order needs per pair, in the order of its first hop there. */
function needsOf(request: HoldRequest): { key: string; hopIndex: number; amount: bigint }[] {
  const needs = new Map<string, { key: string; hopIndex: number; amount: bigint }>();
  for (const line of request.lines) {
    for (const hop of line.hops) {
      const key = pairKey(hop);
      const need = needs.get(key) ?? { key, hopIndex: hop.hopIndex, amount: 0n };
      need.amount += BigInt(hop.unitPriceAmount) * BigInt(line.quantity);
      need.hopIndex = Math.min(need.hopIndex, hop.hopIndex);
      needs.set(key, need);
    }
  }
  return [...needs.values()].sort((a, b) => a.hopIndex - b.hopIndex);
}

const figuresArb = (unlimited: boolean) => fc.array(balanceArb(unlimited), { minLength: 20, maxLength: 20 });

describe('planHolds', () => {
  it('holds an order whole or not at all, in batch order, never beyond what each pair has, and names the first hop short by the right amount', () => {
    fc.assert(
      fc.property(requestsArb, figuresArb(false), (requests, figures) => {
        const balances = balancesOf(figures);
        const before = JSON.stringify([...balances.values()], (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
        const { holds, shortfalls } = planHolds(requests, balances);
        const taken = new Map<string, bigint>();
        for (const request of requests) {
          const mine = holds.filter((hold) => hold.channelOrderId === request.channelOrderId);
          const wanted = request.lines.flatMap((line) => line.hops.map((hop) => `${line.channelOrderLineId}:${hop.hopIndex}:${line.quantity}:${hop.unitPriceAmount}`));
          const needs = needsOf(request);
          const left = (key: string) => {
            const free = availableFunds(balances.get(key)!);
            return free === null ? null : free - (taken.get(key) ?? 0n);
          };
          const short = needs.find((need) => {
            const room = left(need.key);
            return room !== null && need.amount > room;
          });
          if (short) {
            // Not at all, with the first hop short of funds and what it lacks.
            expect(mine).toEqual([]);
            const room = left(short.key)!;
            const available = room < 0n ? 0n : room;
            const balance = balances.get(short.key)!;
            expect(shortfalls.get(request.channelOrderId)).toEqual({
              channelOrderId: request.channelOrderId,
              sellerMerchantId: balance.sellerMerchantId,
              buyerMerchantId: balance.buyerMerchantId,
              currency: 'CNY',
              requiredAmount: short.amount.toString(),
              availableAmount: available.toString(),
              // What a top-up must bring for the order to fit: an overdrawn balance's debt counts too.
              shortfallAmount: (short.amount - room).toString(),
            });
            expect(short.amount - room).toBeGreaterThan(0n);
          } else {
            // Whole: every line at every hop, at its price and quantity.
            expect(shortfalls.has(request.channelOrderId)).toBe(false);
            expect(mine.map((hold) => `${hold.channelOrderLineId}:${hold.hopIndex}:${hold.quantity}:${hold.unitPriceAmount}`).sort()).toEqual(wanted.sort());
            for (const need of needs) taken.set(need.key, (taken.get(need.key) ?? 0n) + need.amount);
          }
        }
        // Never beyond what a pair has: the holds of the batch fit in its available funds.
        for (const [key, amount] of taken) {
          const free = availableFunds(balances.get(key)!);
          if (free !== null) expect(amount).toBeLessThanOrEqual(free < 0n ? 0n : free);
        }
        const held = new Map<string, bigint>();
        for (const hold of holds) held.set(pairKey(hold), (held.get(pairKey(hold)) ?? 0n) + BigInt(hold.unitPriceAmount) * BigInt(hold.quantity));
        expect(Object.fromEntries(held)).toEqual(Object.fromEntries(taken));
        // Pure: the balances it was given are as they were.
        expect(JSON.stringify([...balances.values()], (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))).toBe(before);
      }),
      { numRuns: 500 },
    );
  });

  it('names a shortfall that a top-up of that amount covers, when the buyer is already overdrawn', () => {
    const overdrawn = (paid: bigint) =>
      new Map([
        [
          pairKey({ sellerMerchantId: '2', buyerMerchantId: '1', currency: 'CNY' }),
          { id: '1', sellerMerchantId: '2', buyerMerchantId: '1', currency: 'CNY', terms: 'prepaid' as const, creditLimit: 0n, paid, charged: 500n, held: 0n },
        ],
      ]);
    const order: HoldRequest = {
      channelOrderId: '9',
      lines: [{ channelOrderLineId: '9', quantity: 2, hops: [{ hopIndex: 0, sellerMerchantId: '2', buyerMerchantId: '1', unitPriceAmount: '500', currency: 'CNY' }] }],
    };
    const { shortfalls } = planHolds([order], overdrawn(0n));
    expect(shortfalls.get('9')).toMatchObject({ requiredAmount: '1000', availableAmount: '0', shortfallAmount: '1500' });
    expect(planHolds([order], overdrawn(1500n)).shortfalls.size).toBe(0);
  });

  it('always holds everything on unlimited credit', () => {
    fc.assert(
      fc.property(requestsArb, figuresArb(true), (requests, figures) => {
        const { holds, shortfalls } = planHolds(requests, balancesOf(figures));
        expect(shortfalls.size).toBe(0);
        expect(holds.length).toBe(requests.reduce((sum, request) => sum + request.lines.reduce((lines, line) => lines + line.hops.length, 0), 0));
      }),
      { numRuns: 200 },
    );
  });
});
