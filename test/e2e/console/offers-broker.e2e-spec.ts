import { Page } from 'playwright-core';
import { formatMoney } from '../../../apps/console/src/format';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { confirmInPage, pickOption } from '../../support/console-network';
import { PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES } from '../../support/order-network';
import { useStage } from '../../support/stage';

/** Fen as the console writes it (¥30.00): the console's own formatter. */
const yuan = (fen: number) => formatMoney(fen, 'CNY');

/**
 * Story 5 on the broker's pages: the broker sees what it pays the factory and what it charges
 * downstream and re-shares an offer at its own price; the distributor's pages never show the
 * factory's price, and the factory's pages never show the retail price.
 */
describe('Console: offers along a chain (factory → broker → distributor)', () => {
  const stage = useStage({ listen: true, worker: 'in-process' });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
  });

  const pageTexts = async (page: Page, paths: string[], ready: string) => {
    const texts: string[] = [];
    for (const path of paths) {
      await page.goto(`/console${path}`);
      await page.getByTestId(ready).waitFor();
      await page
        .locator('.ant-spin-spinning, .ant-skeleton')
        .first()
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      await page.waitForLoadState('networkidle');
      texts.push(await page.locator('body').innerText());
    }
    return texts;
  };

  it('shows the broker the price it pays and its re-share price, and re-shares in the page', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.broker.email, PASSWORD);
    await page.goto('/console/offers/received');
    const tshirt = page.getByTestId(`received-row-${network.offers.factoryTshirt}`);
    await tshirt.getByText(yuan(PRICES.factoryTshirt)).waitFor();
    await tshirt.getByTestId(`received-reshare-${network.offers.factoryTshirt}`).getByText(yuan(PRICES.brokerTshirt)).waitFor();
    await page.getByTestId(`received-row-${network.offers.factoryMug}`).getByText(yuan(PRICES.brokerMug)).waitFor();

    await page.getByTestId(`received-reshare-button-${network.offers.factoryTshirt}`).click();
    await pickOption(page, 'reshare-buyer', 'Happy Home Stores');
    await page.getByTestId('reshare-price').fill('45');
    await page.getByTestId('reshare-shipping').fill('3.5');
    await page.getByTestId('reshare-submit').click();
    await page.getByTestId('reshare-done').getByText('¥45.00').waitFor();
    await tshirt.getByTestId(`received-reshare-${network.offers.factoryTshirt}`).getByText('¥45.00').waitFor();
    await page.getByTestId('reshare-submit').waitFor({ state: 'hidden' });
    await screenshot(page, 'offers-received');

    const own = await stage.api.get('/v1/offers?status=active', network.broker.token);
    expect(own.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'reshare',
          upstreamOfferId: network.offers.factoryTshirt,
          buyerMerchantId: network.distributor.merchantId,
          price: { amount: 4500, currency: 'CNY' },
          shippingFee: { amount: 350, currency: 'CNY' },
          cost: { amount: PRICES.factoryTshirt, currency: 'CNY' },
        }),
      ]),
    );
    // The distributor now receives the broker's new offer at the broker's price.
    const available = await stage.api.get('/v1/available-offers', network.distributor.token);
    expect(available.body.data.map((offer: { price: { amount: number } }) => offer.price.amount)).toContain(4500);
  }, 60_000);

  it("never shows the factory's price on the distributor's pages, nor the retail price on the factory's", async () => {
    const distributor = await browser.open(stage.apiUrl);
    await signInInBrowser(distributor.page, network.distributor.email, PASSWORD);
    await distributor.page.goto('/console/offers/received');
    await distributor.page.getByTestId(`received-row-${network.offers.brokerTshirt}`).getByText(yuan(PRICES.brokerTshirt)).waitFor();
    const distributorTexts = await pageTexts(distributor.page, ['/offers/received', '/offers/published', '/network/partners', '/'], 'current-merchant');
    for (const text of distributorTexts) expect(text).not.toContain(yuan(PRICES.factoryTshirt));
    expect(distributorTexts[0]).toContain(yuan(PRICES.brokerTshirt));

    const factory = await browser.open(stage.apiUrl);
    await signInInBrowser(factory.page, network.factory.email, PASSWORD);
    await factory.page.goto('/console/offers/published');
    await factory.page.getByTestId(`offer-row-${network.offers.factoryTshirt}`).getByText(yuan(PRICES.factoryTshirt)).waitFor();
    await factory.page.goto(`/console/offers/published/${network.offers.factoryTshirt}`);
    await factory.page.getByTestId('offer-price').getByText(yuan(PRICES.factoryTshirt)).waitFor();
    const factoryTexts = await pageTexts(factory.page, ['/offers/published', `/offers/published/${network.offers.factoryTshirt}`, '/offers/received', '/network/partners', '/'], 'current-merchant');
    for (const text of factoryTexts) {
      expect(text).not.toContain(yuan(PRICES.retailTshirt));
      expect(text).not.toContain(yuan(PRICES.brokerTshirt));
    }
    expect(factoryTexts[0]).toContain(yuan(PRICES.factoryTshirt));
    await factory.page.goto(`/console/offers/published/${network.offers.factoryTshirt}`);
    await factory.page.getByTestId('offer-price').waitFor();
    await factory.page.getByTestId('cap-save').waitFor();
    await screenshot(factory.page, 'offers-detail');
  }, 60_000);

  it("caps what the broker may sell of the factory's T-shirt (fixed units), which the broker then sees as available, and removes the cap", async () => {
    const factory = await browser.open(stage.apiUrl);
    await signInInBrowser(factory.page, network.factory.email, PASSWORD);
    await factory.page.goto(`/console/offers/published/${network.offers.factoryTshirt}`);
    await pickOption(factory.page, 'cap-partner', 'Hangzhou Bridge Trading');
    await factory.page.getByTestId('cap-value').fill('50');
    await factory.page.getByTestId('cap-save').click();
    const capRow = factory.page.locator('tr[data-testid^="cap-row-"]', { hasText: 'Hangzhou Bridge Trading' });
    await capRow.getByText('50 件').waitFor();
    const caps = await stage.api.get('/v1/allocation-caps', network.factory.token);
    expect(caps.body.data).toEqual([expect.objectContaining({ buyerMerchantId: network.broker.merchantId, skuId: network.skus.tshirt, kind: 'fixed', value: 50 })]);

    const broker = await browser.open(stage.apiUrl);
    await signInInBrowser(broker.page, network.broker.email, PASSWORD);
    await broker.page.goto('/console/offers/received');
    await broker.page.getByTestId(`received-row-${network.offers.factoryTshirt}`).getByText('50 件').waitFor();

    await capRow.locator('[data-testid^="cap-remove-"]').click();
    await confirmInPage(factory.page);
    await capRow.waitFor({ state: 'detached' });
    expect((await stage.api.get('/v1/allocation-caps', network.factory.token)).body.data).toEqual([]);
  }, 60_000);

  it('reads entirely in English on the switch (no Chinese left on the broker pages)', async () => {
    const { page } = await browser.open(stage.apiUrl, { language: 'en' });
    await signInInBrowser(page, network.broker.email, PASSWORD);
    for (const [path, title] of [
      ['/offers/received', 'Offers I receive'],
      ['/offers/published', 'Offers I publish'],
      [`/offers/published/${network.offers.brokerTshirt}`, 'Allocation caps'],
      ['/network/partners', 'Invite codes'],
      ['/network/members', 'Members & roles'],
      ['/network/api-keys', 'API keys'],
      ['/', 'Hello, Wang'],
    ]) {
      await page.goto(`/console${path}`);
      await page.getByText(title).first().waitFor();
      await page.waitForLoadState('networkidle');
      expect({ path, text: (await page.locator('main, .ant-layout-content').first().innerText()).match(/[\u4e00-\u9fff]+/g) }).toEqual({ path, text: null });
    }
  }, 60_000);
});
