import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { OutgoingAllowList } from '@gongxiao/core';
import { PlatformShop, StockCall } from '../platform-adapter';
import { SHOPIFY_DEFAULT_API_VERSION, shopifyOutbound } from './shopify.outbound';

/** Shopify on 127.0.0.1, answering every inventory set as the reference shows: which Admin API version is called. */
describe('Shopify outbound API version', () => {
  let server: Server;
  let base: string;
  const paths: string[] = [];
  const context = { timeoutMs: 2000, allowList: OutgoingAllowList.parse('127.0.0.1') };
  const stock: StockCall = {
    listings: [{ listingId: '1', shopSkuCode: 'A', available: 5, platformProductId: null, platformVariantId: null, platformInventoryItemId: '808950810' }],
  };
  const shop = (apiVersion?: string) =>
    ({
      id: '1',
      merchantId: '1',
      status: 'active',
      integration: 'shopify',
      shopRef: 'sunny-goods.myshopify.com',
      credentials: { shopDomain: 'sunny-goods.myshopify.com', webhookSecret: 'w', accessToken: 'shpat_x', locationId: '655441491', apiBaseUrl: base, ...(apiVersion ? { apiVersion } : {}) },
    }) as Extract<PlatformShop, { integration: 'shopify' }>;

  beforeAll(async () => {
    server = createServer((request, response) => {
      paths.push(request.url ?? '');
      request.resume().on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"inventory_level":{"available":5}}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('calls a supported version (2026-10) by default, and the credentials’ apiVersion when they name one', async () => {
    expect(SHOPIFY_DEFAULT_API_VERSION).toBe('2026-10');
    expect(await shopifyOutbound.tellStock(shop(), stock, context)).toMatchObject({ status: 'done', statusCode: 200 });
    expect(await shopifyOutbound.tellStock(shop('2026-07'), stock, context)).toMatchObject({ status: 'done', statusCode: 200 });
    expect(paths).toEqual(['/admin/api/2026-10/inventory_levels/set.json', '/admin/api/2026-07/inventory_levels/set.json']);
  });
});
