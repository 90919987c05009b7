import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { homeCard } from '../../support/console-network';
import { expectStatus, PASSWORD, signUp } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';
import { eventually } from '../../support/webhook-sink';

/** "2026-12-01" in the merchants' time zone (Asia/Shanghai). */
const localDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);

/**
 * The home screen: figures fetched from the api, each linking to its filtered list; only the cards
 * the member's permissions allow; a getting-started checklist for a merchant with nothing yet.
 */
describe('Console: home cards by role', () => {
  const stage = useStage({ listen: true, worker: 'in-process' });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
    const push = (order: ReturnType<typeof shopOrder>) => stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
    const routed = await push(shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]));
    expectStatus(routed, 202);
    await orderRouted(stage.api, network, routed.body.id);
    const held = await push(shopOrder([{ code: 'NO-SUCH-SKU', quantity: 1, unitPrice: 1000 }]));
    await orderRouted(stage.api, network, held.body.id);
  });

  it("shows the supplier today's orders from its inbox, linking to the inbox filtered by today's date", async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    const today = await homeCard(page, 'today-orders');
    expect(Number(today.count)).toBeGreaterThanOrEqual(1);
    expect(today.href).toMatch(/^\/console\/warehouse\/inbox\?createdFrom=\d{4}-\d\d-\d\dT/);
    const unshipped = await homeCard(page, 'unshipped-new');
    expect(unshipped.count).toBe('0');
    expect(unshipped.href).toContain('/warehouse/inbox?status=new&createdTo=');
    expect((await homeCard(page, 'statements')).href).toBe('/console/finance/statements?side=payable&status=issued');
    // A factory with no shops sees no distributor cards.
    expect(await page.getByTestId('home-card-exceptions').count()).toBe(0);
    await screenshot(page, 'home-supplier');
    await page.getByTestId('home-card-today-orders').click();
    await page.waitForURL(/\/console\/warehouse\/inbox\?createdFrom=/);
    expect(await page.getByTestId('inbox-filter-from').inputValue()).toBe(localDay(new Date()));

    // 超 48 小时: createdTo is an instant, not a day: shown as a removable tag, not as a wrong day.
    await page.goto('/console');
    await page.getByTestId('home-card-unshipped-new').click();
    await page.waitForURL(/createdTo=/);
    await page
      .getByTestId('inbox-filter-to-instant')
      .getByText(/^创建于 \d{4}-\d\d-\d\d \d\d:\d\d.* 之前$/)
      .waitFor();
    expect(await page.getByTestId('inbox-filter-to').inputValue()).toBe('');
    await page.getByTestId('inbox-filter-to-instant').locator('.ant-tag-close-icon').click();
    await page.waitForURL((url) => !url.search.includes('createdTo') && url.search.includes('status=new'));
  }, 60_000);

  it('shows the distributor its exception to fix, linking to the exception list', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.distributor.email, PASSWORD);
    const exceptions = await homeCard(page, 'exceptions');
    expect(exceptions.count).toBe('1');
    expect(exceptions.href).toBe('/console/distributor/orders?status=exception');
    expect(Number((await homeCard(page, 'shop-orders-today')).count)).toBe(2);

    // 今日店铺订单 sets only createdFrom: the picker shows that day alone, and the filter can be cleared.
    await page.getByTestId('home-card-shop-orders-today').click();
    await page.waitForURL(/\/console\/distributor\/orders\?createdFrom=/);
    // The range picker puts its test id on both of its inputs.
    const dates = page.locator('[data-testid="distributor-orders-dates"] input, input[data-testid="distributor-orders-dates"]');
    await eventually(async () => (await dates.first().inputValue()) === localDay(new Date()), 10_000, 'the picker shows today');
    expect(await dates.nth(1).inputValue()).toBe('');
    await page.getByTestId('distributor-orders-clear').click();
    await page.waitForURL((url) => !url.search.includes('createdFrom'));
    await eventually(async () => (await dates.first().inputValue()) === '', 10_000, 'the picker is empty');
  }, 60_000);

  it('shows a new merchant its getting-started checklist, and its warehouse member no finance card', async () => {
    const fresh = await signUp(stage.api, '新开张小店', '周一', `fresh-${Date.now()}@home.example`);
    const member = await stage.api.post('/v1/members', { email: `wh-${Date.now()}@home.example`, name: '仓管', role: 'warehouse', password: PASSWORD }, fresh.token);
    expectStatus(member, 201);
    const owner = await browser.open(stage.apiUrl);
    await signInInBrowser(owner.page, fresh.email, PASSWORD);
    await owner.page.getByTestId('home-getting-started').waitFor();
    await owner.page.getByTestId('home-step-partners').getByText('去完成').waitFor();
    await owner.page.getByTestId('home-card-statements').waitFor();
    await screenshot(owner.page, 'home-getting-started');

    const warehouse = await browser.open(stage.apiUrl);
    await signInInBrowser(warehouse.page, member.body.email, PASSWORD);
    await homeCard(warehouse.page, 'returns-pending');
    expect(await warehouse.page.getByTestId('home-card-statements').count()).toBe(0);
    // No warehouse yet: no inbox cards, and the checklist says where to start.
    expect(await warehouse.page.getByTestId('home-card-today-orders').count()).toBe(0);
  }, 60_000);
});
