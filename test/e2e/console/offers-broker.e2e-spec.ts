import { periodOf } from '@gongxiao/settlement';
import { exampleTrackingNumber } from '@gongxiao/core';
import { Locator, Page } from 'playwright-core';
import { formatMoney } from '../../../apps/console/src/format';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { confirmInPage, pickOption } from '../../support/console-network';
import { expectStatus, PASSWORD, SignedUpMerchant, waitUntilSettled, withDatabase } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';
import { TestApi } from '../../support/test-environment';
import { eventually } from '../../support/webhook-sink';

/** Fen as the console writes it (¥30.00): the console's own formatter. */
const yuan = (fen: number) => formatMoney(fen, 'CNY');

const currentMonth = periodOf(new Date(), 'Asia/Shanghai').slice(0, 7);
/** Two T-shirts, so that no hop's total equals another hop's unit price. */
const QUANTITY = 2;
const SHOWN = {
  factoryUnit: yuan(PRICES.factoryTshirt), // ¥30.00: what the broker pays the factory
  factoryTotal: yuan(QUANTITY * PRICES.factoryTshirt), // ¥60.00
  brokerUnit: yuan(PRICES.brokerTshirt), // ¥40.00: what the distributor pays the broker
  brokerTotal: yuan(QUANTITY * PRICES.brokerTshirt), // ¥80.00
  margin: yuan(QUANTITY * (PRICES.brokerTshirt - PRICES.factoryTshirt)), // ¥20.00
  retailUnit: yuan(PRICES.retailTshirt), // ¥59.90: what the shop's customer pays
  retailTotal: yuan(QUANTITY * PRICES.retailTshirt), // ¥119.80
};

/** One screen to read: where it is, what proves its data rendered, and the figures it must show. */
interface Visit {
  path: string;
  ready: (page: Page) => Locator[];
  shows: string[];
}

/** The set-up's one shipped order and the statements it ended on. */
interface Shipped {
  externalOrderId: string;
  channelOrderId: string;
  fulfillmentOrderId: string;
  tracking: string;
  /** Factory → broker (the factory's receivable, the broker's payable). */
  upstreamStatement: string;
  /** Broker → distributor (the broker's receivable, the distributor's payable). */
  downstreamStatement: string;
}

/** Opens each screen, waits until its own data has rendered and no spinner is left, and returns its text. */
async function readScreens(page: Page, visits: Visit[]): Promise<{ path: string; text: string; shows: string[] }[]> {
  const read = [];
  for (const visit of visits) {
    await page.goto(`/console${visit.path}`);
    for (const locator of visit.ready(page)) {
      await locator.waitFor().catch((error: Error) => {
        throw new Error(`${visit.path} did not render: ${error.message}`);
      });
    }
    await page
      .locator('.ant-spin-spinning, .ant-skeleton')
      .first()
      .waitFor({ state: 'detached', timeout: 5_000 })
      .catch(() => undefined);
    read.push({ path: visit.path, text: await page.locator('body').innerText(), shows: visit.shows });
  }
  return read;
}

/** Every screen shows its own figures and none of the forbidden ones (each failure names the screen). */
async function expectScreens(page: Page, visits: Visit[], never: string[]): Promise<void> {
  for (const { path, text, shows } of await readScreens(page, visits)) {
    expect({ path, missing: shows.filter((figure) => !text.includes(figure)) }).toEqual({ path, missing: [] });
    expect({ path, leaked: never.filter((figure) => text.includes(figure)) }).toEqual({ path, leaked: [] });
  }
}

const row = (page: Page, testId: string, text: string) => page.getByTestId(testId).filter({ hasText: text });
const statementScreens = (statementId: string, side: 'receivable' | 'payable', total: string, unit: string): Visit[] => [
  { path: `/finance/statements?side=${side}`, ready: (page) => [row(page, `finance-statement-row-${statementId}`, total)], shows: [total] },
  {
    path: `/finance/statements/${statementId}`,
    ready: (page) => [page.getByTestId('finance-statement-total').filter({ hasText: total }), page.locator('tr[data-testid^="finance-entry-"]', { hasText: unit })],
    shows: [total, unit],
  },
];

