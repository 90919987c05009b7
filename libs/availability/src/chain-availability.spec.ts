import fc from 'fast-check';
import { AllocationCap, AvailabilityHop, availableAlongChain, ChainOffer, chainOfListing } from './chain-availability';

const hop = (seller: string, buyer: string, open = true): AvailabilityHop => ({ sellerMerchantId: seller, buyerMerchantId: buyer, open });
const caps = (entries: Record<string, AllocationCap>) => (seller: string, buyer: string) => entries[`${seller}>${buyer}`];

describe('availableAlongChain', () => {
  it('is the origin figure when no hop caps it, and 0 for a negative origin figure', () => {
    expect(availableAlongChain(40, [hop('B', 'C'), hop('A', 'B')], caps({}))).toBe(40);
    expect(availableAlongChain(-3, [], caps({}))).toBe(0);
  });

  it('applies caps from the origin down: a percentage of what reaches the hop, then a fixed ceiling', () => {
    // A (origin, 100 units) → B: 50 %; B → C: at most 30 units.
    expect(availableAlongChain(100, [hop('B', 'C'), hop('A', 'B')], caps({ 'A>B': { kind: 'percent', value: 50 }, 'B>C': { kind: 'fixed', value: 30 } }))).toBe(30);
    // The other order of the same caps: 30 reach B, then half of them C (rounded down).
    expect(availableAlongChain(100, [hop('B', 'C'), hop('A', 'B')], caps({ 'A>B': { kind: 'fixed', value: 31 }, 'B>C': { kind: 'percent', value: 50 } }))).toBe(15);
  });

  it('is 0 when any hop is closed', () => {
    expect(availableAlongChain(100, [hop('B', 'C'), hop('A', 'B', false)], caps({}))).toBe(0);
  });

  const chains = fc.array(
    fc.record({
      open: fc.boolean(),
      cap: fc.option(fc.oneof(fc.record({ kind: fc.constant('fixed' as const), value: fc.nat(1000) }), fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 0, max: 100 }) }))),
    }),
    { maxLength: 6 },
  );
  const toHops = (chain: { open: boolean; cap: AllocationCap | null }[]) => ({
    hops: chain.map((item, index) => hop(`m${index + 1}`, `m${index}`, item.open)),
    capOf: (seller: string) => chain[Number(seller.slice(1)) - 1]?.cap ?? undefined,
  });

  it('never exceeds the origin figure nor any fixed cap, is a whole number, and never negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 100_000 }), chains, (origin, chain) => {
        const { hops, capOf } = toHops(chain);
        const available = availableAlongChain(origin, hops, capOf);
        expect(Number.isInteger(available)).toBe(true);
        expect(available).toBeGreaterThanOrEqual(0);
        expect(available).toBeLessThanOrEqual(Math.max(0, origin));
        for (const item of chain) if (item.cap?.kind === 'fixed') expect(available).toBeLessThanOrEqual(item.cap.value);
        if (chain.some((item) => !item.open)) expect(available).toBe(0);
      }),
    );
  });

  it('never falls when the origin has more', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.nat(1000), chains, (origin, more, chain) => {
        const { hops, capOf } = toHops(chain);
        expect(availableAlongChain(origin + more, hops, capOf)).toBeGreaterThanOrEqual(availableAlongChain(origin, hops, capOf));
      }),
    );
  });
});

describe('chainOfListing', () => {
  const offer = (id: string, seller: string, upstream: string | null, extra: Partial<ChainOffer> = {}): ChainOffer => ({
    id,
    sellerMerchantId: seller,
    offeredToMerchantId: null,
    upstreamOfferId: upstream,
    originSkuId: 'sku-1',
    status: 'active',
    ...extra,
  });
  const index = (...offers: ChainOffer[]) => new Map(offers.map((item) => [item.id, item]));

  it('has no hops for a listing of the merchant’s own SKU', () => {
    expect(chainOfListing({ merchantId: 'C', offerId: null, skuId: 'sku-9' }, new Map())).toEqual({ skuId: 'sku-9', hops: [] });
  });

  it('walks from the listing’s offer up to the origin, nearest the shop first', () => {
    // A (origin) offers to B; B re-shares to C; C lists B's offer.
    const chain = chainOfListing({ merchantId: 'C', offerId: 'o-b', skuId: null }, index(offer('o-a', 'A', null), offer('o-b', 'B', 'o-a')));
    expect(chain.skuId).toBe('sku-1');
    expect(chain.hops.map(({ sellerMerchantId, buyerMerchantId, open }) => ({ sellerMerchantId, buyerMerchantId, open }))).toEqual([
      { sellerMerchantId: 'B', buyerMerchantId: 'C', open: true },
      { sellerMerchantId: 'A', buyerMerchantId: 'B', open: true },
    ]);
  });

  it('closes a hop whose offer is withdrawn or meant for another buyer', () => {
    const withdrawn = chainOfListing({ merchantId: 'C', offerId: 'o-b', skuId: null }, index(offer('o-a', 'A', null, { status: 'withdrawn' }), offer('o-b', 'B', 'o-a')));
    expect(withdrawn.hops.map((item) => item.open)).toEqual([true, false]);
    const elsewhere = chainOfListing({ merchantId: 'C', offerId: 'o-b', skuId: null }, index(offer('o-a', 'A', null), offer('o-b', 'B', 'o-a', { offeredToMerchantId: 'D' })));
    expect(elsewhere.hops.map((item) => item.open)).toEqual([false, true]);
  });

  it('closes every hop from the one that closes a cycle, and stops after a bounded walk', () => {
    // C lists B's offer, which re-shares C's own offer, which re-shares B's: C and B sell to each other.
    const chain = chainOfListing({ merchantId: 'C', offerId: 'o-b', skuId: null }, index(offer('o-b', 'B', 'o-c'), offer('o-c', 'C', 'o-b')));
    expect(chain.hops[0].open).toBe(true);
    expect(chain.hops.slice(1).every((item) => !item.open)).toBe(true);
    expect(chain.hops.length).toBe(17);
    expect(availableAlongChain(10, chain.hops, () => undefined)).toBe(0);
  });
});
