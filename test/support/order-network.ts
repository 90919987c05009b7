import { cny, expectStatus, partner, SignedUpMerchant, signUp } from './merchant-network';
import { TestApi } from './test-environment';
import { eventually } from './webhook-sink';

export interface OrderNetwork {
  factory: SignedUpMerchant;
  broker: SignedUpMerchant;
  distributor: SignedUpMerchant;
  /** A second supplier selling directly to the distributor (for multi-supplier orders). */
  farm: SignedUpMerchant;
  warehouses: { zhejiang: string; guangdong: string; farm: string };
  skus: { tshirt: string; mug: string; honey: string };
  offers: { factoryTshirt: string; factoryMug: string; brokerTshirt: string; brokerMug: string; farmHoney: string };
  shop: { id: string; secret: string };
  shop2: { id: string; secret: string };
}

/** Prices along the chain, in fen. */
export const PRICES = { factoryTshirt: 3000, brokerTshirt: 4000, retailTshirt: 5990, factoryMug: 1500, brokerMug: 2200, retailMug: 3900, farmHoney: 2500, retailHoney: 4500 };

/**
 * A factory with warehouses in Zhejiang and Guangdong, a broker re-sharing its goods, a farm
 * selling honey directly, and a distributor with two shops listing all of it.
 */
export async function buildOrderNetwork(api: TestApi, options: { shopCallbackUrl?: string; stock?: number } = {}): Promise<OrderNetwork> {
  const stock = options.stock ?? 1000;
  const tag = Math.random().toString(36).slice(2, 8);
  const factory = await signUp(api, 'Yiwu Sunrise Factory', 'Li', `factory-${tag}@example.com`);
  const broker = await signUp(api, 'Hangzhou Bridge Trading', 'Wang', `broker-${tag}@example.com`);
  const distributor = await signUp(api, 'Happy Home Stores', 'Zhao', `distributor-${tag}@example.com`);
  const farm = await signUp(api, 'Mountain Honey Farm', 'Chen', `farm-${tag}@example.com`);
  await partner(api, factory, broker);
  await partner(api, broker, distributor);
  await partner(api, farm, distributor);

  const product = await api.post(
    '/v1/products',
    {
      name: 'Home basics',
      skus: [
        { code: 'TSHIRT-M', name: 'T-shirt M' },
        { code: 'MUG-350', name: 'Mug 350 ml' },
      ],
    },
    factory.token,
  );
  expectStatus(product, 201);
  const [tshirt, mug] = product.body.skus.map((sku: { id: string }) => sku.id);
  const honeyProduct = await api.post('/v1/products', { name: 'Honey', skus: [{ code: 'HONEY-500', name: 'Honey 500 g' }] }, farm.token);
  const honey = honeyProduct.body.skus[0].id;

  const zhejiang = await api.post('/v1/warehouses', { code: 'ZJ', name: 'Yiwu', province: '浙江省', priority: 10 }, factory.token);
  const guangdong = await api.post('/v1/warehouses', { code: 'GD', name: 'Guangzhou', province: '广东省', priority: 20 }, factory.token);
  const farmWarehouse = await api.post('/v1/warehouses', { code: 'FARM', name: 'Farm', province: '云南省' }, farm.token);
  for (const [token, warehouseId, skuId] of [
    [factory.token, zhejiang.body.id, tshirt],
    [factory.token, zhejiang.body.id, mug],
    [factory.token, guangdong.body.id, tshirt],
    [factory.token, guangdong.body.id, mug],
    [farm.token, farmWarehouse.body.id, honey],
  ]) {
    expectStatus(await api.put('/v1/stock-levels', { warehouseId, skuId, onHand: stock }, token), 200);
  }

  const offer = async (token: string, body: Record<string, unknown>) => {
    const response = await api.post('/v1/offers', body, token);
    expectStatus(response, 201);
    return response.body.id as string;
  };
  const factoryTshirt = await offer(factory.token, { skuId: tshirt, buyerMerchantId: broker.merchantId, price: cny(PRICES.factoryTshirt) });
  const factoryMug = await offer(factory.token, { skuId: mug, price: cny(PRICES.factoryMug) });
  const brokerTshirt = await offer(broker.token, { upstreamOfferId: factoryTshirt, price: cny(PRICES.brokerTshirt) });
  const brokerMug = await offer(broker.token, { upstreamOfferId: factoryMug, buyerMerchantId: distributor.merchantId, price: cny(PRICES.brokerMug) });
  const farmHoney = await offer(farm.token, { skuId: honey, price: cny(PRICES.farmHoney) });

  const shopResponse = await api.post('/v1/shops', { platform: 'youzan', name: 'Happy Home Youzan', ...(options.shopCallbackUrl ? { callbackUrl: options.shopCallbackUrl } : {}) }, distributor.token);
  const shop2Response = await api.post('/v1/shops', { platform: 'douyin', name: 'Happy Home Douyin' }, distributor.token);
  for (const shopResponseItem of [shopResponse, shop2Response]) {
    for (const [code, offerId, retail] of [
      ['TSHIRT', brokerTshirt, PRICES.retailTshirt],
      ['MUG', brokerMug, PRICES.retailMug],
      ['HONEY', farmHoney, PRICES.retailHoney],
    ] as const) {
      const listing = await api.post('/v1/listings', { shopId: shopResponseItem.body.id, shopSkuCode: code, offerId, retailPrice: cny(retail) }, distributor.token);
      expectStatus(listing, 201);
    }
  }
  return {
    factory,
    broker,
    distributor,
    farm,
    warehouses: { zhejiang: zhejiang.body.id, guangdong: guangdong.body.id, farm: farmWarehouse.body.id },
    skus: { tshirt, mug, honey },
    offers: { factoryTshirt, factoryMug, brokerTshirt, brokerMug, farmHoney },
    shop: { id: shopResponse.body.id, secret: shopResponse.body.webhookSecret },
    shop2: { id: shop2Response.body.id, secret: shop2Response.body.webhookSecret },
  };
}

