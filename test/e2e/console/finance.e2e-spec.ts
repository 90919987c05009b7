import ExcelJS from 'exceljs';
import { exampleTrackingNumber } from '@gongxiao/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { periodOf } from '@gongxiao/settlement';
import { Page } from 'playwright-core';
import { closeMonthInPage, confirmPopover, confirmStatementInPage, exportStatementInPage, fenOf, openStatement, statementTotalOnPage } from '../../support/console-finance';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { cny, expectStatus, PASSWORD, waitUntilSettled, withDatabase } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';
import { eventually } from '../../support/webhook-sink';

const currentMonth = periodOf(new Date(), 'Asia/Shanghai').slice(0, 7);
const FACTORY_FEE = 800;
/** Order 1: 2 T-shirts and a mug; order 2: 3 T-shirts; one parcel each, the factory's fee on each. */
const FACTORY_CHARGED = 5 * PRICES.factoryTshirt + PRICES.factoryMug + 2 * FACTORY_FEE;

/**
 * Finance staff at work in the console: the factory closes its month and issues the broker's
 * statement; the broker signs in elsewhere, confirms it and exports it as .xlsx, whose total is the
 * total the page shows; a payment above what is left is refused beside its field and changes
 * nothing; a distributor disputes one line with a reason and the statement shows as disputed.
 */
