import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NewEntry, periodOf, postEntries } from '@gongxiao/settlement';
import { openStatement } from '../../support/console-finance';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { cny, expectStatus, partner, PASSWORD, signUp, SignedUpMerchant } from '../../support/merchant-network';
import { useStage } from '../../support/stage';

const period = periodOf(new Date(), 'Asia/Shanghai');
const month = period.slice(0, 7);

/**
 * The books after the month: the shop asks for an invoice on its settled statement and the
 * supplier issues it; the supplier reconciles the shop's own CSV against the statement (matched,
 * amount differs, only theirs) and downloads the report; its margin page shows the month by SKU.
 */
describe('Console finance: invoices, reconciliation and margins in the browser', () => {
  const exportDir = mkdtempSync(join(tmpdir(), 'gx-console-books-'));
  const stage = useStage({ listen: true, worker: 'in-process', config: { EXPORT_DIR: exportDir, OUTBOX_POLL_MS: '50' } });
  const { api } = stage;
  const browser = useConsoleBrowser();
  let supplier: SignedUpMerchant;
  let shop: SignedUpMerchant;
  let statementId: string;

  afterAll(() => rmSync(exportDir, { recursive: true, force: true }));

  beforeAll(async () => {
    const tag = Math.random().toString(36).slice(2, 8);
    supplier = await signUp(api, '杭州茶厂', 'Wang', `tea-${tag}@example.com`);
    shop = await signUp(api, '上海小店', 'Li', `shop-${tag}@example.com`);
    await partner(api, supplier, shop);
    const hop = { sellerMerchantId: supplier.merchantId, buyerMerchantId: shop.merchantId, currency: 'CNY' };
    const at = new Date();
    const entries: NewEntry[] = [
      { sourceKey: `b:${tag}:g1`, kind: 'goods', direction: 'charge', ...hop, amount: 3998n, occurredAt: at, externalOrderId: 'SO-1001', skuCode: 'TEA-01', quantity: 2, unitPriceAmount: 1999n },
      { sourceKey: `b:${tag}:s1`, kind: 'shipping', direction: 'charge', ...hop, amount: 800n, occurredAt: at, externalOrderId: 'SO-1001' },
      { sourceKey: `b:${tag}:g2`, kind: 'goods', direction: 'charge', ...hop, amount: 3000n, occurredAt: at, externalOrderId: 'SO-1002', skuCode: 'MUG', quantity: 3, unitPriceAmount: 1000n },
    ];
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    await em.transactional((tx) => postEntries(tx, entries));
    expectStatus(await api.post(`/v1/settlement/periods/${month}/close`, {}, supplier.token), 200);
    statementId = (await api.get(`/v1/statements?side=receivable&period=${month}`, supplier.token)).body.data[0].id;
    expectStatus(await api.post(`/v1/statements/${statementId}/issue`, {}, supplier.token), 200);
    expectStatus(await api.post(`/v1/statements/${statementId}/confirm`, {}, shop.token), 200);
    const pay = { buyerMerchantId: shop.merchantId, kind: 'payment', amount: cny(7798), method: 'alipay', reference: 'ALI-1', paidOn: `${month}-01`, statementId };
    expectStatus(await api.post('/v1/settlement/payments', pay, supplier.token), 201);
  });

  it('takes the shop’s invoice request on the settled statement, and the supplier issues it', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, shop.email, PASSWORD);
    expect(await openStatement(page, '杭州茶厂', { side: 'payable', period: month })).toBe(statementId);
    expect(await page.getByTestId('finance-statement-status').textContent()).toBe('已结清');
    await page.getByTestId('finance-request-invoice').click();
    expect(await page.getByTestId('finance-invoice-amount').inputValue()).toBe('77.98');
    await page.getByTestId('finance-invoice-title').fill('上海小店有限公司');
    await page.getByTestId('finance-invoice-tax-number').fill('91310000MA1XXXXX0X');
    await page.getByTestId('finance-invoice-submit').click();
    await page.getByTestId('finance-invoice-submit').waitFor({ state: 'detached' });
    const [request] = (await api.get('/v1/invoice-requests?side=receivable', supplier.token)).body.data;
    expect(request).toEqual(expect.objectContaining({ status: 'requested', title: '上海小店有限公司', amount: cny(7798) }));

    const { page: supplierPage } = await browser.open(stage.apiUrl);
    await signInInBrowser(supplierPage, supplier.email, PASSWORD);
    await supplierPage.goto('/console/finance/invoices?side=receivable');
    await supplierPage.getByTestId(`finance-issue-invoice-${request.id}`).click();
    await supplierPage.getByTestId('finance-invoice-number').fill('04412345');
    await supplierPage.getByTestId('finance-invoice-dialog-submit').click();
    await supplierPage.getByTestId(`finance-invoice-${request.id}`).getByText('已开票').waitFor();
    expect((await api.get('/v1/invoice-requests?side=payable', shop.token)).body.data[0]).toEqual(expect.objectContaining({ status: 'issued', invoiceNumber: '04412345' }));
  });

  it('reconciles the shop’s CSV against the statement and downloads the report', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, supplier.email, PASSWORD);
    await page.goto(`/console/finance/reconciliation?statementId=${statementId}`);
    await page.getByTestId('finance-recon-statement').getByText('上海小店').waitFor();
    const csv = '订单号,商品编码,金额,数量\r\nSO-1001,TEA-01,39.98,2\r\nSO-1001,,8.00,\r\nSO-1002,MUG,31.00,3\r\nSO-9999,TEA-01,10.00,1\r\n';
    await page.locator('input[type=file]').setInputFiles({ name: 'theirs.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('finance-recon-report').waitFor();
    const figure = async (key: string) => (await page.getByTestId(`finance-recon-${key}`).locator('.ant-statistic-content').textContent())?.trim();
    expect([await figure('matched'), await figure('amountDiffers'), await figure('onlyOurs'), await figure('onlyTheirs')]).toEqual(['2', '1', '0', '1']);
    expect(await page.getByTestId('finance-recon-row-amount_differs').textContent()).toMatch(/金额不一致¥30\.00¥31\.00¥1\.00/);
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('finance-recon-download').click()]);
    const path = join(exportDir, file.suggestedFilename());
    await file.saveAs(path);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.worksheets[0].getRow(1).values).toEqual(expect.arrayContaining(['订单号', '商品编码', '结果']));
    await screenshot(page, 'finance-reconciliation');

    await page.goto(`/console/finance/margins?period=${month}`);
    await page.locator('.ant-table-row', { hasText: 'TEA-01' }).getByText('¥39.98').first().waitFor();
    await screenshot(page, 'finance-margins');
  });

  it('shows every date in the new time zone once the settlement settings change it', async () => {
    const closed = (await api.get('/v1/settlement/periods', supplier.token)).body.data.find((row: { period: string }) => row.period === month);
    const clock = (timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(closed.closedAt));
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, supplier.email, PASSWORD);
    await page.goto('/console/finance/periods');
    const row = page.locator('tr', { has: page.getByTestId(`finance-period-status-${month}`) });
    await row.getByText(clock('Asia/Shanghai')).waitFor();
    await page.getByTestId('finance-settings-timezone').fill('UTC');
    await page.getByTestId('finance-settings-save').click();
    // The session is re-read: the closing time shows in UTC without a reload.
    await row.getByText(clock('UTC')).waitFor();
    expect((await api.get('/v1/auth/session', supplier.token)).body.timeZone).toBe('UTC');
  });
});
