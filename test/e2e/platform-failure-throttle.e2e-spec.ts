import { expectError, expectStatus } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork } from '../support/order-network';
import { createPlatformShop } from '../support/platform-payloads/platform-shops';
import { shopifyHeaders, shopifyOrderJson } from '../support/platform-payloads/shopify';
import { useStage } from '../support/stage';

/** Platforms deliver for many merchants from shared IPs: failed signatures are counted per IP and shop, so one misconfigured shop blocks only itself. */
describe('platform webhooks: the failure throttle per IP and shop', () => {
  const { api } = useStage({ worker: false, config: { TRUST_PROXY: 'loopback', PUSH_FAILURES_PER_IP: '3', PUSH_FAILURE_WINDOW_SECONDS: '30' } });
  const SECRET = 'shpss_throttle_secret';
  let network: OrderNetwork;
  let next = 6_000_000_000_000_000_000n;
  const id = () => String(next++);

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
  });

  it("a shop whose deliveries fail its signature is answered 429 from that IP; another merchant's shop behind the same IP is not", async () => {
    const broken = await createPlatformShop(api, network, 'shopify', { shopDomain: 'broken-shop.myshopify.com', webhookSecret: SECRET, accessToken: 'shpat_0123456789abcdef' });
    const healthy = await createPlatformShop(api, network, 'shopify', { shopDomain: 'healthy-shop.myshopify.com', webhookSecret: SECRET, accessToken: 'shpat_0123456789abcdef' });
    const deliver = (path: string, domain: string, secret: string) => {
      const body = shopifyOrderJson({ id: id(), lines: [{ id: id(), variantId: id(), sku: 'TSHIRT', quantity: 1, price: '19.99' }] });
      return api.request('POST', path, { rawBody: body, headers: { ...shopifyHeaders(body, secret, 'orders/create', id(), { domain }), 'x-forwarded-for': '10.9.0.1' } });
    };
    for (let attempt = 1; attempt <= 4; attempt++) expectError(await deliver(broken.path, 'broken-shop.myshopify.com', 'an-old-secret'), 401, 'signature_mismatch');
    expectError(await deliver(broken.path, 'broken-shop.myshopify.com', SECRET), 429, 'too_many_requests');
    expectStatus(await deliver(healthy.path, 'healthy-shop.myshopify.com', SECRET), 200);
    expectError(await deliver(healthy.path, 'healthy-shop.myshopify.com', 'an-old-secret'), 401, 'signature_mismatch');
  });
});