describe('Console finance: month close, statement, export, payment and dispute in the browser', () => {
  const exportDir = mkdtempSync(join(tmpdir(), 'gx-console-exports-'));
  const stage = useStage({ listen: true, worker: 'in-process', config: { EXPORT_DIR: exportDir, OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  const browser = useConsoleBrowser();
  let network: OrderNetwork;
  let factoryPage: Page;
  let statementId: string;

  afterAll(() => rmSync(exportDir, { recursive: true, force: true }));

  const shipOrder = async (lines: { code: string; quantity: number; unitPrice: number }[]) => {
    const receipt = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder(lines), network.shop.secret);
    expectStatus(receipt, 202);
    expect((await orderRouted(api, network, receipt.body.id)).status).toBe('routed');
    const rows = await withDatabase(database.url, (client) =>
      client.query(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [receipt.body.id]),
    );
    for (const { id } of rows.rows as { id: string }[]) {
      expectStatus(
        await api.post(`/v1/fulfillment-orders/${id}/shipments`, { carrierCode: 'SF', trackingNumber: exampleTrackingNumber('SF', `${id}${String(Date.now()).slice(-6)}`) }, network.factory.token),
        201,
      );
    }
  };
  const factoryStatement = async () => (await api.get(`/v1/statements/${statementId}`, network.factory.token)).body;

  beforeAll(async () => {
    network = await buildOrderNetwork(api, { stock: 100 });
    expectStatus(await api.patch(`/v1/offers/${network.offers.factoryTshirt}`, { shippingFee: cny(FACTORY_FEE) }, network.factory.token), 200);
    await shipOrder([
      { code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt },
      { code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug },
    ]);
    await shipOrder([{ code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt }]);
    await eventually(
      async () => {
        const rows = (await api.get('/v1/settlement/balances?side=receivable', network.factory.token)).body.data as { charged: { amount: number } }[];
        return rows[0]?.charged.amount === FACTORY_CHARGED;
      },
      20_000,
      'the parcels are in the ledger',
    );
    await waitUntilSettled(database.url);
  }, 90_000);

  it('closes the month and issues in the page; the payer confirms and exports it, and the file’s total is the page’s', async () => {
    ({ page: factoryPage } = await browser.open(stage.apiUrl));
    await signInInBrowser(factoryPage, network.factory.email, PASSWORD);
    await closeMonthInPage(factoryPage, currentMonth);
    expect((await api.get('/v1/settlement/periods', network.factory.token)).body.data).toEqual(expect.arrayContaining([expect.objectContaining({ period: currentMonth, status: 'closed' })]));

    statementId = await openStatement(factoryPage, 'Hangzhou Bridge Trading', { side: 'receivable' });
    expect(await factoryPage.getByTestId('finance-statement-status').textContent()).toBe('草稿');
    expect(await statementTotalOnPage(factoryPage)).toBe(FACTORY_CHARGED);
    expect(await factoryPage.getByTestId('finance-statement-shipping').textContent()).toBe('¥16.00');
    await factoryPage.getByTestId('finance-issue').click();
    await confirmPopover(factoryPage);
    await factoryPage.getByTestId('finance-statement-status').getByText('已出账').waitFor();
    expect((await factoryStatement()).status).toBe('issued');
    await factoryPage.goto('/console/finance/statements?side=receivable');
    await factoryPage.getByTestId(`finance-statement-row-${statementId}`).getByText('已出账').waitFor();
    await screenshot(factoryPage, 'finance-statements');

    const { page: brokerPage } = await browser.open(stage.apiUrl);
    await signInInBrowser(brokerPage, network.broker.email, PASSWORD);
    expect(await openStatement(brokerPage, 'Yiwu Sunrise Factory', { side: 'payable' })).toBe(statementId);
    await confirmStatementInPage(brokerPage);
    expect((await factoryStatement()).status).toBe('confirmed');
    const file = await exportStatementInPage(brokerPage);
    expect(await brokerPage.getByTestId('finance-export-progress').getAttribute('data-status')).toBe('done');
    expect(await brokerPage.getByTestId('finance-export-progress').textContent()).toContain('100');
    expect(file).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const summary = workbook.getWorksheet('汇总')!;
    const closing = summary.getSheetValues().find((values) => (values as ExcelJS.CellValue[] | undefined)?.[1] === '期末余额') as ExcelJS.CellValue[];
    const pageTotal = await statementTotalOnPage(brokerPage);
    expect(Math.round(Number(closing[2]) * 100)).toBe(pageTotal);
    expect(pageTotal).toBe((await factoryStatement()).closingBalance.amount);
    await screenshot(brokerPage, 'finance-statement');
  });

  it('shows the api’s refusal beside the amount when a payment is above what is left, and changes nothing', async () => {
    await factoryPage.goto(`/console/finance/statements/${statementId}`);
    await factoryPage.getByTestId('finance-statement-status').getByText('已确认').waitFor();
    const tooMuch = FACTORY_CHARGED + 100;
    const refused = await api.post(
      '/v1/settlement/payments',
      { buyerMerchantId: network.broker.merchantId, kind: 'payment', amount: cny(tooMuch), method: 'bank_transfer', reference: 'ICBC-1', paidOn: '2026-12-01', statementId },
      network.factory.token,
    );
    expectStatus(refused, 400);
    const reason = refused.body.error.details.find((detail: { field: string }) => detail.field === 'amount.amount').reason as string;

    await factoryPage.getByTestId('finance-record-payment').click();
    await factoryPage.getByTestId('finance-payment-amount').fill((tooMuch / 100).toFixed(2));
    await factoryPage.getByTestId('finance-payment-reference').fill('ICBC-778');
    await factoryPage.getByTestId('finance-payment-submit').click();
    const beside = factoryPage.locator('.ant-modal .ant-form-item', { has: factoryPage.getByTestId('finance-payment-amount') }).locator('.ant-form-item-explain-error');
    await beside.waitFor();
    expect(await beside.textContent()).toBe(reason);
    expect(await factoryStatement()).toEqual(expect.objectContaining({ status: 'confirmed', paid: cny(0), outstanding: cny(FACTORY_CHARGED) }));
    expect((await api.get('/v1/settlement/payments', network.factory.token)).body.data).toEqual([]);

    // Within what is left, it is recorded and the page shows what remains.
    await factoryPage.getByTestId('finance-payment-amount').fill('100.00');
    await factoryPage.getByTestId('finance-payment-submit').click();
    await factoryPage
      .getByTestId('finance-statement-outstanding')
      .getByText(`¥${((FACTORY_CHARGED - 10_000) / 100).toFixed(2)}`)
      .waitFor();
    expect(fenOf((await factoryPage.getByTestId('finance-statement-paid').textContent()) ?? '')).toBe(10_000);
    expect((await factoryStatement()).paid).toEqual(cny(10_000));
  });

  it('lets the payer dispute one line with a reason, and the statement shows as disputed', async () => {
    expectStatus(await api.post(`/v1/settlement/periods/${currentMonth}/close`, {}, network.broker.token), 200);
    const list = await api.get(`/v1/statements?side=receivable&period=${currentMonth}`, network.broker.token);
    const downstream = list.body.data[0].id as string;
    expectStatus(await api.post(`/v1/statements/${downstream}/issue`, {}, network.broker.token), 200);
    const entries = (await api.get(`/v1/statements/${downstream}/entries`, network.broker.token)).body.data as { id: string; kind: string }[];
    const line = entries.find((entry) => entry.kind === 'goods')!;

    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.distributor.email, PASSWORD);
    expect(await openStatement(page, 'Hangzhou Bridge Trading', { side: 'payable' })).toBe(downstream);
    await page.getByTestId('finance-dispute').click();
    await page.getByTestId('finance-dispute-reason').fill('数量不对');
    await page.getByTestId(`finance-dispute-pick-${line.id}`).check();
    await page.getByTestId(`finance-dispute-line-reason-${line.id}`).fill('只收到 1 件');
    await page.getByTestId('finance-dispute-submit').click();
    await page.getByTestId('finance-statement-status').getByText('有争议').waitFor();
    expect((await api.get(`/v1/statements/${downstream}`, network.broker.token)).body.status).toBe('disputed');
  });

  it('sets the broker on account with a credit limit from the balances screen, and shows what it may still spend', async () => {
    await factoryPage.goto('/console/finance/balances?side=receivable');
    const row = factoryPage.getByTestId(`finance-balance-${network.broker.merchantId}`);
    await row.getByText('月结挂账').waitFor();
    await factoryPage.getByTestId(`finance-edit-terms-${network.broker.merchantId}`).click();
    await factoryPage.getByTestId('finance-terms-credit-limit').fill('1000.00');
    await factoryPage.getByTestId('finance-terms-submit').click();
    await factoryPage.getByTestId(`finance-balance-limit-${network.broker.merchantId}`).getByText('¥1,000.00').waitFor();
    const balance = (await api.get('/v1/settlement/balances?side=receivable', network.factory.token)).body.data[0];
    expect(balance).toEqual(expect.objectContaining({ terms: 'on_account', creditLimit: cny(100_000) }));
    expect(await factoryPage.getByTestId(`finance-balance-available-${network.broker.merchantId}`).textContent()).toBe(
      `¥${(balance.available.amount / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`,
    );
    await screenshot(factoryPage, 'finance-balances');
  });
});
