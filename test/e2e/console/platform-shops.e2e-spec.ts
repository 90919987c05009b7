import { Page } from 'playwright-core';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { pickOption } from '../../support/console-network';
import { cny, expectStatus, partner, PASSWORD, SignedUpMerchant, signUp } from '../../support/merchant-network';
import { SHOPIFY_PRODUCTS } from '../../support/platform-product-exports';
import { useStage } from '../../support/stage';

/**
 * Shops on real platforms in a real browser: the supplier imports its Shopify product export into its
 * catalog and reads the report; the distributor connects a Shopify shop with its credentials, sees
 * the webhook URL to paste into Shopify's admin, and maps its Shopify products to offers as listings.
 */
describe('Console: platform shops and catalog sync', () => {
  const stage = useStage({ listen: true });
  const browser = useConsoleBrowser();
  let supplier: SignedUpMerchant;
  let distributor: SignedUpMerchant;

  beforeAll(async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    supplier = await signUp(stage.api, 'Shenzhen Sound Factory', 'Li', `console-platform-supplier-${tag}@example.com`);
    distributor = await signUp(stage.api, 'Happy Home Stores', 'Zhao', `console-platform-distributor-${tag}@example.com`);
    await partner(stage.api, supplier, distributor);
  }, 60_000);

  /** Pastes an export into the panel and starts it; returns the panel's report. */
  const importInPanel = async (page: Page, testId: string, exportText: string) => {
    await page.getByTestId(`${testId}-text`).fill(exportText);
    await page.getByTestId(`${testId}-start`).click();
    const report = page.getByTestId(`${testId}-report`);
    await report.waitFor();
    return report;
  };

  it('imports a Shopify product export into the supplier catalog and shows the report', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, supplier.email, PASSWORD);
    await page.goto('/console/warehouse/catalog');
    await page.getByTestId('catalog-platform-import-open').click();
    await pickOption(page, 'catalog-platform-import-platform', 'Shopify');
    const report = await importInPanel(page, 'catalog-platform-import', SHOPIFY_PRODUCTS);
    expect(await page.getByTestId('catalog-platform-import-count-created').textContent()).toBe('已新建 3');
    expect(await page.getByTestId('catalog-platform-import-count-skipped').textContent()).toBe('已跳过 2');
    expect(await report.getByTestId('catalog-platform-import-row-IPOD2008BLACK').textContent()).toContain('价格缺失或不是最多两位小数的金额');
    expect(await report.getByTestId('catalog-platform-import-row-39072856').textContent()).toContain('平台上没有商品编码');
    await screenshot(page, 'catalog-platform-import');

    const products = await stage.api.get('/v1/products?limit=50', supplier.token);
    const pink = products.body.data.flatMap((product: { skus: { code: string }[] }) => product.skus).find((sku: { code: string }) => sku.code === 'IPOD2008PINK');
    expect(pink.listPrice).toEqual(cny(19900));
    expectStatus(await stage.api.post('/v1/offers', { skuId: pink.id, price: cny(12000) }, supplier.token), 201);
  });

  it('connects a Shopify shop with its credentials, shows the webhook URL to paste into Shopify, and maps its products to listings', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, distributor.email, PASSWORD);
    await page.getByTestId('menu-distributor-shops').click();
    await page.getByTestId('distributor-connect-shop').click();
    await pickOption(page, 'distributor-shop-integration', 'Shopify');
    await page.getByTestId('distributor-shop-name').fill('快乐家居 Shopify');
    // A bad domain is named beside its field.
    await page.getByTestId('distributor-shop-credential-shopDomain').fill('not a domain');
    await page.getByTestId('distributor-shop-credential-webhookSecret').fill('shpss_0123456789');
    await page.getByTestId('distributor-shop-credential-accessToken').fill('shpat_0123456789');
    await page.getByTestId('distributor-shop-credential-apiBaseUrl').fill('http://127.0.0.1:45999');
    await page.getByTestId('distributor-shop-submit').click();
    // Beside the field it names (platformCredentials.shopDomain), not only in the alert.
    await page
      .locator('.ant-form-item', { has: page.getByTestId('distributor-shop-credential-shopDomain') })
      .locator('.ant-form-item-explain-error', { hasText: 'must be a host name such as sunny-goods.myshopify.com' })
      .waitFor();
    await page.getByTestId('distributor-shop-credential-shopDomain').fill('happy-home.myshopify.com');
    await page.getByTestId('distributor-shop-submit').click();
    await page.getByTestId('shown-once-secret').waitFor();
    await page
      .getByRole('dialog')
      .filter({ has: page.getByTestId('shown-once-secret') })
      .getByRole('button', { name: '关闭' })
      .first()
      .click();

    const shops = await stage.api.get('/v1/shops?limit=10', distributor.token);
    const shop = shops.body.data.find((entry: { name: string }) => entry.name === '快乐家居 Shopify');
    expect(shop).toEqual(expect.objectContaining({ platform: 'shopify', integration: 'shopify', platformShopRef: 'happy-home.myshopify.com' }));
    const webhook = page.getByTestId(`distributor-shop-webhook-${shop.id}`);
    expect(await webhook.textContent()).toBe(`${stage.apiUrl}/v1/shops/${shop.id}/webhooks/shopify`);
    expect(await page.getByTestId(`distributor-shop-row-${shop.id}`).textContent()).toContain('Shopify');

    await page.getByTestId(`distributor-map-platform-${shop.id}`).click();
    const distributorExport = `{"products": [{"id": 7001000000001, "title": "iPod nano", "variants": [
      {"id": 42000000000001, "sku": "IPOD2008PINK", "price": "299.00", "inventory_item_id": 43000000000001},
      {"id": 42000000000003, "sku": "NOT-OFFERED", "price": "10.00", "inventory_item_id": 43000000000003}]}]}`;
    const report = await importInPanel(page, 'distributor-map-platform', distributorExport);
    expect(await page.getByTestId('distributor-map-platform-count-listed').textContent()).toBe('已上架 1');
    expect(await report.getByTestId('distributor-map-platform-row-NOT-OFFERED').textContent()).toContain('您可用的货源中没有这个商品编码');
    await screenshot(page, 'distributor-map-platform');
    const listings = await stage.api.get(`/v1/listings?shopId=${shop.id}`, distributor.token);
    expect(listings.body.data).toEqual([
      expect.objectContaining({ shopSkuCode: 'IPOD2008PINK', retailPrice: cny(29900), platformVariantId: '42000000000001', platformInventoryItemId: '43000000000001' }),
    ]);
  });
});
