import { signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { openInbox } from '../../support/console-warehouse';
import { expectStatus, PASSWORD, withDatabase } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';

/**
 * Service standards in a real browser: the supplier's inbox tags an order past its ship-by 超时未发货
 * and its filter shows only that one; the distributor's order list does the same for its order; the
 * 服务指标 screen shows the supplier's figures per SKU and switches scope.
 */
describe('Console: service standards (超时未发货, 服务指标)', () => {
  const stage = useStage({ listen: true, worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;
  const orders: { channelOrderId: string; externalOrderId: string; fulfillmentOrderId: string }[] = [];

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
    for (const city of ['温州市', '宁波市']) {
      const order = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }], { city });
      const push = await stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
      expectStatus(push, 202);
      const routed = await orderRouted(stage.api, network, push.body.id);
      orders.push({ channelOrderId: push.body.id, externalOrderId: order.externalOrderId, fulfillmentOrderId: routed.lines[0].fulfillmentOrderId });
    }
    expectStatus(await stage.api.post(`/v1/fulfillment-orders/${orders[1].fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF100000000901' }, network.factory.token), 201);
    // The first order's 48 hours have run out (the clock moved by hand).
    await withDatabase(stage.database.url, (client) => client.query(`update fulfillment_order set ship_by = now() - interval '1 hour' where id = $1`, [orders[0].fulfillmentOrderId]));
  });

  it('tags and filters the overdue order in the supplier inbox and the distributor’s orders', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await openInbox(page);
    await page.getByTestId(`inbox-overdue-${orders[0].fulfillmentOrderId}`).waitFor();
    expect(await page.getByTestId(`inbox-overdue-${orders[0].fulfillmentOrderId}`).textContent()).toBe('超时未发货');
    expect(await page.getByTestId(`inbox-overdue-${orders[1].fulfillmentOrderId}`).count()).toBe(0);
    await page.getByTestId('inbox-filter-overdue').click();
    await page.waitForURL(/overdue=true/);
    await page.locator(`tr[data-testid="inbox-row-${orders[1].fulfillmentOrderId}"]`).waitFor({ state: 'detached' });
    expect(await page.locator('tr[data-testid^="inbox-row-"]').count()).toBe(1);

    const distributor = await browser.open(stage.apiUrl);
    await signInInBrowser(distributor.page, network.distributor.email, PASSWORD);
    await distributor.page.goto('/console/distributor/orders?overdue=true');
    await distributor.page.getByTestId(`distributor-order-overdue-${orders[0].externalOrderId}`).waitFor();
    expect(await distributor.page.locator('tr[data-testid^="distributor-order-row-"]').count()).toBe(1);
  });

  it('shows the supplier’s scorecard per SKU, with the overdue order counted', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/quality/scorecards');
    const supplierRow = page.getByTestId(`quality-row-${network.factory.merchantId}`);
    await supplierRow.waitFor();
    expect(await supplierRow.textContent()).toContain('Yiwu Sunrise Factory');
    await page.getByTestId('quality-scope').getByText('按商品').click();
    await page.waitForURL(/scope=sku/);
    // Ids of different kinds may be equal: wait for the row that is the SKU's.
    const skuRow = page.locator(`[data-testid="quality-row-${network.skus.tshirt}"]`, { hasText: 'TSHIRT-M' });
    await skuRow.waitFor();
    const text = await skuRow.textContent();
    expect(text).toContain('TSHIRT-M');
    // 2 orders, both due: 1 shipped on time (50.0%), the other overdue now.
    expect(text).toMatch(/TSHIRT-M T-shirt M250\.0%/);
  });
});
