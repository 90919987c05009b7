import { Page } from 'playwright-core';
import { cancelOrderInPage, confirmPopup, listOfferInPage, openDistributorOrder, pushSignedOrder, waitForTracking } from '../../support/console-distributor';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { expectError, expectStatus, PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';
import { eventually } from '../../support/webhook-sink';

/**
 * The distributor's orders in a real browser: a shop's signed push appears in its orders page with
 * the price it pays per line; the supplier's shipment shows up as tracking per line without a
 * reload; it cancels an order in the page; an exception shows its reason and the retry works once
 * the listing exists.
 */
describe('Console: the distributor follows its orders', () => {
  const stage = useStage({ listen: true, worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;
  let page: Page;
  /** The order of the first story, shipped in part: the return story goes on with it. */
  let shippedOrderId = '';

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
    ({ page } = await browser.open(stage.apiUrl));
    await signInInBrowser(page, network.distributor.email, PASSWORD);
  }, 60_000);

  it('shows a pushed order with the price it pays per line, then the tracking the supplier records', async () => {
    const order = shopOrder([
      { code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt },
      { code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney },
    ]);
    const receipt = await pushSignedOrder(stage.apiUrl, network.shop.id, network.shop.secret, order);
    expect(receipt.status).toBe(202);
    await orderRouted(stage.api, network, receipt.body.id);

    await page.goto('/console/distributor/orders');
    const row = page.getByTestId(`distributor-order-row-${order.externalOrderId}`);
    await row.getByText('已路由').waitFor();
    expect(await row.textContent()).toContain('Happy Home Youzan');
    await page.locator('.ant-spin-spinning').waitFor({ state: 'detached' });
    await screenshot(page, 'distributor-orders');

    await openDistributorOrder(page, order.externalOrderId);
    // The price it pays its own sellers (the broker's ¥40.00, the farm's ¥25.00), never the factory's ¥30.00 upstream.
    expect(await page.getByTestId('distributor-line-price-1').textContent()).toBe('¥40.00');
    expect(await page.getByTestId('distributor-line-price-2').textContent()).toBe('¥25.00');
    expect(await page.getByTestId('distributor-line-1').textContent()).toContain('Hangzhou Bridge Trading');
    expect(await page.getByTestId('distributor-line-2').textContent()).toContain('Mountain Honey Farm');
    expect(await page.locator('main, body').first().textContent()).not.toContain('¥30.00');
    expect(await page.getByTestId('distributor-line-1').textContent()).toContain('未发货');

    // The factory ships the T-shirts through the api; the page shows the tracking on its next poll.
    const detail = await stage.api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token);
    const tshirtLine = detail.body.lines.find((line: { lineNo: number }) => line.lineNo === 1);
    expect(tshirtLine.fulfillmentOrderId).toEqual(expect.any(String));
    expectStatus(await stage.api.post(`/v1/fulfillment-orders/${tshirtLine.fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF123456789012' }, network.factory.token), 201);
    await waitForTracking(page, 'SF123456789012', '顺丰速运');
    expect(await page.getByTestId('distributor-line-tracking-1').textContent()).toContain('顺丰速运');
    expect(await page.getByTestId('distributor-line-2').textContent()).toContain('未发货');
    await page.getByTestId('distributor-order-status').getByText('部分发货').waitFor();
    await screenshot(page, 'distributor-order');
    shippedOrderId = receipt.body.id;
  });

  it('opens a return for a shipped unit in the page, follows it in the returns list and withdraws it', async () => {
    await openDistributorOrder(page, shippedOrderId);
    await page.getByTestId('distributor-open-return').click();
    await page.getByTestId('distributor-return-reason').fill('尺码不合适');
    await page.getByTestId('distributor-return-qty-1').fill('1');
    await page.getByTestId('distributor-return-submit').click();
    await page.waitForURL(/\/distributor\/returns\?channelOrderId=/);
    const cases = await eventually(async () => {
      const list = await stage.api.get(`/v1/returns?channelOrderId=${shippedOrderId}`, network.distributor.token);
      return list.body.data.length > 0 && list.body.data;
    });
    expect(cases).toHaveLength(1);
    expect(cases[0]).toEqual(expect.objectContaining({ kind: 'return_and_refund', reason: '尺码不合适', lines: [expect.objectContaining({ lineNo: 1, quantity: 1 })] }));
    const row = page.getByTestId(`distributor-return-row-${cases[0].id}`);
    await row.getByText('退货退款').waitFor();
    // What it paid its own seller for the unit (the broker's ¥40.00).
    expect(await row.textContent()).toContain('¥40.00');
    await page.getByTestId(`distributor-return-withdraw-${cases[0].id}`).click();
    await confirmPopup(page);
    await row.getByText('已撤回').waitFor();
    expect((await stage.api.get(`/v1/returns/${cases[0].id}`, network.distributor.token)).body.status).toBe('withdrawn');
  });

  it('cancels an order in the page after confirming, and the api holds it cancelled', async () => {
    const order = shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
    const receipt = await pushSignedOrder(stage.apiUrl, network.shop.id, network.shop.secret, order);
    await orderRouted(stage.api, network, receipt.body.id);
    await openDistributorOrder(page, receipt.body.id);
    await page.getByTestId('distributor-order-status').getByText('已路由').waitFor();

    const outcome = await cancelOrderInPage(page, '顾客不想要了');
    expect(outcome).toContain('订单已取消');
    await page.getByTestId('distributor-order-status').getByText('已取消').waitFor();
    expect(await page.getByTestId('distributor-cancel-order').count()).toBe(0);
    expect((await stage.api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token)).body.status).toBe('cancelled');
  });

  it('shows an exception with its reason in Chinese, and the retry routes it once the listing exists', async () => {
    const order = shopOrder([{ code: 'GIFT-HONEY', quantity: 1, unitPrice: 4800 }]);
    const receipt = await pushSignedOrder(stage.apiUrl, network.shop.id, network.shop.secret, order);
    const held = await orderRouted(stage.api, network, receipt.body.id);
    expect(held).toEqual(expect.objectContaining({ status: 'exception', exceptionCode: 'unknown_shop_sku' }));

    // The list's filters the page uses: the exception code, and received-at bounds (instants of local days).
    const byCode = await stage.api.get('/v1/channel-orders?status=exception&exceptionCode=unknown_shop_sku', network.distributor.token);
    expect(byCode.body.data.map((entry: { id: string }) => entry.id)).toEqual([receipt.body.id]);
    expect((await stage.api.get('/v1/channel-orders?exceptionCode=insufficient_funds', network.distributor.token)).body.data).toEqual([]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    expect((await stage.api.get(`/v1/channel-orders?createdFrom=${tomorrow}`, network.distributor.token)).body.data).toEqual([]);
    expect((await stage.api.get(`/v1/channel-orders?createdTo=${tomorrow}&status=exception`, network.distributor.token)).body.data).toHaveLength(1);
    expectError(await stage.api.get('/v1/channel-orders?createdFrom=yesterday', network.distributor.token), 400, 'validation_failed', 'createdFrom');
    await page.goto(`/console/distributor/orders?createdFrom=${encodeURIComponent(tomorrow)}&createdTo=${encodeURIComponent(new Date(Date.now() + 2 * 86_400_000).toISOString())}`);
    await page.getByText('没有符合筛选条件的订单。').waitFor();

    // A link from the home page: the filtered list, its filter shown in the select.
    await page.goto('/console/distributor/orders?status=exception');
    await page.getByTestId(`distributor-order-row-${order.externalOrderId}`).getByText('未上架商品').waitFor();
    expect(await page.getByTestId('distributor-orders-status').textContent()).toContain('异常');

    await page.goto('/console/distributor/exceptions');
    const row = page.getByTestId(`distributor-exception-row-${order.externalOrderId}`);
    await row.getByText('店铺商品编码没有对应的上架商品').waitFor();

    await listOfferInPage(page, { offerText: 'Honey 500 g', shopName: 'Happy Home Youzan', retailPrice: '48', sku: 'GIFT-HONEY' });
    await page.goto('/console/distributor/exceptions');
    await page.getByTestId(`distributor-retry-${receipt.body.id}`).click();
    await eventually(async () => (await stage.api.get(`/v1/channel-orders/${receipt.body.id}`, network.distributor.token)).body.status === 'routed', 20_000, 'the retried order routed');
    await row.waitFor({ state: 'detached' });
    await openDistributorOrder(page, receipt.body.id);
    expect(await page.getByTestId('distributor-line-price-1').textContent()).toBe('¥25.00');
  });

  it('shows an address it could not normalize: a 地址待核对 tag in the list and the warning on the order', async () => {
    const order = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }], { province: 'Narnia', city: 'Cair Paravel', district: 'East' });
    const receipt = await pushSignedOrder(stage.apiUrl, network.shop.id, network.shop.secret, order);
    expect((await orderRouted(stage.api, network, receipt.body.id)).status).toBe('routed');

    await page.goto('/console/distributor/orders');
    const row = page.getByTestId(`distributor-order-row-${order.externalOrderId}`);
    await row.getByTestId('distributor-address-warning-tag').getByText('地址待核对').waitFor();
    await openDistributorOrder(page, receipt.body.id);
    const warning = page.getByTestId('distributor-address-warning-province_unknown');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('无法识别省份“Narnia”');
    // An order whose address was normalized shows none.
    await openDistributorOrder(page, shippedOrderId);
    await page.getByTestId('distributor-line-1').waitFor();
    expect(await page.getByTestId('distributor-address-warnings').count()).toBe(0);
  });
});
