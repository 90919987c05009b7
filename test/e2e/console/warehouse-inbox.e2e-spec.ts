import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { fillShipmentForm, inboxRow, inboxRowId, openInbox, recordShipmentInPage, settledScreenshot, waitForInboxRow } from '../../support/console-warehouse';
import { expectStatus, PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';

/**
 * The supplier's inbox in a real browser: an order a shop pushes appears in the open page without
 * a reload, is shipped in two parcels from the page, and an order cancelled while its shipment
 * form is open shows "已取消 请勿发货" and the api's refusal when the form is sent anyway; the
 * filtered inbox's order sheet is written by the worker, its progress shown, and downloaded when done.
 */
describe('Console warehouse: inbox, order page and shipments', () => {
  const stage = useStage({ listen: true, worker: 'in-process', config: { OUTBOX_POLL_MS: '50', EXPORT_DIR: mkdtempSync(join(tmpdir(), 'gx-inbox-exports-')) } });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;

  const push = (order: unknown) => stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  const fulfillmentOrder = async (id: string) => {
    const response = await stage.api.get(`/v1/fulfillment-orders/${id}`, network.factory.token);
    expectStatus(response, 200);
    return response.body;
  };

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
  });

  it('shows a pushed order within seconds without a reload, and ships it from the page in two parcels', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await openInbox(page);

    const started = Date.now();
    const receipt = await push(
      shopOrder(
        [
          { code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt },
          { code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug },
        ],
        { city: '温州市' },
      ),
    );
    expectStatus(receipt, 202);
    await waitForInboxRow(page, '温州市');
    const seenAfter = Date.now() - started;
    console.log(`[warehouse inbox] pushed order visible in the open page after ${seenAfter} ms`);
    expect(seenAfter).toBeLessThan(5_000);
    const row = inboxRow(page, '温州市');
    expect(await row.textContent()).toContain('T-shirt M ×3');
    expect(await row.textContent()).toContain('待确认');
    const id = await inboxRowId(page, '温州市');
    await settledScreenshot(page, 'warehouse-inbox');

    await page.getByTestId(`inbox-open-${id}`).click();
    await page.getByTestId('shipment-form').waitFor();
    expect(await page.getByTestId('order-left-TSHIRT-M').textContent()).toBe('3');

    // A partial parcel: one T-shirt and both mugs.
    await recordShipmentInPage(page, { carrier: 'SF', tracking: 'SF100000000001', quantities: { 'TSHIRT-M': 1, 'MUG-350': 2 } });
    await page.getByTestId('order-left-TSHIRT-M').filter({ hasText: /^2$/ }).waitFor();
    expect(await page.getByTestId('order-status').textContent()).toContain('部分发货');
    expect(await page.getByTestId('order-shipment-SF100000000001').textContent()).toContain('顺丰速运');
    await settledScreenshot(page, 'warehouse-order');

    // The rest, with the form's default (everything left).
    await recordShipmentInPage(page, { carrier: 'ZTO', tracking: '73200000000002' });
    await page.getByTestId('order-status').filter({ hasText: '已发货' }).waitFor();
    await page.getByTestId('shipment-form').waitFor({ state: 'detached' });
    // Shipped is final here: the page stops polling the order (it polled every second until now).
    const reads: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'GET' && new URL(request.url()).pathname === `/v1/fulfillment-orders/${id}`) reads.push(request.url());
    });
    await page.waitForTimeout(3_000);
    expect(reads.length).toBeLessThanOrEqual(1);

    const order = await fulfillmentOrder(id);
    expect(order.status).toBe('shipped');
    expect(order.shipments.map((shipment: { carrierCode: string; trackingNumber: string }) => `${shipment.carrierCode} ${shipment.trackingNumber}`).sort()).toEqual([
      'SF SF100000000001',
      'ZTO 73200000000002',
    ]);
    const tshirtLine = order.lines.find((line: { skuCode: string }) => line.skuCode === 'TSHIRT-M');
    expect(tshirtLine.shippedQuantity).toBe(3);
  }, 60_000);

  it('shows "已取消 请勿发货" on an open shipment form when the distributor cancels, and the api refuses the parcel', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await openInbox(page);
    const receipt = await push(shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }], { city: '宁波市' }));
    expectStatus(receipt, 202);
    await waitForInboxRow(page, '宁波市');
    const id = await inboxRowId(page, '宁波市');
    await page.getByTestId(`inbox-open-${id}`).click();
    await fillShipmentForm(page, { carrier: 'YTO', tracking: 'YT3000000000003' });

    // The distributor cancels while the form is open: the page says so without a reload, the form stays.
    expectStatus(await stage.api.post(`/v1/channel-orders/${receipt.body.id}/cancel`, { reason: 'consumer changed their mind' }, network.distributor.token), 200);
    await page.getByTestId('order-cancelled-banner').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('order-cancelled-banner').textContent()).toContain('已取消 请勿发货');
    await page.getByTestId('shipment-cancelled-warning').waitFor();

    await page.getByTestId('shipment-submit').click();
    await page.getByTestId('api-error').waitFor();
    expect(await page.getByTestId('api-error').textContent()).toContain('cancelled: do not ship');
    expect(await page.getByTestId('shipment-refused').textContent()).toContain('订单已被取消');
    expect((await fulfillmentOrder(id)).shipments).toEqual([]);

    // The inbox marks the row too.
    await openInbox(page);
    expect(await inboxRow(page, '宁波市').getByTestId('cancelled-tag').textContent()).toBe('已取消 请勿发货');
  }, 60_000);

  it('downloads the filtered inbox’s order sheet from the worker once its progress bar reaches 100 %', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await openInbox(page, { status: 'shipped' });
    // The page asks the worker for the sheet, follows it, and downloads it as soon as it is done.
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId('inbox-export').click()]);
    const progress = page.getByTestId('inbox-export-progress');
    await progress.and(page.locator('[data-status="done"]')).waitFor();
    expect(await progress.textContent()).toContain('100%');
    expect(file.suggestedFilename()).toMatch(/^fulfillment-orders-shipped-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const path = join(mkdtempSync(join(tmpdir(), 'gx-inbox-')), file.suggestedFilename());
    await file.saveAs(path);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    expect(sheet.name).toBe('发货单');
    expect((sheet.getRow(1).values as unknown[]).slice(1, 8)).toEqual(['发货单号', '订单号', '店铺订单号', '收件人', '手机', '省', '市']);
    const header = sheet.getRow(1).values as unknown[];
    const [city, carrier, tracking] = ['市', '快递公司', '快递单号'].map((name) => header.indexOf(name));
    const rows = sheet.getSheetValues().slice(2) as unknown[][];
    expect(rows.map((row) => [row[city], row[carrier], row[tracking]]).sort()).toEqual([
      // The T-shirts in two parcels, the mugs in the first.
      ['温州市', '中通快递', '73200000000002'],
      ['温州市', '顺丰速运', 'SF100000000001'],
      ['温州市', '顺丰速运', 'SF100000000001'],
    ]);
    // Offered again, for a second copy.
    await page.getByTestId('inbox-export-download').waitFor();

    // The tab regaining focus once the status is stale (5 s) refetches it: nothing downloads again.
    let downloadsAgain = 0;
    page.on('download', () => downloadsAgain++);
    await page.waitForTimeout(5_500);
    const refetched = page.waitForResponse((response) => /\/v1\/fulfillment-order-exports\/\d+$/.test(response.url()));
    await page.evaluate(() => window.dispatchEvent(new Event('visibilitychange')));
    await refetched;
    await page.waitForTimeout(1_500);
    expect(downloadsAgain).toBe(0);
  }, 60_000);
});
