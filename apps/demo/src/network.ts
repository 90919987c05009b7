import { DEMO_PASSWORD, demoEmail } from './console-access';
import { DemoClient } from './http-client';

export interface DemoMerchant {
  id: string;
  name: string;
  token: string;
}

export interface DemoShop {
  id: string;
  name: string;
  secret: string;
  distributor: DemoMerchant;
  codes: string[];
}

export interface DemoNetwork {
  factory: DemoMerchant;
  farm: DemoMerchant;
  broker: DemoMerchant;
  distributors: DemoMerchant[];
  shops: DemoShop[];
  warehouses: { id: string; code: string; province: string; owner: string }[];
  factoryCodes: string[];
  farmCodes: string[];
  /** Every offer the distributors may list (the broker's re-shares of the factory's SKUs, the farm's). */
  offers: DemoOffer[];
}

export interface DemoOffer {
  code: string;
  offerId: string;
  price: number;
}

const cny = (amount: number) => ({ amount, currency: 'CNY' });

const FACTORY_SKUS = [
  { code: 'TEE-WHITE-M', name: 'Cotton tee white M', cost: 2200 },
  { code: 'TEE-WHITE-L', name: 'Cotton tee white L', cost: 2200 },
  { code: 'TEE-BLACK-M', name: 'Cotton tee black M', cost: 2300 },
  { code: 'MUG-350', name: 'Ceramic mug 350 ml', cost: 1500 },
  { code: 'BOTTLE-500', name: 'Steel bottle 500 ml', cost: 3900 },
  { code: 'TOWEL-BATH', name: 'Bath towel', cost: 2800 },
];
const FARM_SKUS = [
  { code: 'HONEY-500', name: 'Mountain honey 500 g', cost: 4200 },
  { code: 'TEA-GREEN-250', name: 'Green tea 250 g', cost: 5600 },
];

/**
 * A whole network through the public API: a factory with warehouses in Zhejiang and Guangdong,
 * a tea-and-honey farm, a broker re-sharing the factory's goods, two distributors with three shops.
 * Owners sign in as `<key>@demo.gongxiao.example` (`<key>+<emailTag>@…` when a tag is given).
 */
