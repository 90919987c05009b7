import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { signInInBrowser, useConsoleBrowser, useTempDirectory } from '../../support/console-browser';
import { settledScreenshot } from '../../support/console-warehouse';
import { PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, pushRoutedTshirtOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';

/**
 * 发货批次 in a real browser: the supplier sets its warehouse's cut times, cuts a batch now, sees it
 * in the list with its counts, and downloads its file (发货单 + 已取消 请勿发货).
 */
describe('Console warehouse: order-sheet batches (发货批次)', () => {
  const stage = useStage({ listen: true, worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const browser = useConsoleBrowser();
  const directory = useTempDirectory('gongxiao-batches-');
  let network: OrderNetwork;
  let externalOrderId: string;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
    externalOrderId = await pushRoutedTshirtOrder(stage.api, network, '批次测试', 3);
  });

  it('sets the cut times, cuts a batch now and downloads it', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/warehouse/batches');
    await page.getByTestId('batches-schedule').waitFor();
    await page.getByTestId('empty-state').waitFor();

    // The warehouse the order went to (ZJ, the first one) is chosen; its times are typed in one field.
    await page.getByTestId('batches-times').fill('18:00, 10:00，14:00');
    await page.getByTestId('batches-save-schedule').click();
    await page
      .getByTestId('batches-next-cut')
      .getByText(/\d{4}-\d{2}-\d{2} (10|14|18):00/)
      .waitFor();
    const schedule = await stage.api.get(`/v1/warehouses/${network.warehouses.zhejiang}/sheet-schedule`, network.factory.token);
    expect(schedule.body).toEqual(expect.objectContaining({ times: ['10:00', '14:00', '18:00'], timeZone: 'Asia/Shanghai' }));

    await page.getByTestId('batches-cut-now').click();
    await page.getByTestId('batches-cut-done').waitFor();
    const row = page.getByTestId('batch-row-1');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/#1.*手动.*1.*0.*未下载/);
    await settledScreenshot(page, 'warehouse-batches');

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-download-1').click()]);
    const path = join(directory(), file.suggestedFilename());
    await file.saveAs(path);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path);
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['发货单', '已取消 请勿发货']);
    const header = (book.worksheets[0].getRow(1).values as unknown[]).slice(1);
    const cells = (book.worksheets[0].getRow(2).values as unknown[]).slice(1);
    const record = Object.fromEntries(header.map((name, index) => [String(name), cells[index]]));
    expect(record).toEqual(expect.objectContaining({ 店铺订单号: externalOrderId, 收件人: '批次测试', 商品编码: 'TSHIRT-M', 数量: 3 }));
    expect(book.worksheets[0].rowCount).toBe(2);
    // The list shows the batch as downloaded.
    await row.getByText('未下载').waitFor({ state: 'detached' });
  });
});
