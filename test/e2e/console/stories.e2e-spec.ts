import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { screenshot, useConsoleBrowser } from '../../support/console-browser';
import { cancelOrderInPage, listOfferInPage, openDistributorOrder, waitForTracking } from '../../support/console-distributor';
import { closeMonthInPage, confirmPopover, confirmStatementInPage, exportStatementInPage, openStatement, statementTotalOnPage } from '../../support/console-finance';
import { acceptInvitationInPage, inviteByIdInPage, publishOfferInPage, signUpInBrowser } from '../../support/console-network';
import { fillShipmentForm, inboxRowId, openInbox, recordShipmentInPage, waitForInboxRow } from '../../support/console-warehouse';
import { expectStatus, PASSWORD, waitUntilSettled } from '../../support/merchant-network';
import { shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';
import { eventually } from '../../support/webhook-sink';

const SUPPLIER = '义乌晨光工厂';
const DISTRIBUTOR = '快乐家居小店';
const SHOP = '快乐家居天猫店';
/** The month now in Asia/Shanghai (the merchants' default time zone). */
const currentMonth = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit' }).format(new Date()).slice(0, 7);

/**
 * The stories in one network, all in a real Chromium against the real api and worker: a
 * supplier and a distributor sign up in the browser, partner, publish and list an offer (1); a shop's
 * signed order appears in the supplier's open inbox without a reload, is shipped in the page, and the
 * distributor's page shows the tracking number (2); an order cancelled while the supplier's shipment
 * form is open shows the banner and the api's refusal (3); the supplier closes the month, the
 * distributor confirms and exports the statement, and the file's total is the page's (4). The broker
 * story (5) is test/e2e/console/offers-broker.e2e-spec.ts.
 */
describe('Console stories: from sign-up to a settled month, in the browser', () => {
  const exportDir = mkdtempSync(join(tmpdir(), 'gx-console-stories-'));
  const stage = useStage({ listen: true, worker: 'in-process', config: { EXPORT_DIR: exportDir, OUTBOX_POLL_MS: '50' } });
  const browser = useConsoleBrowser();
  const tag = Math.random().toString(36).slice(2, 8);
  const supplierEmail = `supplier-${tag}@stories.example`;
  const distributorEmail = `distributor-${tag}@stories.example`;
  let supplierPage: Page;
  let distributorPage: Page;
  let supplierToken: string;
  let distributorToken: string;
  let shop: { id: string; secret: string };

  afterAll(() => rmSync(exportDir, { recursive: true, force: true }));

  const login = async (email: string) => {
    const answer = await stage.api.post('/v1/auth/login', { email, password: PASSWORD });
    expectStatus(answer, 200);
    return answer.body.token as string;
  };
  const push = async (city: string, quantity: number) => {
    const order = shopOrder([{ code: 'HH-TEE-M', quantity, unitPrice: 5990 }], { city });
    const receipt = await stage.api.signedPost(`/v1/shops/${shop.id}/orders`, order, shop.secret);
    expectStatus(receipt, 202);
    return { id: receipt.body.id as string, externalOrderId: order.externalOrderId };
  };

  it('1. a supplier and a distributor sign up in the browser, partner, publish and list an offer', async () => {
    ({ page: supplierPage } = await browser.open(stage.apiUrl));
    ({ page: distributorPage } = await browser.open(stage.apiUrl));
    await signUpInBrowser(supplierPage, { merchantName: SUPPLIER, ownerName: '李伟', email: supplierEmail, password: PASSWORD });
    const { merchantId: distributorId } = await signUpInBrowser(distributorPage, { merchantName: DISTRIBUTOR, ownerName: '赵敏', email: distributorEmail, password: PASSWORD });
    await inviteByIdInPage(supplierPage, distributorId);
    await acceptInvitationInPage(distributorPage, SUPPLIER);

    // The supplier's warehouse, product and stock (its catalog screens have their own stories).
    supplierToken = await login(supplierEmail);
    distributorToken = await login(distributorEmail);
    expectStatus(await stage.api.post('/v1/warehouses', { code: 'ZJ-YW', name: '义乌总仓', province: '浙江省', city: '金华市', priority: 10 }, supplierToken), 201);
    const warehouses = await stage.api.get('/v1/warehouses', supplierToken);
    const product = await stage.api.post('/v1/products', { name: '纯棉T恤', skus: [{ code: 'TEE-M', name: '纯棉T恤 白色 M' }] }, supplierToken);
    expectStatus(product, 201);
    expectStatus(await stage.api.put('/v1/stock-levels', { warehouseId: warehouses.body.data[0].id, skuId: product.body.skus[0].id, onHand: 100 }, supplierToken), 200);

    await publishOfferInPage(supplierPage, { skuCode: 'TEE-M', partnerName: DISTRIBUTOR, price: '30.00' });
    const offers = await stage.api.get('/v1/offers', supplierToken);
    expect(offers.body.data).toEqual([expect.objectContaining({ price: { amount: 3000, currency: 'CNY' } })]);

    // The shop's developer takes the push secret from the api (the shops screen shows it once too).
    const created = await stage.api.post('/v1/shops', { platform: 'taobao', name: SHOP }, distributorToken);
    expectStatus(created, 201);
    shop = { id: created.body.id, secret: created.body.webhookSecret };
    await listOfferInPage(distributorPage, { offerText: 'TEE-M', shopName: SHOP, retailPrice: '59.90', sku: 'HH-TEE-M' });
    const listings = await stage.api.get('/v1/listings', distributorToken);
    expect(listings.body.data).toEqual([expect.objectContaining({ shopSkuCode: 'HH-TEE-M', retailPrice: { amount: 5990, currency: 'CNY' } })]);
    const partnerships = await stage.api.get('/v1/partnerships?side=upstream', distributorToken);
    expect(partnerships.body.data).toEqual([expect.objectContaining({ status: 'active' })]);
  }, 120_000);

  it('2. a pushed order appears in the open inbox without a reload, is shipped in the page, and the distributor sees the tracking number', async () => {
    await openInbox(supplierPage);
    const started = Date.now();
    const order = await push('温州市', 2);
    await waitForInboxRow(supplierPage, '温州市');
    const visibleAfter = Date.now() - started;
    console.log(`[console stories] pushed order visible in the open inbox after ${visibleAfter} ms`);
    // The promise is 2 s (1 s polling); timing on a shared machine belongs to the benchmark (npm run bench: console).
    expect(visibleAfter).toBeLessThan(5_000);
    const fulfillmentOrderId = await inboxRowId(supplierPage, '温州市');
    await supplierPage.getByTestId(`inbox-open-${fulfillmentOrderId}`).click();
    await recordShipmentInPage(supplierPage, { carrier: 'SF', tracking: 'SF135792468013' });
    await supplierPage.getByTestId('order-status').filter({ hasText: '已发货' }).waitFor();

    await openDistributorOrder(distributorPage, order.externalOrderId);
    await waitForTracking(distributorPage, 'SF135792468013', '顺丰');
    await screenshot(distributorPage, 'story-distributor-tracking');
  }, 90_000);

  it('3. the distributor cancels while the supplier’s shipment form is open: the banner shows and the api refuses the parcel', async () => {
    await openInbox(supplierPage);
    const order = await push('宁波市', 1);
    await waitForInboxRow(supplierPage, '宁波市');
    const fulfillmentOrderId = await inboxRowId(supplierPage, '宁波市');
    await supplierPage.getByTestId(`inbox-open-${fulfillmentOrderId}`).click();
    await fillShipmentForm(supplierPage, { carrier: 'ZTO', tracking: '75246801357902' });

    await openDistributorOrder(distributorPage, order.externalOrderId);
    expect(await cancelOrderInPage(distributorPage, '顾客不想要了')).toMatch(/取消/);

    await supplierPage.getByTestId('order-cancelled-banner').waitFor({ timeout: 10_000 });
    expect(await supplierPage.getByTestId('order-cancelled-banner').innerText()).toContain('已取消 请勿发货');
    await supplierPage.getByTestId('shipment-submit').click();
    await supplierPage
      .getByTestId('api-error')
      .waitFor()
      .catch(async (error: Error) => {
        await screenshot(supplierPage, 'failed-story-3').catch(() => undefined);
        const shown = await supplierPage.locator('.ant-form-item-explain-error, .ant-alert, .ant-message').allInnerTexts();
        throw new Error(`no refusal shown; the page shows ${JSON.stringify(shown)} (${error.message.split('\n')[0]})`);
      });
    expect(await supplierPage.getByTestId('api-error').innerText()).toContain('cancelled');
    await screenshot(supplierPage, 'story-cancelled-refused');
    const held = await stage.api.get(`/v1/fulfillment-orders/${fulfillmentOrderId}`, supplierToken);
    expect(held.body.shipments).toEqual([]);
  }, 90_000);

  it('4. the supplier closes the month, the distributor confirms and exports the statement, and the file’s total is the page’s', async () => {
    await eventually(async () => ((await stage.api.get('/v1/settlement/balances?side=receivable', supplierToken)).body.data[0]?.charged.amount ?? 0) === 6000, 20_000, 'the parcel is in the ledger');
    await waitUntilSettled(stage.database.url);
    await closeMonthInPage(supplierPage, currentMonth);
    const statementId = await openStatement(supplierPage, DISTRIBUTOR, { side: 'receivable', period: currentMonth });
    await supplierPage.getByTestId('finance-issue').click();
    await confirmPopover(supplierPage);
    await supplierPage.getByTestId('finance-statement-status').getByText('已出账').waitFor();

    expect(await openStatement(distributorPage, SUPPLIER, { side: 'payable', period: currentMonth })).toBe(statementId);
    await confirmStatementInPage(distributorPage);
    const file = await exportStatementInPage(distributorPage);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const summary = workbook.getWorksheet('汇总')!;
    const closing = summary.getSheetValues().find((values) => (values as ExcelJS.CellValue[] | undefined)?.[1] === '期末余额') as ExcelJS.CellValue[];
    const pageTotal = await statementTotalOnPage(distributorPage);
    expect(pageTotal).toBe(6000);
    expect(Math.round(Number(closing[2]) * 100)).toBe(pageTotal);
    const statement = await stage.api.get(`/v1/statements/${statementId}`, distributorToken);
    expect(statement.body).toEqual(expect.objectContaining({ status: 'confirmed', closingBalance: { amount: 6000, currency: 'CNY' } }));
  }, 120_000);
});