/** The shop pushes one signed order for two T-shirts; the factory ships it through the api; returns once the ledger has both hops and the worker is idle. */
async function shipTshirts(api: TestApi, databaseUrl: string, network: OrderNetwork): Promise<Omit<Shipped, 'upstreamStatement' | 'downstreamStatement'>> {
  const order = shopOrder([{ code: 'TSHIRT', quantity: QUANTITY, unitPrice: PRICES.retailTshirt }], { city: '宁波市' });
  const receipt = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  expectStatus(receipt, 202);
  expect((await orderRouted(api, network, receipt.body.id)).status).toBe('routed');
  const { rows } = await withDatabase(databaseUrl, (client) =>
    client.query(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [receipt.body.id]),
  );
  expect(rows).toHaveLength(1);
  const fulfillmentOrderId = rows[0].id as string;
  const tracking = exampleTrackingNumber('SF', `${fulfillmentOrderId}${String(Date.now()).slice(-6)}`);
  expectStatus(await api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: tracking }, network.factory.token), 201);
  const charged = async (token: string) => ((await api.get('/v1/settlement/balances?side=receivable', token)).body.data as { charged: { amount: number } }[])[0]?.charged.amount;
  await eventually(
    async () => (await charged(network.factory.token)) === QUANTITY * PRICES.factoryTshirt && (await charged(network.broker.token)) === QUANTITY * PRICES.brokerTshirt,
    20_000,
    'both hops of the parcel are in the ledger',
  );
  await waitUntilSettled(databaseUrl);
  return { externalOrderId: order.externalOrderId, channelOrderId: receipt.body.id, fulfillmentOrderId, tracking };
}

/** The seller closes the month and issues its one statement of it; returns the statement's id. */
async function closeAndIssue(api: TestApi, seller: SignedUpMerchant, expectedDue: number): Promise<string> {
  expectStatus(await api.post(`/v1/settlement/periods/${currentMonth}/close`, {}, seller.token), 200);
  const list = await api.get(`/v1/statements?side=receivable&period=${currentMonth}`, seller.token);
  expect(list.body.data).toEqual([expect.objectContaining({ due: { amount: expectedDue, currency: 'CNY' } })]);
  const statementId = list.body.data[0].id as string;
  expectStatus(await api.post(`/v1/statements/${statementId}/issue`, {}, seller.token), 200);
  return statementId;
}

/** The distributor's screens where prices appear: each shows what it pays the broker (¥40.00 a unit, ¥80.00 in all). */
const distributorScreens = (network: OrderNetwork, shipped: Shipped): Visit[] => [
  {
    path: '/distributor/orders',
    ready: (page) => [row(page, `distributor-order-row-${shipped.externalOrderId}`, SHOWN.retailTotal)],
    shows: [shipped.externalOrderId, SHOWN.retailTotal],
  },
  {
    path: `/distributor/orders/${shipped.channelOrderId}`,
    ready: (page) => [
      page.locator('[data-testid^="distributor-line-price-"]', { hasText: SHOWN.brokerUnit }),
      page.locator('[data-testid^="distributor-line-tracking-"]', { hasText: shipped.tracking }),
    ],
    shows: [SHOWN.brokerUnit, SHOWN.retailUnit],
  },
  {
    path: '/distributor/selection',
    ready: (page) => [
      row(page, `distributor-offer-row-${network.offers.brokerTshirt}`, SHOWN.brokerUnit),
      page.locator('[data-testid^="distributor-listing-row-"]', { hasText: SHOWN.retailUnit }).first(),
    ],
    shows: [SHOWN.brokerUnit],
  },
  ...statementScreens(shipped.downstreamStatement, 'payable', SHOWN.brokerTotal, SHOWN.brokerUnit),
  { path: '/finance/balances?side=payable', ready: (page) => [row(page, `finance-balance-${network.broker.merchantId}`, SHOWN.brokerTotal)], shows: [SHOWN.brokerTotal] },
  { path: '/offers/received', ready: (page) => [row(page, `received-row-${network.offers.brokerTshirt}`, SHOWN.brokerUnit)], shows: [SHOWN.brokerUnit] },
  { path: '/network/partners', ready: (page) => [page.getByTestId('my-merchant-id'), page.locator('tr[data-testid^="partner-row-"], [data-testid="empty-state"]').first()], shows: [] },
  { path: '/', ready: (page) => [page.locator('[data-testid^="home-card-"][data-testid$="-count"]').first()], shows: [] },
];

/** The factory's screens: its own price (¥30.00 a unit, ¥60.00 in all) where it shows money, and the order itself where it does not. */
const factoryScreens = (network: OrderNetwork, shipped: Shipped): Visit[] => [
  { path: '/warehouse/inbox', ready: (page) => [row(page, `inbox-row-${shipped.fulfillmentOrderId}`, '宁波市')], shows: [`T-shirt M ×${QUANTITY}`] },
  {
    path: `/warehouse/inbox/${shipped.fulfillmentOrderId}`,
    ready: (page) => [page.getByTestId('order-line-TSHIRT-M'), page.getByTestId(`order-shipment-${shipped.tracking}`)],
    shows: [shipped.tracking],
  },
  ...statementScreens(shipped.upstreamStatement, 'receivable', SHOWN.factoryTotal, SHOWN.factoryUnit),
  { path: '/finance/balances?side=receivable', ready: (page) => [row(page, `finance-balance-${network.broker.merchantId}`, SHOWN.factoryTotal)], shows: [SHOWN.factoryTotal] },
  { path: '/offers/published', ready: (page) => [row(page, `offer-row-${network.offers.factoryTshirt}`, SHOWN.factoryUnit)], shows: [SHOWN.factoryUnit] },
  {
    path: `/offers/published/${network.offers.factoryTshirt}`,
    ready: (page) => [page.getByTestId('offer-price').filter({ hasText: SHOWN.factoryUnit }), page.getByTestId('cap-save')],
    shows: [SHOWN.factoryUnit],
  },
  { path: '/offers/received', ready: (page) => [page.getByTestId('current-merchant')], shows: [] },
  { path: '/network/partners', ready: (page) => [page.getByTestId('my-merchant-id'), page.locator('tr[data-testid^="partner-row-"], [data-testid="empty-state"]').first()], shows: [] },
  { path: '/', ready: (page) => [page.locator('[data-testid^="home-card-"][data-testid$="-count"]').first()], shows: [] },
];