let orderCounter = 0;

/** A shop order as a platform would push it. */
export function shopOrder(
  lines: { code: string; quantity: number; unitPrice: number }[],
  consignee: Partial<{ name: string; phone: string; province: string; city: string; district: string; address: string }> = {},
) {
  orderCounter++;
  return {
    externalOrderId: `EXT-${Date.now().toString(36)}-${orderCounter}-${Math.random().toString(36).slice(2, 7)}`,
    currency: 'CNY',
    consignee: { name: '张三', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路 100 号', ...consignee },
    lines: lines.map((line) => ({ shopSkuCode: line.code, quantity: line.quantity, unitPrice: line.unitPrice })),
  };
}

/** Waits until the worker has routed (or held) a shop order, as its distributor sees it; returns the order. */
export function orderRouted(api: TestApi, network: OrderNetwork, channelOrderId: string) {
  return eventually(
    async () => {
      const response = await api.get(`/v1/channel-orders/${channelOrderId}`, network.distributor.token);
      return response.body.status !== 'received' && response.body;
    },
    20_000,
    `order ${channelOrderId} routed`,
  );
}

/**
 * A shop order of T-shirts for `consignee`, pushed signed by the distributor's shop and routed (to the
 * factory's Zhejiang warehouse, new in its inbox); returns its external order id.
 */
export async function pushRoutedTshirtOrder(api: TestApi, network: OrderNetwork, consignee: string, quantity = 1): Promise<string> {
  const order = shopOrder([{ code: 'TSHIRT', quantity, unitPrice: PRICES.retailTshirt }], { name: consignee });
  const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  expectStatus(push, 202);
  const routed = await orderRouted(api, network, push.body.id);
  if (routed.status !== 'routed') throw new Error(`order ${order.externalOrderId} was not routed: ${JSON.stringify(routed)}`);
  return order.externalOrderId;
}
