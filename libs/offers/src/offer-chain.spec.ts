import { ChainHop, findChainProblem } from './offer-chain';

// Supplier A (origin) → broker B → broker C → distributor D (the shop's merchant). Hop 0 is nearest the shop.
const hop = (overrides: Partial<ChainHop> & Pick<ChainHop, 'offerId' | 'sellerMerchantId' | 'buyerMerchantId'>): ChainHop => ({
  offeredToMerchantId: null,
  priceAmount: 5000,
  shippingFeeAmount: 0,
  currency: 'CNY',
  status: 'active',
  originMerchantId: 'A',
  originSkuId: 'sku-1',
  returnWindowDays: 7,
  shipWithinHours: 48,
  ...overrides,
});

const healthyChain = (): ChainHop[] => [
  hop({ offerId: 'o3', sellerMerchantId: 'C', buyerMerchantId: 'D', priceAmount: 6000, offeredToMerchantId: 'D' }),
  hop({ offerId: 'o2', sellerMerchantId: 'B', buyerMerchantId: 'C', priceAmount: 5500 }),
  hop({ offerId: 'o1', sellerMerchantId: 'A', buyerMerchantId: 'B', priceAmount: 5000, offeredToMerchantId: 'B' }),
];
const activePairs = () => new Set(['C:D', 'B:C', 'A:B']);

describe('findChainProblem', () => {
  it('finds nothing wrong with a healthy three-hop chain', () => {
    expect(findChainProblem(healthyChain(), activePairs())).toBeNull();
  });

  it('finds nothing wrong with a direct offer', () => {
    expect(findChainProblem([hop({ offerId: 'o1', sellerMerchantId: 'A', buyerMerchantId: 'B' })], new Set(['A:B']))).toBeNull();
  });

  it.each([0, 1, 2])('reports a withdrawn offer at hop %i', (index) => {
    const hops = healthyChain();
    hops[index].status = 'withdrawn';
    const problem = findChainProblem(hops, activePairs());
    expect(problem?.code).toBe('offer_withdrawn');
    // The distributor learns about its own supplier's offer, never who is further up.
    if (index === 0) expect(problem?.message).toContain(hops[0].offerId);
    else expect(problem?.message).toContain('further up');
    expect(problem?.message).not.toMatch(/merchant [AB]\b/);
  });

  it('reports a paused offer as withdrawn too (anything not active)', () => {
    const hops = healthyChain();
    hops[1].status = 'paused';
    expect(findChainProblem(hops, activePairs())?.code).toBe('offer_withdrawn');
  });

  it.each(['C:D', 'B:C', 'A:B'])('reports an inactive partnership %s', (pair) => {
    const pairs = activePairs();
    pairs.delete(pair);
    const [seller, buyer] = pair.split(':');
    const problem = findChainProblem(healthyChain(), pairs);
    expect(problem?.code).toBe('partnership_inactive');
    if (buyer === 'D') expect(problem?.message).toContain(`merchant ${seller}`);
    else expect(problem?.message).toBe('a partnership further up your supply chain is not active');
  });

  it('does not accept the partnership in the opposite direction', () => {
    const pairs = activePairs();
    pairs.delete('B:C');
    pairs.add('C:B');
    expect(findChainProblem(healthyChain(), pairs)?.code).toBe('partnership_inactive');
  });

  it('reports an offer named for another buyer', () => {
    const hops = healthyChain();
    hops[1].offeredToMerchantId = 'X';
    const problem = findChainProblem(hops, activePairs());
    expect(problem?.code).toBe('offer_not_for_buyer');
    expect(problem?.message).toContain('further up');
    expect(problem?.message).not.toContain('o2');
  });

  it('reports a seller that appears twice', () => {
    // D ← C ← B ← C: C sells twice.
    const hops = [
      hop({ offerId: 'o3', sellerMerchantId: 'C', buyerMerchantId: 'D' }),
      hop({ offerId: 'o2', sellerMerchantId: 'B', buyerMerchantId: 'C' }),
      hop({ offerId: 'o9', sellerMerchantId: 'C', buyerMerchantId: 'B' }),
    ];
    const problem = findChainProblem(hops, new Set(['C:D', 'B:C', 'C:B']));
    expect(problem?.code).toBe('offer_chain_cycle');
    expect(problem?.message).toContain('o3');
    expect(problem?.message).not.toContain('merchant C');
  });

  it('reports a seller that is the first buyer', () => {
    // D ← C ← D: the shop's own merchant sells upstream of itself.
    const hops = [hop({ offerId: 'o3', sellerMerchantId: 'C', buyerMerchantId: 'D' }), hop({ offerId: 'o7', sellerMerchantId: 'D', buyerMerchantId: 'C' })];
    expect(findChainProblem(hops, new Set(['C:D', 'D:C']))?.code).toBe('offer_chain_cycle');
  });

  it('reports a merchant selling to itself', () => {
    const hops = [hop({ offerId: 'o1', sellerMerchantId: 'D', buyerMerchantId: 'D' })];
    expect(findChainProblem(hops, new Set(['D:D']))?.code).toBe('offer_chain_cycle');
  });

  it('reports the problem nearest the shop first', () => {
    const hops = healthyChain();
    hops[0].offeredToMerchantId = 'X';
    hops[2].status = 'withdrawn';
    expect(findChainProblem(hops, activePairs())?.code).toBe('offer_not_for_buyer');
  });

  it('refuses a hop priced in another currency than its partnership settles in, naming only the buyer’s own supplier', () => {
    const currencies = new Map([
      ['C:D', 'CNY'],
      ['B:C', 'CNY'],
      ['A:B', 'CNY'],
    ]);
    expect(findChainProblem(healthyChain(), activePairs(), currencies)).toBeNull();
    const nearest = findChainProblem(healthyChain(), activePairs(), new Map([...currencies, ['C:D', 'USD']]));
    expect(nearest).toEqual({ code: 'currency_mismatch', message: "your supplier's offer o3 is priced in CNY, but your partnership with it settles in USD" });
    const further = findChainProblem(healthyChain(), activePairs(), new Map([...currencies, ['A:B', 'USD']]));
    expect(further?.code).toBe('currency_mismatch');
    expect(further?.message).not.toMatch(/o1|A|B/);
  });
});
