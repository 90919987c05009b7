import { CARRIERS } from './carriers';
import { carrierForPlatform, carrierFromPlatform, ShopPlatform } from './platform-carriers';

describe('platform carrier names', () => {
  it('names internal carriers as each platform does', () => {
    expect(carrierForPlatform('shopify', 'SF')).toBe('SF Express');
    expect(carrierForPlatform('shopify', '顺丰')).toBe('SF Express');
    expect(carrierForPlatform('shopify', 'POSTB')).toBe('China Post');
    expect(carrierForPlatform('woocommerce', '中通')).toBe('ZTO Express');
    expect(carrierForPlatform('youzan', 'STO')).toBe('1');
    expect(carrierForPlatform('youzan', 'SF')).toBe('7');
  });

  it('has no guessed Youzan id for a carrier whose id is not known', () => {
    expect(carrierForPlatform('youzan', 'JTSD')).toBeNull();
    expect(carrierForPlatform('shopify', 'not a carrier')).toBeNull();
  });

  it('gives every carrier a Shopify and WooCommerce name', () => {
    for (const carrier of CARRIERS)
      for (const platform of ['shopify', 'woocommerce'] as ShopPlatform[]) expect([carrier.code, carrierForPlatform(platform, carrier.code)]).toEqual([carrier.code, expect.any(String)]);
  });

  it('translates back to the same carrier, both ways', () => {
    for (const carrier of CARRIERS) {
      for (const platform of ['shopify', 'woocommerce', 'youzan'] as ShopPlatform[]) {
        const name = carrierForPlatform(platform, carrier.code);
        if (name !== null) expect([platform, name, carrierFromPlatform(platform, name)?.code]).toEqual([platform, name, carrier.code]);
      }
    }
    expect(carrierFromPlatform('youzan', 7)?.code).toBe('SF');
    expect(carrierFromPlatform('shopify', 'sf express')?.code).toBe('SF');
    expect(carrierFromPlatform('woocommerce', '圆通速递')?.code).toBe('YTO');
    expect(carrierFromPlatform('youzan', '999')).toBeNull();
  });
});
