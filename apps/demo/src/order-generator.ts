import { DemoNetwork, DemoShop } from './network';

/** A small deterministic random generator, so every demo run pushes the same shape of orders. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PLACES = [
  { province: '浙江省', city: '杭州市', district: '西湖区' },
  { province: '浙江省', city: '宁波市', district: '鄞州区' },
  { province: '广东省', city: '广州市', district: '天河区' },
  { province: '广东省', city: '深圳市', district: '南山区' },
  { province: '江苏省', city: '南京市', district: '玄武区' },
  { province: '上海市', city: '上海市', district: '浦东新区' },
  { province: '四川省', city: '成都市', district: '武侯区' },
];
export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'];
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳'];

export interface PlannedOrder {
  shop: DemoShop;
  body: {
    externalOrderId: string;
    currency: 'CNY';
    consignee: { name: string; phone: string; province: string; city: string; district: string; address: string };
    lines: { shopSkuCode: string; quantity: number; unitPrice: number }[];
    remarks?: string;
  };
  kind: 'single-supplier' | 'multi-supplier' | 'repeat-consignee' | 'unknown-sku';
}

/**
 * About 1,000 orders as shops would push them: most from one supplier, some from both suppliers
 * (split), some to a consignee who also ordered in another shop, and a few with a SKU code the
 * shop never listed (held as exceptions).
 */
export function planOrders(network: DemoNetwork, count: number, runTag: string): PlannedOrder[] {
  const random = seededRandom(20261122);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const codeFor = (shop: DemoShop, skuCode: string) => shop.codes.find((code) => code.endsWith(`-${skuCode}`))!;
  const regulars: PlannedOrder['body']['consignee'][] = [];
  const orders: PlannedOrder[] = [];
  for (let index = 0; index < count; index++) {
    const shop = network.shops[index % network.shops.length];
    const roll = random();
    const kind: PlannedOrder['kind'] = roll < 0.01 ? 'unknown-sku' : roll < 0.06 && regulars.length > 0 ? 'repeat-consignee' : roll < 0.26 ? 'multi-supplier' : 'single-supplier';
    const place = pick(PLACES);
    const consignee =
      kind === 'repeat-consignee'
        ? pick(regulars)
        : {
            name: pick(SURNAMES) + pick(GIVEN),
            phone: `13${String(Math.floor(random() * 1e9)).padStart(9, '0')}`,
            ...place,
            address: `${pick(['人民路', '中山路', '解放路', '建设路'])} ${1 + Math.floor(random() * 300)} 号 ${1 + Math.floor(random() * 20)}0${1 + Math.floor(random() * 4)} 室`,
          };
    if (kind === 'single-supplier' && regulars.length < 30) regulars.push(consignee);
    const skuCodes = [pick(network.factoryCodes)];
    if (random() < 0.4) skuCodes.push(pick(network.factoryCodes));
    if (kind === 'multi-supplier') skuCodes.push(pick(network.farmCodes));
    const lines = [...new Set(skuCodes)].map((skuCode) => ({ shopSkuCode: codeFor(shop, skuCode), quantity: 1 + Math.floor(random() * 3), unitPrice: 2990 + Math.floor(random() * 50) * 100 }));
    if (kind === 'unknown-sku') lines.push({ shopSkuCode: `${shop.codes[0].slice(0, 2)}-DISCONTINUED-${index}`, quantity: 1, unitPrice: 1990 });
    orders.push({
      shop,
      kind,
      body: { externalOrderId: `${runTag}-${shop.id}-${String(index).padStart(5, '0')}`, currency: 'CNY', consignee, lines, ...(random() < 0.1 ? { remarks: '请尽快发货' } : {}) },
    });
  }
  return orders;
}