export async function buildNetwork(client: DemoClient, erpWebhookUrl: string, shopCallbackUrl: string, emailTag?: string): Promise<DemoNetwork> {
  const signUp = async (merchantName: string, email: string): Promise<DemoMerchant> => {
    const session = await client.call('POST', '/v1/auth/sign-up', {
      body: { merchantName, ownerName: 'Demo owner', email: demoEmail(emailTag ? `${email}+${emailTag}` : email), password: DEMO_PASSWORD },
    });
    return { id: session.merchant.id, name: merchantName, token: session.token };
  };
  const partner = async (upstream: DemoMerchant, downstream: DemoMerchant) => {
    await client.call('POST', '/v1/partnerships', { token: upstream.token, body: { downstreamMerchantId: downstream.id } });
    // The invitee finds the invitation among its partnerships (the inviter sees it once accepted).
    const inbox = await client.call('GET', '/v1/partnerships?side=upstream&status=invited&limit=200', { token: downstream.token });
    const invitation = inbox.data.find((item: { upstream: { merchantId: string } }) => item.upstream.merchantId === upstream.id);
    await client.call('POST', `/v1/partnerships/${invitation.id}/accept`, { token: downstream.token });
  };

  const factory = await signUp('Yiwu Sunrise Factory', 'factory');
  const farm = await signUp('Yunnan Mountain Farm', 'farm');
  const broker = await signUp('Hangzhou Bridge Trading', 'broker');
  const distributors = [await signUp('Happy Home Stores', 'happyhome'), await signUp('Little Red Lifestyle', 'littlered')];
  await partner(factory, broker);
  for (const distributor of distributors) {
    await partner(broker, distributor);
    await partner(farm, distributor);
  }

  const factoryProduct = await client.call('POST', '/v1/products', { token: factory.token, body: { name: 'Home & apparel basics', skus: FACTORY_SKUS.map(({ code, name }) => ({ code, name })) } });
  const farmProduct = await client.call('POST', '/v1/products', { token: farm.token, body: { name: 'Farm produce', skus: FARM_SKUS.map(({ code, name }) => ({ code, name })) } });

  const zhejiang = await client.call('POST', '/v1/warehouses', { token: factory.token, body: { code: 'ZJ-YIWU', name: 'Yiwu main warehouse', province: '浙江省', city: '金华市', priority: 10 } });
  const guangdong = await client.call('POST', '/v1/warehouses', {
    token: factory.token,
    body: { code: 'GD-GZ', name: 'Guangzhou warehouse (ERP)', province: '广东省', city: '广州市', priority: 20, receiveMode: 'erp_webhook', erpWebhookUrl },
  });
  const yunnan = await client.call('POST', '/v1/warehouses', { token: farm.token, body: { code: 'YN-KM', name: 'Kunming farm store', province: '云南省', priority: 10 } });

  for (const [index, sku] of factoryProduct.skus.entries()) {
    // The bath towel is only stocked in Guangzhou, so some Zhejiang orders split across warehouses.
    const zhejiangStock = FACTORY_SKUS[index].code === 'TOWEL-BATH' ? 0 : 5000;
    await client.call('PUT', '/v1/stock-levels', { token: factory.token, body: { warehouseId: zhejiang.id, skuId: sku.id, onHand: zhejiangStock } });
    await client.call('PUT', '/v1/stock-levels', { token: factory.token, body: { warehouseId: guangdong.id, skuId: sku.id, onHand: 5000 } });
  }
  for (const sku of farmProduct.skus) {
    await client.call('PUT', '/v1/stock-levels', { token: farm.token, body: { warehouseId: yunnan.id, skuId: sku.id, onHand: 5000 } });
  }

  // The factory offers everything to the broker; the broker re-shares to all its partners at +30 %.
  const brokerOffers: { code: string; offerId: string; price: number }[] = [];
  for (const [index, sku] of factoryProduct.skus.entries()) {
    const origin = await client.call('POST', '/v1/offers', { token: factory.token, body: { skuId: sku.id, buyerMerchantId: broker.id, price: cny(FACTORY_SKUS[index].cost) } });
    const price = Math.round(FACTORY_SKUS[index].cost * 1.3);
    const reshare = await client.call('POST', '/v1/offers', { token: broker.token, body: { upstreamOfferId: origin.id, price: cny(price) } });
    brokerOffers.push({ code: FACTORY_SKUS[index].code, offerId: reshare.id, price });
  }
  const farmOffers: { code: string; offerId: string; price: number }[] = [];
  for (const [index, sku] of farmProduct.skus.entries()) {
    const offer = await client.call('POST', '/v1/offers', { token: farm.token, body: { skuId: sku.id, price: cny(FARM_SKUS[index].cost) } });
    farmOffers.push({ code: FARM_SKUS[index].code, offerId: offer.id, price: FARM_SKUS[index].cost });
  }

  const shops = await openShops(client, distributors, [...brokerOffers, ...farmOffers], shopCallbackUrl);
  return {
    factory,
    farm,
    broker,
    distributors,
    shops,
    warehouses: [
      { id: zhejiang.id, code: 'ZJ-YIWU', province: '浙江省', owner: factory.name },
      { id: guangdong.id, code: 'GD-GZ', province: '广东省', owner: factory.name },
      { id: yunnan.id, code: 'YN-KM', province: '云南省', owner: farm.name },
    ],
    factoryCodes: FACTORY_SKUS.map((sku) => sku.code),
    farmCodes: FARM_SKUS.map((sku) => sku.code),
    offers: [...brokerOffers, ...farmOffers],
  };
}

/** Three shops of the two distributors, each listing every offer at +60 % (one with a callback URL). */
async function openShops(client: DemoClient, distributors: DemoMerchant[], offers: { code: string; offerId: string; price: number }[], shopCallbackUrl: string): Promise<DemoShop[]> {
  const shops: DemoShop[] = [];
  const shopPlan: [DemoMerchant, string, string, boolean][] = [
    [distributors[0], 'youzan', 'Happy Home Youzan', true],
    [distributors[0], 'douyin', 'Happy Home Douyin live', false],
    [distributors[1], 'xiaohongshu', 'Little Red Notes shop', false],
  ];
  for (const [distributor, platform, name, withCallback] of shopPlan) {
    const shop = await client.call('POST', '/v1/shops', { token: distributor.token, body: { platform, name, ...(withCallback ? { callbackUrl: shopCallbackUrl } : {}) } });
    const prefix = platform.slice(0, 2).toUpperCase();
    const codes: string[] = [];
    for (const offer of offers) {
      const code = `${prefix}-${offer.code}`;
      await client.call('POST', '/v1/listings', { token: distributor.token, body: { shopId: shop.id, shopSkuCode: code, offerId: offer.offerId, retailPrice: cny(Math.round(offer.price * 1.6)) } });
      codes.push(code);
    }
    shops.push({ id: shop.id, name, secret: shop.webhookSecret, distributor, codes });
  }
  return shops;
}
