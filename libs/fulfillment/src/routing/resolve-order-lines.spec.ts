import type { ResolvedListing } from '@gongxiao/channels';
import { declaredOptions, type ChainHop, type ChainProblem } from '@gongxiao/offers';
import { resolveOrder } from './resolve-order-lines';
import { chainHop, channelOrder, orderLine } from './routing-fixtures';

const listing = (shopSkuCode: string, overrides: Partial<ResolvedListing> = {}): ResolvedListing => ({
  listingId: `listing-${shopSkuCode}`,
  shopSkuCode,
  offerId: 'offer-1',
  skuId: null,
  retailPriceAmount: 9900,
  currency: 'CNY',
  status: 'active',
  ...overrides,
});

// The distributor buys from a broker, who buys from the supplier (hop 0 nearest the shop).
const chain: ChainHop[] = [
  chainHop({ offerId: 'offer-1', sellerMerchantId: 'broker', buyerMerchantId: 'distributor', originSkuId: 'origin-sku' }),
  chainHop({ offerId: 'offer-0', sellerMerchantId: 'supplier', buyerMerchantId: 'broker', originSkuId: 'origin-sku' }),
];

function resolve(listings: ResolvedListing[], problem: ChainProblem | null = null, chains = new Map([['distributor:offer-1', chain]])) {
  const order = channelOrder('10');
  const lines = listings.map((item, index) => orderLine(`10-${index + 1}`, '10', index + 1, 1, item.shopSkuCode));
  return resolveOrder({ order, lines }, new Map(listings.map((item) => [item.shopSkuCode, item])), chains, new Map([...chains.keys()].map((key) => [key, problem])));
}

describe('resolveOrder', () => {
  it('resolves a bought line to the origin supplier and SKU at the end of its chain, and own goods to the shop merchant', () => {
    const outcome = resolve([listing('TSHIRT'), listing('OWN', { offerId: null, skuId: 'own-sku' })]);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.lines.map((line) => [line.line.shop_sku_code, line.supplierMerchantId, line.skuId, line.hops.length])).toEqual([
      ['TSHIRT', 'supplier', 'origin-sku', 2],
      ['OWN', 'distributor', 'own-sku', 0],
    ]);
  });

  it('holds the order on the first line without a listing, naming its code and what to do', () => {
    const order = channelOrder('10');
    const outcome = resolveOrder({ order, lines: [orderLine('10-1', '10', 1, 1, 'NOT-LISTED')] }, new Map(), new Map(), new Map());
    expect(outcome).toEqual({
      ok: false,
      code: 'unknown_shop_sku',
      reason: expect.stringContaining('Line 1 (NOT-LISTED): this shop has no listing for SKU code "NOT-LISTED"'),
      detail: { lineNo: 1, shopSkuCode: 'NOT-LISTED' },
    });
  });

  it("names the platform's own line id (Shopify line item, Youzan oid) of a line without a listing", () => {
    const line = { ...orderLine('10-1', '10', 1, 1, 'NOT-LISTED'), external_line_id: '2873491203477823746' };
    const outcome = resolveOrder({ order: channelOrder('10'), lines: [line] }, new Map(), new Map(), new Map());
    expect(outcome).toEqual(
      expect.objectContaining({
        code: 'unknown_shop_sku',
        reason: expect.stringContaining('Line 1 (NOT-LISTED, platform line 2873491203477823746)'),
        detail: expect.objectContaining({ externalLineId: '2873491203477823746' }),
      }),
    );
  });

  it('holds the order when a listing is paused or priced in another currency', () => {
    expect(resolve([listing('TSHIRT', { status: 'paused' })])).toEqual(expect.objectContaining({ ok: false, code: 'listing_paused' }));
    expect(resolve([listing('TSHIRT', { currency: 'USD' })])).toEqual(expect.objectContaining({ ok: false, code: 'currency_mismatch' }));
  });

  it("holds the order with the chain's problem, or as withdrawn when the offer is gone", () => {
    const problem: ChainProblem = { code: 'partnership_inactive', message: 'your partnership with your supplier is suspended' };
    expect(resolve([listing('TSHIRT')], problem)).toEqual({
      ok: false,
      code: 'partnership_inactive',
      reason: 'Line 1 (TSHIRT): your partnership with your supplier is suspended. Fix the listing or the partnership, then retry the order.',
    });
    expect(resolve([listing('TSHIRT')], null, new Map())).toEqual(expect.objectContaining({ ok: false, code: 'offer_withdrawn', reason: expect.stringContaining('offer offer-1 no longer exists') }));
  });

  describe('light customization', () => {
    // The options are the origin offer's (offer-0, the chain's last hop), not the re-share's.
    const options = new Map([['offer-0', declaredOptions([{ key: 'engraving', label: '刻字', kind: 'text', required: true, maxLength: 4, extraPriceAmount: 500 }])]]);
    const customized = (customization: unknown, optionsOf = options) => {
      const line = { ...orderLine('10-1', '10', 1, 1, 'TSHIRT'), customization: customization as Record<string, unknown> };
      const chains = new Map([['distributor:offer-1', chain]]);
      return resolveOrder({ order: channelOrder('10'), lines: [line] }, new Map([['TSHIRT', listing('TSHIRT')]]), chains, new Map([['distributor:offer-1', null]]), optionsOf);
    };

    it("resolves a line with its customization checked against the origin offer's options", () => {
      const outcome = customized({ engraving: ' LOVE ' });
      if (!outcome.ok) throw new Error(outcome.reason);
      expect(outcome.lines[0].customization).toEqual(expect.objectContaining({ values: { engraving: 'LOVE' }, key: 'engraving=LOVE', label: '刻字: LOVE', extraAmount: 500 }));
    });

    it('holds the order naming every key that does not fit', () => {
      expect(customized({ engraving: 'too long', colour: 'red' })).toEqual({
        ok: false,
        code: 'customization_invalid',
        reason: expect.stringMatching(/^Line 1 \(TSHIRT\): customization "colour" is not an option of this product; "engraving" is 8 characters long, at most 4 allowed\./),
        detail: expect.objectContaining({ lineNo: 1, lineId: '10-1', keys: ['colour', 'engraving'] }),
      });
      expect(customized(null)).toEqual(expect.objectContaining({ code: 'customization_invalid', detail: expect.objectContaining({ keys: ['engraving'] }) }));
      // Options on the re-share's own offer id are not the origin's: the key is unknown.
      expect(customized({ engraving: 'ok' }, new Map([['offer-1', options.get('offer-0')!]]))).toEqual(expect.objectContaining({ code: 'customization_invalid' }));
    });
  });
});
