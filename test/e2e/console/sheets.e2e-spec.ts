import ExcelJS from 'exceljs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BULK_ORDER_HEADERS } from '@gongxiao/orders';
import { signInInBrowser, useConsoleBrowser, useTempDirectory } from '../../support/console-browser';
import { pickOption } from '../../support/console-network';
import { settledScreenshot } from '../../support/console-warehouse';
import { expectStatus, PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, pushRoutedTshirtOrder } from '../../support/order-network';
import { downloadWorkbook, sheetTexts, workbookOf } from '../../support/sheet-uploads';
import { useStage } from '../../support/stage';

/**
 * Spreadsheets in a real browser: the supplier downloads its order sheet, fills in carrier and tracking,
 * uploads it on 表格导入导出 and reads the counts; a micro-shop uploads its orders on 批量下单, sees the
 * rejected row with its reason and downloads it; the supplier downloads one warehouse's stock sheet to fill.
 */
describe('Console: spreadsheet uploads', () => {
  const stage = useStage({ listen: true, worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const browser = useConsoleBrowser();
  const directory = useTempDirectory('gongxiao-sheets-');
  let network: OrderNetwork;
  let externalOrderId: string;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
    externalOrderId = await pushRoutedTshirtOrder(stage.api, network, '表格测试', 2);
  });

  it('the supplier uploads its order sheet with tracking numbers filled in, and the order is shipped', async () => {
    const sheet = await downloadWorkbook(stage.api, network.factory.token, '/v1/fulfillment-orders/export.xlsx?status=new');
    const rows = sheet.workbook!.worksheets[0];
    const header = (rows.getRow(1).values as unknown[]).map(String);
    rows.getRow(2).getCell(header.indexOf('快递公司')).value = '顺丰';
    rows.getRow(2).getCell(header.indexOf('快递单号')).value = 'SF246813579024';
    const path = join(directory(), '发货单-已填.xlsx');
    await writeFile(path, Buffer.from(await sheet.workbook!.xlsx.writeBuffer()));

    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/warehouse/sheets');
    await page.getByTestId('tracking-import').waitFor();
    await page.getByTestId('tracking-import').locator('input[type=file]').setInputFiles(path);
    await page.getByTestId('tracking-import-start').click();
    await page.getByTestId('tracking-import-status').getByText('已完成').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('tracking-import-applied').textContent()).toContain('1');
    expect(await page.getByTestId('tracking-import-rejected').textContent()).toContain('0');
    await settledScreenshot(page, 'warehouse-sheets-tracking');

    const shipped = (await stage.api.get('/v1/fulfillment-orders?status=shipped', network.factory.token)).body.data;
    expect(shipped).toHaveLength(1);
    const detail = await stage.api.get(`/v1/fulfillment-orders/${shipped[0].id}`, network.factory.token);
    expect(detail.body.shipments).toEqual([expect.objectContaining({ carrierCode: 'SF', trackingNumber: 'SF246813579024' })]);
  });

  it('a micro-shop uploads its orders, sees the rejected row with its reason and downloads it', async () => {
    const file = await workbookOf([
      BULK_ORDER_HEADERS['zh-CN'],
      [`${externalOrderId}-B1`, '李华', '13900001111', '', '', '', '浙江省杭州市西湖区文三路90号', 'TSHIRT', '1', '', '', ''],
      [`${externalOrderId}-B2`, '赵六', '12345', '', '', '', '浙江省杭州市西湖区文三路1号', 'TSHIRT', '1', '', '', ''],
    ]);
    const path = join(directory(), '批量下单.xlsx');
    await writeFile(path, file);

    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.distributor.email, PASSWORD);
    await page.goto('/console/distributor/bulk-orders');
    await pickOption(page, 'bulk-orders-shop', 'Happy Home Youzan');
    await page.getByTestId('bulk-orders-import-mode-valid-rows').click();
    await page.getByTestId('bulk-orders-import').locator('input[type=file]').setInputFiles(path);
    await page.getByTestId('bulk-orders-import-start').click();
    await page.getByTestId('bulk-orders-import-status').getByText('已完成').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('bulk-orders-import-applied').textContent()).toContain('1');
    expect(await page.getByTestId('bulk-orders-import-rejected').textContent()).toContain('1');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bulk-orders-import-download-rejected').click()]);
    const saved = join(directory(), download.suggestedFilename());
    await download.saveAs(saved);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(saved);
    const [head, row] = [book.worksheets[0].getRow(1).values as unknown[], book.worksheets[0].getRow(2).values as unknown[]];
    expect(String(row[1])).toBe(`${externalOrderId}-B2`);
    expect(String(row[head.indexOf('未通过原因')])).toContain('手机');
    await settledScreenshot(page, 'distributor-bulk-orders');
  });

  it('the supplier downloads one warehouse’s stock sheet to fill: every SKU, 0 where no level is kept yet', async () => {
    // A new SKU, stocked nowhere yet.
    const products = (await stage.api.get('/v1/products', network.factory.token)).body.data as { id: string; skus: { id: string }[] }[];
    const tshirtProduct = products.find((product) => product.skus.some((sku) => sku.id === network.skus.tshirt))!;
    expectStatus(await stage.api.post(`/v1/products/${tshirtProduct.id}/skus`, { code: 'TSHIRT-L', name: 'T-shirt L' }, network.factory.token), 201);

    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await page.goto('/console/warehouse/sheets?tab=stock');
    await page.getByTestId('stock-export').waitFor();
    await pickOption(page, 'stock-export-warehouse', 'Guangzhou (GD)');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('stock-export').click()]);
    const saved = join(directory(), download.suggestedFilename());
    await download.saveAs(saved);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(saved);
    expect(sheetTexts(book.worksheets[0])).toEqual([
      ['仓库编码', '仓库名称', '商品编码', 'SKU名称', '现有库存', '已预留', '可售'],
      ['GD', 'Guangzhou', 'TSHIRT-M', 'T-shirt M', '1000', '0', '1000'],
      ['GD', 'Guangzhou', 'MUG-350', 'Mug 350 ml', '1000', '0', '1000'],
      ['GD', 'Guangzhou', 'TSHIRT-L', 'T-shirt L', '0', '0', '0'],
    ]);
  }, 60_000);
});
