import { MikroORM, RequestContext } from '@mikro-orm/core';
import { ReturnAutoApprovalService } from '@gongxiao/aftersales';
import { confirmAndWaitClosed, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { cny, expectStatus, PASSWORD, withDatabase } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { settledScreenshot } from '../../support/console-warehouse';
import { useStage } from '../../support/stage';
import { eventually } from '../../support/webhook-sink';
import type { Page } from 'playwright-core';

/**
 * The supplier's stock and return screens in a real browser: pasted stock lines sent in one
 * batch (a refused line named with its reason, nothing applied, then the rest applied), and a
 * return case approved, received (one unit of two restocked) and partly refunded from its page, then
 * topped up; a waiting case's deadline, and 系统自动同意 once the sweep approved it.
 */
describe('Console warehouse: bulk stock updates, return cases, interceptions and the catalog', () => {
  const stage = useStage({ listen: true, worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;

  const level = async (warehouseId: string, skuId: string) => {
    const response = await stage.api.get(`/v1/stock-levels?warehouseId=${warehouseId}&skuId=${skuId}`, network.factory.token);
    expectStatus(response, 200);
    return response.body.data[0] as { onHand: number; available: number };
  };
  const confirm = async (page: Page, testId: string) => {
    await page.getByTestId(testId).click();
    const popover = page.locator('.ant-popover:visible').last();
    await confirmAndWaitClosed(popover, popover.locator('.ant-btn-primary'));
  };

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api, { stock: 100 });
  });

  it('sends pasted stock lines in one batch: a refused line shows the reason and nothing changes; without it, the levels change', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/warehouse/stock');
    await page.getByTestId('stock-row-ZJ-TSHIRT-M').waitFor();
    expect(await page.getByTestId('stock-row-ZJ-TSHIRT-M').getByTestId('stock-onhand').textContent()).toBe('100');

    await page.getByTestId('stock-bulk-text').fill(['TSHIRT-M,ZJ,321', 'MUG-350，GD，+5', 'NO-SUCH-SKU,ZJ,3', 'MUG-350,ZJ,many'].join('\n'));
    // The malformed line is caught in the page and not sent.
    expect(await page.getByTestId('stock-bulk-row-4').textContent()).toContain('数量应为整数');
    await page.getByTestId('stock-bulk-submit').click();
    await page.getByTestId('stock-bulk-row-3').filter({ hasText: '被拒绝' }).waitFor();
    expect(await page.getByTestId('stock-bulk-row-3').textContent()).toContain('没有这个 SKU 编码');
    expect(await page.getByTestId('api-error').textContent()).toContain('nothing was changed');
    expect((await level(network.warehouses.zhejiang, network.skus.tshirt)).onHand).toBe(100);

    await page.getByTestId('stock-bulk-drop-rejected').click();
    expect(await page.getByTestId('stock-bulk-text').inputValue()).toBe('TSHIRT-M,ZJ,321\nMUG-350，GD，+5');
    await page.getByTestId('stock-bulk-submit').click();
    await page.getByTestId('stock-bulk-applied').waitFor();
    expect(await page.getByTestId('stock-bulk-applied').textContent()).toContain('已更新 2 行库存');
    expect((await level(network.warehouses.zhejiang, network.skus.tshirt)).onHand).toBe(321);
    expect((await level(network.warehouses.guangdong, network.skus.mug)).onHand).toBe(105);
    await page.getByTestId('stock-row-ZJ-TSHIRT-M').getByTestId('stock-onhand').filter({ hasText: '321' }).waitFor();
    await settledScreenshot(page, 'warehouse-stock');
  }, 60_000);

  it('approves, receives (one of two units restocked), partly refunds and then tops up a return case from its page', async () => {
    // A shipped order whose parcel was delivered nine days ago: past the window, so the supplier decides.
    const receipt = await stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]), network.shop.secret);
    expectStatus(receipt, 202);
    await orderRouted(stage.api, network, receipt.body.id);
    const inbox = await stage.api.get('/v1/fulfillment-orders?status=new', network.factory.token);
    const fulfillmentOrderId = inbox.body.data[0].id as string;
    expectStatus(await stage.api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF400000000001' }, network.factory.token), 201);
    await withDatabase(stage.database.url, (client) => client.query(`update shipment set created_at = now() - interval '10 days' where fulfillment_order_id = $1`, [fulfillmentOrderId]));
    const shipment = (await stage.api.get(`/v1/fulfillment-orders/${fulfillmentOrderId}`, network.factory.token)).body.shipments[0];
    const deliveredAt = new Date(Date.now() - 9 * 86_400_000).toISOString();
    expectStatus(await stage.api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments/${shipment.id}/delivered`, { deliveredAt }, network.factory.token), 200);
    const opened = await stage.api.post(
      `/v1/channel-orders/${receipt.body.id}/returns`,
      { kind: 'return_and_refund', reason: '尺码偏小', lines: [{ lineNo: 1, quantity: 2 }] },
      network.distributor.token,
    );
    expectStatus(opened, 201);
    const returnId = opened.body.returns[0].id as string;
    const stockBefore = (await level(network.warehouses.zhejiang, network.skus.tshirt)).onHand;

    // The broker takes part in the case too, but it is not on its goods: not in its warehouse list, no supplier actions.
    expect((await stage.api.get(`/v1/returns/${returnId}`, network.broker.token)).body.yourRole).toBe('broker');
    const broker = await browser.open(stage.apiUrl);
    await signInInBrowser(broker.page, network.broker.email, PASSWORD);
    await broker.page.goto('/console/warehouse/returns?status=pending_approval');
    await broker.page.getByTestId('empty-state').waitFor();
    expect(await broker.page.getByTestId(`return-row-${returnId}`).count()).toBe(0);
    await broker.page.goto(`/console/warehouse/returns/${returnId}`);
    await broker.page.getByTestId('return-status').filter({ hasText: '待审核' }).waitFor();
    expect(await broker.page.getByTestId('return-approve').count()).toBe(0);
    expect(await broker.page.getByTestId('return-decision-reason').count()).toBe(0);

    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/warehouse/returns?status=pending_approval');
    await page.getByTestId(`return-row-${returnId}`).waitFor();
    expect(await page.getByTestId(`return-row-${returnId}`).textContent()).toContain('待审核');
    await settledScreenshot(page, 'warehouse-returns');
    await page.getByTestId(`return-open-${returnId}`).click();

    await page.getByTestId('return-decision-reason').fill('同意退货');
    await confirm(page, 'return-approve');
    await page.getByTestId('return-status').filter({ hasText: '已同意' }).waitFor();
    expectStatus(await stage.api.post(`/v1/returns/${returnId}/return-shipment`, { carrierCode: 'YTO', trackingNumber: 'YT4000000000001' }, network.distributor.token), 200);

    // One of the two T-shirts goes back on the shelf: per line, so many units.
    await page.getByTestId('return-receive').waitFor();
    await page.getByTestId('return-restock').getByText('按商品分别入库').click();
    await page.getByTestId('return-restock-qty-TSHIRT-M').fill('1');
    await confirm(page, 'return-receive');
    await page.getByTestId('return-status').filter({ hasText: '已收货' }).waitFor();
    expect((await level(network.warehouses.zhejiang, network.skus.tshirt)).onHand).toBe(stockBefore + 1);
    expect((await stage.api.get(`/v1/returns/${returnId}`, network.factory.token)).body.lines[0].restockedQuantity).toBe(1);

    // Half of what the broker paid for the two T-shirts, typed in yuan.
    await page.getByTestId('return-refund-mode').getByText('部分退款').click();
    await page.getByTestId('return-refund-amount').fill('30.00');
    await confirm(page, 'return-refund');
    await page.getByTestId('return-status').filter({ hasText: '已退款' }).waitFor();
    expect(await page.getByTestId('return-refunded').textContent()).toBe('¥30.00');
    const view = await stage.api.get(`/v1/returns/${returnId}`, network.factory.token);
    expect(view.body.status).toBe('refunded');
    expect(view.body.money.refundedByYou).toEqual(cny(3000));

    // Partly refunded: the rest can be added later (追加退款), down the chain the same way.
    await page.getByTestId('return-refund-mode').getByText('退还剩余全部').waitFor();
    await confirm(page, 'return-refund');
    await page.getByTestId('return-refunded').filter({ hasText: '¥60.00' }).waitFor();
    const toppedUp = await stage.api.get(`/v1/returns/${returnId}`, network.factory.token);
    expect(toppedUp.body).toEqual(expect.objectContaining({ refundCount: 2, money: expect.objectContaining({ refundedByYou: cny(6000) }) }));
    expect(await page.getByTestId('return-refund').count()).toBe(0);
  }, 60_000);

  it('shows the decide-by deadline on a waiting case, and 系统自动同意 once the sweep approved it', async () => {
    const receipt = await stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]), network.shop.secret);
    expectStatus(receipt, 202);
    await orderRouted(stage.api, network, receipt.body.id);
    const [{ id: fulfillmentOrderId }] = (
      await withDatabase(stage.database.url, (client) => client.query(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [receipt.body.id]))
    ).rows;
    expectStatus(await stage.api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'ZTO', trackingNumber: '73400000000777' }, network.factory.token), 201);
    const opened = await stage.api.post(`/v1/channel-orders/${receipt.body.id}/returns`, { kind: 'refund_only', reason: '破损', lines: [{ lineNo: 1, quantity: 1 }] }, network.distributor.token);
    expectStatus(opened, 201);
    const returnId = opened.body.returns[0].id as string;
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/warehouse/returns?status=pending_approval');
    const deadline = page.getByTestId(`return-row-${returnId}`).getByTestId('return-decide-by');
    await deadline.waitFor();
    expect(await deadline.textContent()).toContain('前未处理将自动同意');
    // The deadline passes; the sweep approves it as the supplier would have.
    await withDatabase(stage.database.url, (client) => client.query(`update return_request set decide_by = now() - interval '1 minute' where id = $1`, [returnId]));
    await RequestContext.create(stage.worker.get(MikroORM).em, () => stage.worker.get(ReturnAutoApprovalService).approveOverdue());
    await page.goto(`/console/warehouse/returns/${returnId}`);
    await page.getByTestId('return-auto-approved').filter({ hasText: '系统自动同意' }).waitFor();
    await page.getByTestId('return-refund').waitFor();
  }, 60_000);

  it('answers an interception request from the list, with a confirmation', async () => {
    const receipt = await stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]), network.shop.secret);
    expectStatus(receipt, 202);
    await orderRouted(stage.api, network, receipt.body.id);
    const fulfillmentOrderId = (await stage.api.get('/v1/fulfillment-orders?status=new', network.factory.token)).body.data[0].id as string;
    expectStatus(await stage.api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'ZTO', trackingNumber: '73400000000001' }, network.factory.token), 201);
    const cancel = await stage.api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, { reason: 'consumer cancelled' }, network.distributor.token);
    expect(cancel.body.outcome).toBe('interception_requested');
    const request = (await stage.api.get('/v1/interception-requests', network.factory.token)).body.data.find((item: { fulfillmentOrderId: string }) => item.fulfillmentOrderId === fulfillmentOrderId);

    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/warehouse/interceptions');
    const row = page.getByTestId(`interception-row-${request.id}`);
    await row.filter({ hasText: '待处理' }).waitFor();
    await confirm(page, `interception-intercepted-${request.id}`);
    const statusOf = async () => (await stage.api.get('/v1/interception-requests', network.factory.token)).body.data.find((item: { id: string }) => item.id === request.id).status;
    await eventually(async () => (await statusOf()) === 'intercepted', 20_000, 'the api to hold the interception as intercepted');
    // The status tag (the answer button reads 已拦截 too).
    await page.getByTestId(`interception-status-${request.id}`).filter({ hasText: '已拦截' }).waitFor();
  }, 60_000);

  it('adds a warehouse and a product with its SKU from the catalog page', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/warehouse/catalog');
    await page.getByTestId('catalog-new-warehouse').click();
    await page.getByLabel('仓库名称').fill('成都仓');
    await page.getByLabel('仓库编码').fill('SC-CD');
    await page.getByLabel('省份').fill('四川省');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByRole('cell', { name: 'SC-CD' }).waitFor();
    const warehouses = (await stage.api.get('/v1/warehouses?limit=200', network.factory.token)).body.data;
    expect(warehouses.find((warehouse: { code: string }) => warehouse.code === 'SC-CD')).toEqual(expect.objectContaining({ name: '成都仓', province: '四川省', priority: 100 }));

    await page.getByTestId('catalog-new-product').click();
    await page.getByTestId('catalog-product-name').fill('保温杯');
    await page.getByTestId('catalog-product-sku-code').fill('CUP-500');
    await page.getByTestId('catalog-product-sku-name').fill('保温杯 500 ml');
    await page.getByTestId('catalog-product-sku-spec').fill('白色 / 500ml');
    await page.getByTestId('catalog-product-save').click();
    await page.getByText('CUP-500 · 保温杯 500 ml').waitFor();
    expect(await page.getByTestId('catalog-sku-CUP-500').innerText()).toBe('CUP-500 · 保温杯 500 ml · 白色 / 500ml');
    const products = (await stage.api.get('/v1/products?limit=200', network.factory.token)).body.data;
    const cup = products.find((product: { name: string }) => product.name === '保温杯');
    expect(cup.skus).toEqual([expect.objectContaining({ code: 'CUP-500', name: '保温杯 500 ml', spec: '白色 / 500ml' })]);

    // A second SKU of it, with its 规格, from the add-SKU form.
    await page
      .getByRole('row', { name: /保温杯/ })
      .getByRole('button', { name: '添加 SKU' })
      .click();
    await page.getByTestId('catalog-sku-code').fill('CUP-750');
    await page.getByTestId('catalog-sku-name').fill('保温杯 750 ml');
    await page.getByTestId('catalog-sku-spec').fill('黑色 / 750ml');
    await page.getByTestId('catalog-sku-save').click();
    await page.getByTestId('catalog-sku-CUP-750').waitFor();
    expect(await page.getByTestId('catalog-sku-CUP-750').innerText()).toBe('CUP-750 · 保温杯 750 ml · 黑色 / 750ml');
    expect((await stage.api.get(`/v1/products/${cup.id}`, network.factory.token)).body.skus.map((sku: { code: string; spec: string | null }) => [sku.code, sku.spec])).toEqual([
      ['CUP-500', '白色 / 500ml'],
      ['CUP-750', '黑色 / 750ml'],
    ]);
  }, 60_000);
});
