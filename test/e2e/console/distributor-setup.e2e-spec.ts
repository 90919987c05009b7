import { Page } from 'playwright-core';
import { confirmPopup, listOfferInPage, pushSignedOrder } from '../../support/console-distributor';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';
import { eventually } from '../../support/webhook-sink';

/**
 * The distributor sets up selling in a real browser: it lists an offer into a shop from the
 * selection center and sees what it may sell; it connects a shop (the webhook secret shown once)
 * and rotates the secret, and the secrets sign pushes as the api says.
 */
describe('Console: the distributor lists offers and connects shops', () => {
  const stage = useStage({ listen: true, worker: 'in-process' });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;
  let page: Page;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
    ({ page } = await browser.open(stage.apiUrl));
    await signInInBrowser(page, network.distributor.email, PASSWORD);
  }, 60_000);

  it('lists an offer into a shop from the selection center, at the price typed, and shows its availability', async () => {
    await page.getByTestId('menu-distributor-selection').click();
    const mugOffer = page.getByTestId(`distributor-offer-row-${network.offers.brokerMug}`);
    // The price the distributor pays the broker, never the factory's.
    expect(await mugOffer.textContent()).toContain('¥22.00');
    expect(await mugOffer.textContent()).not.toContain('¥15.00');
    await listOfferInPage(page, { offerText: 'Mug 350 ml', shopName: 'Happy Home Douyin', retailPrice: '39.90', sku: 'DY-MUG-GIFT' });

    const listings = await stage.api.get('/v1/listings?limit=100', network.distributor.token);
    const listing = listings.body.data.find((entry: { shopSkuCode: string }) => entry.shopSkuCode === 'DY-MUG-GIFT');
    expect(listing).toEqual(expect.objectContaining({ shopId: network.shop2.id, offerId: network.offers.brokerMug, retailPrice: { amount: 3990, currency: 'CNY' }, status: 'active' }));

    // The worker works out what a new listing may sell moments after it is created.
    const figure = await eventually(
      async () => {
        const availability = await stage.api.get(`/v1/listing-availability?shopId=${network.shop2.id}&limit=100`, network.distributor.token);
        return availability.body.data.find((entry: { listingId: string }) => entry.listingId === listing.id);
      },
      15_000,
      'the availability of the new listing',
    );
    expect(figure.available).toBeGreaterThan(0);
    const cell = page.getByTestId(`distributor-listing-available-${listing.id}`);
    await cell.getByText(figure.available.toLocaleString('zh-CN')).waitFor();
    expect(await page.getByTestId(`distributor-listing-row-${listing.id}`).textContent()).toContain('¥39.90');
    await screenshot(page, 'distributor-selection');
  });

  /** Closes the shown-once secret's dialog (by its footer button). */
  const closeSecret = async () => {
    await page
      .getByRole('dialog')
      .filter({ has: page.getByTestId('shown-once-secret') })
      .getByRole('button', { name: '关闭' })
      .first()
      .click();
    await page.getByTestId('shown-once-secret').waitFor({ state: 'hidden' });
  };

  it('connects a shop showing its secret once, and rotating shows a new one; the secrets sign pushes as the api says', async () => {
    await page.getByTestId('menu-distributor-shops').click();
    await page.getByTestId('distributor-connect-shop').click();
    await page.getByTestId('distributor-shop-name').fill('快乐家居小红书店');
    await page.getByTestId('distributor-shop-submit').click();
    const first = (await page.getByTestId('shown-once-secret').textContent())!.trim();
    expect(first).toMatch(/^whsec_/);
    await page.getByText('只显示这一次，请立即复制保存。').waitFor();
    await closeSecret();

    const shops = await stage.api.get('/v1/shops?limit=100', network.distributor.token);
    const shop = shops.body.data.find((entry: { name: string }) => entry.name === '快乐家居小红书店');
    expect(shop.webhookSecret).toBeUndefined();
    const row = page.getByTestId(`distributor-shop-row-${shop.id}`);
    expect(await row.textContent()).toContain(shop.id);
    expect(await page.getByTestId(`distributor-shop-push-${shop.id}`).textContent()).toBe(`POST ${stage.apiUrl}/v1/shops/${shop.id}/orders`);
    expect(await page.locator('body').textContent()).not.toContain(first);
    const push = (secret: string) => pushSignedOrder(stage.apiUrl, shop.id, secret, shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]));
    expect((await push(first)).status).toBe(202);

    const rotate = async () => {
      await page.getByTestId(`distributor-rotate-${shop.id}`).click();
      await confirmPopup(page);
      const secret = (await page.getByTestId('shown-once-secret').textContent())!.trim();
      await closeSecret();
      return secret;
    };
    const second = await rotate();
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    expect((await push(second)).status).toBe(202);
    // The previous secret keeps working for 24 hours (pushes in flight), as the api documents …
    expect((await push(first)).status).toBe(202);
    // … and one rotation later it no longer signs anything.
    const third = await rotate();
    expect((await push(third)).status).toBe(202);
    expect((await push(first)).status).toBe(401);
    await screenshot(page, 'distributor-shops');
  });
});
