import { MikroORM, RequestContext } from '@mikro-orm/core';
import { ProductionRunSweepService } from '@gongxiao/fulfillment';
import { signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { settledScreenshot } from '../../support/console-warehouse';
import { expectStatus, PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';

const DAY = 86_400_000;

/**
 * 生产批次 (made to order) in a real browser: the factory makes its T-shirt made to order (minimum batch
 * 5); a shop orders 2, which wait in an open run with no stock; a sweep with a fake clock closes the run
 * at its cut-off. The factory opens 生产批次 from the menu, sees the run 待确认 with 2 units below its
 * minimum and their demand (无定制), confirms it ticking 低于起订量仍生产, and sees it 已确认 with a
 * promised ship date; the distributor's order then shows 预计发货 with that date.
 */
describe('Console warehouse: production runs (生产批次)', () => {
  const stage = useStage({ listen: true, worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;

  const closeDue = (at: Date) => RequestContext.create(stage.api.app.get(MikroORM).em, () => stage.api.app.get(ProductionRunSweepService).closeDue(at));

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api, { stock: 0 });
  }, 90_000);

  it('lets the factory confirm a closed run below its minimum, giving its orders a promised ship date', async () => {
    const terms = { leadTimeDays: 7, minBatchUnits: 5, cutoffWeekdays: [1, 2, 3, 4, 5, 6, 7], cutoffTime: '23:59' };
    expectStatus(await stage.api.put(`/v1/offers/${network.offers.factoryTshirt}/made-to-order`, terms, network.factory.token), 200);
    const order = shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }], { name: '按单生产' });
    const push = await stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
    expectStatus(push, 202);
    const routed = await orderRouted(stage.api, network, push.body.id);
    expect(routed).toMatchObject({ status: 'routed', inProduction: true, promisedShipDate: null });
    const waiting = await stage.api.get(`/v1/fulfillment-orders/${routed.lines[0].fulfillmentOrderId}`, network.factory.token);
    expect(waiting.body.status).toBe('awaiting_production');
    const runId: string = waiting.body.productionRunId;
    expect(await closeDue(new Date(Date.now() + 8 * DAY))).toBeGreaterThanOrEqual(1);

    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    // The offer's 按单生产 card shows the terms set through the api.
    await page.goto(`/console/offers/published/${network.offers.factoryTshirt}`);
    const card = page.getByTestId('offer-made-to-order-terms');
    await card.getByText('周一、周二、周三、周四、周五、周六、周日').waitFor();
    expect(await card.textContent()).toMatch(/7 天.*5 件.*不限.*23:59/);
    await settledScreenshot(page, 'offers-made-to-order');

    await page.getByTestId('menu-warehouse-production-runs').click();
    const row = page.getByTestId(`production-run-row-${runId}`);
    await row.waitFor();
    await page.getByTestId(`production-run-status-${runId}`).getByText('待确认').waitFor();
    expect(await page.getByTestId(`production-run-units-${runId}`).textContent()).toBe('2 件');
    expect(await row.textContent()).toMatch(/TSHIRT-M.*T-shirt M.*低于起订量/);
    // Expanded: the demand per customization (none here: 无定制).
    await row.locator('.ant-table-row-expand-icon').click();
    await page.getByTestId(`production-run-demand-${runId}`).getByText('无定制').waitFor();
    await settledScreenshot(page, 'warehouse-production-runs');

    await page.getByTestId(`production-run-confirm-${runId}`).click();
    await page.getByTestId('production-run-below-warning').waitFor();
    const ok = page.getByTestId('production-run-confirm-ok');
    expect(await ok.isDisabled()).toBe(true);
    await page.getByTestId('production-run-below-minimum').check();
    await ok.click();
    await page.getByTestId(`production-run-status-${runId}`).getByText('已确认').waitFor();
    const promised = (await page.getByTestId(`production-run-promised-${runId}`).textContent()) ?? '';
    expect(promised).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const confirmed = await stage.api.get(`/v1/production-runs/${runId}`, network.factory.token);
    expectStatus(confirmed, 200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', units: 2, producedBelowMinimum: true, promisedShipDate: promised });
    expect((await stage.api.get(`/v1/fulfillment-orders/${routed.lines[0].fulfillmentOrderId}`, network.factory.token)).body).toMatchObject({ status: 'new', promisedShipDate: promised });

    // The distributor's order shows the promised date.
    const distributor = await browser.open(stage.apiUrl);
    await signInInBrowser(distributor.page, network.distributor.email, PASSWORD);
    await distributor.page.goto(`/console/distributor/orders/${push.body.id}`);
    await distributor.page.getByTestId(`distributor-order-promised-${order.externalOrderId}`).getByText(`预计发货 ${promised}`).waitFor();
  }, 120_000);
});