/** The broker's screens: both its buy price (¥30.00) and its sell price (¥40.00), its margin, and never the retail price. */
const brokerScreens = (network: OrderNetwork, shipped: Shipped): Visit[] => [
  ...statementScreens(shipped.upstreamStatement, 'payable', SHOWN.factoryTotal, SHOWN.factoryUnit),
  ...statementScreens(shipped.downstreamStatement, 'receivable', SHOWN.brokerTotal, SHOWN.brokerUnit),
  {
    path: '/finance/margins',
    ready: (page) => [
      page.locator('.ant-table-row', { hasText: 'TSHIRT-M' }).filter({ hasText: SHOWN.margin }),
      page.locator('.ant-table-row', { hasText: 'Happy Home Stores' }).filter({ hasText: SHOWN.brokerTotal }),
      page.locator('.ant-table-row', { hasText: 'Yiwu Sunrise Factory' }).filter({ hasText: SHOWN.factoryTotal }),
    ],
    shows: [SHOWN.brokerTotal, SHOWN.factoryTotal, SHOWN.margin],
  },
  { path: '/finance/balances?side=receivable', ready: (page) => [row(page, `finance-balance-${network.distributor.merchantId}`, SHOWN.brokerTotal)], shows: [SHOWN.brokerTotal] },
  { path: '/finance/balances?side=payable', ready: (page) => [row(page, `finance-balance-${network.factory.merchantId}`, SHOWN.factoryTotal)], shows: [SHOWN.factoryTotal] },
  { path: '/offers/received', ready: (page) => [row(page, `received-row-${network.offers.factoryTshirt}`, SHOWN.factoryUnit)], shows: [SHOWN.factoryUnit, SHOWN.brokerUnit] },
  { path: '/offers/published', ready: (page) => [row(page, `offer-row-${network.offers.brokerTshirt}`, SHOWN.brokerUnit)], shows: [SHOWN.brokerUnit] },
];

/**
 * Story 5 on the broker's pages: the broker sees what it pays the factory and what it charges
 * downstream and re-shares an offer at its own price. With one shop order for two T-shirts shipped
 * and the month closed and issued by the factory and the broker, every screen where prices appear
 * (orders, inbox, selection, statements, balances, margins, offers) is read once its own data has
 * rendered: the distributor's never show the factory's price, the factory's never show the broker's
 * or the retail price, and the broker's show both its prices but never the retail one.
 */
describe('Console: offers along a chain (factory → broker → distributor)', () => {
  const stage = useStage({ listen: true, worker: 'in-process' });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;
  let shipped: Shipped;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api, { stock: 100 });
    const parcel = await shipTshirts(stage.api, stage.database.url, network);
    const upstreamStatement = await closeAndIssue(stage.api, network.factory, QUANTITY * PRICES.factoryTshirt);
    const downstreamStatement = await closeAndIssue(stage.api, network.broker, QUANTITY * PRICES.brokerTshirt);
    shipped = { ...parcel, upstreamStatement, downstreamStatement };
  }, 90_000);

  const signedIn = async (member: SignedUpMerchant) => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, member.email, PASSWORD);
    return page;
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

  it("never shows the factory's price on the distributor's pages, though they show what it pays the broker", async () => {
    const page = await signedIn(network.distributor);
    await expectScreens(page, distributorScreens(network, shipped), [SHOWN.factoryUnit, SHOWN.factoryTotal]);
  }, 60_000);

  it("never shows the retail price nor the broker's prices on the factory's pages, though they show its own", async () => {
    const page = await signedIn(network.factory);
    await expectScreens(page, factoryScreens(network, shipped), [SHOWN.retailUnit, SHOWN.retailTotal, SHOWN.brokerUnit, SHOWN.brokerTotal, SHOWN.margin, '¥45.00']);
    await page.goto(`/console/offers/published/${network.offers.factoryTshirt}`);
    await page.getByTestId('offer-price').waitFor();
    await page.getByTestId('cap-save').waitFor();
    await screenshot(page, 'offers-detail');
  }, 60_000);

  it('shows the broker both what it pays and what it charges, and its margin, but never the retail price', async () => {
    const page = await signedIn(network.broker);
    await expectScreens(page, brokerScreens(network, shipped), [SHOWN.retailUnit, SHOWN.retailTotal]);
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
