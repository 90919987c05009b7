import ExcelJS from 'exceljs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { signInInBrowser, useConsoleBrowser, useTempDirectory } from '../../support/console-browser';
import { openInbox, settledScreenshot } from '../../support/console-warehouse';
import { PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, pushRoutedTshirtOrder } from '../../support/order-network';
import { sheetTexts } from '../../support/sheet-uploads';
import { useStage } from '../../support/stage';

/**
 * A supplier fixes a SKU's 规格 on the catalog page: a 规格 too long is refused beside the field (in the
 * member's language) and nothing is saved; a right one shows on the SKU at once and in the next order
 * sheet (发货单) the warehouse downloads, on the routed order's row.
 */
describe('Console catalog: a SKU’s 规格 edited in the page, shown there and in the order sheet', () => {
  const stage = useStage({ listen: true, worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const browser = useConsoleBrowser();
  const directory = useTempDirectory('gongxiao-catalog-');
  let network: OrderNetwork;
  let externalOrderId: string;

  const storedSpec = async () => {
    const products = (await stage.api.get('/v1/products?limit=200', network.factory.token)).body.data as { skus: { id: string; spec: string | null }[] }[];
    return products.flatMap((product) => product.skus).find((sku) => sku.id === network.skus.tshirt)!.spec;
  };
  const openEdit = async (page: Page) => {
    await page.goto('/console/warehouse/catalog');
    await page.getByTestId('catalog-sku-TSHIRT-M').waitFor();
    await page.getByTestId('catalog-sku-edit-TSHIRT-M').click();
    await page.getByTestId('catalog-sku-edit-spec').waitFor();
  };
  /** The error antd shows under the 规格 field. */
  const specError = (page: Page) => page.locator('.ant-form-item', { has: page.getByTestId('catalog-sku-edit-spec') }).locator('.ant-form-item-explain-error');

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api);
    externalOrderId = await pushRoutedTshirtOrder(stage.api, network, '规格测试');
  });

  it('refuses a 规格 longer than 200 characters beside the field, in Chinese and in English, and saves nothing', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await openEdit(page);
    await page.getByTestId('catalog-sku-edit-spec').fill('藏青'.repeat(101));
    await page.getByTestId('catalog-sku-edit-save').click();
    await specError(page).getByText('规格最多 200 个字').waitFor();
    // The modal stays open with the text as typed; the api was not asked.
    expect(await page.getByTestId('catalog-sku-edit-spec').inputValue()).toBe('藏青'.repeat(101));
    expect(await storedSpec()).toBeNull();

    const english = await browser.open(stage.apiUrl, { language: 'en' });
    await signInInBrowser(english.page, network.factory.email, PASSWORD);
    await openEdit(english.page);
    await english.page.getByTestId('catalog-sku-edit-spec').fill('x'.repeat(201));
    await english.page.getByTestId('catalog-sku-edit-save').click();
    await specError(english.page).getByText('Spec can have at most 200 characters').waitFor();
    expect(await storedSpec()).toBeNull();
  }, 60_000);

  it('saves a 规格, shows it on the SKU, and the order sheet the warehouse downloads shows it on the order’s row', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, network.factory.email, PASSWORD);
    await openEdit(page);
    expect(await page.getByTestId('catalog-sku-edit-spec').inputValue()).toBe('');
    await page.getByTestId('catalog-sku-edit-spec').fill('藏青色 / M码');
    await page.getByTestId('catalog-sku-edit-save').click();
    await page.getByTestId('catalog-sku-edit-spec').waitFor({ state: 'detached' });
    await page.getByTestId('catalog-sku-TSHIRT-M').getByText('藏青色 / M码').waitFor();
    expect(await page.getByTestId('catalog-sku-TSHIRT-M').innerText()).toBe('TSHIRT-M · T-shirt M · 藏青色 / M码');
    expect(await storedSpec()).toBe('藏青色 / M码');
    await settledScreenshot(page, 'warehouse-catalog-spec');

    // Opened again, the form starts from what is stored.
    await page.getByTestId('catalog-sku-edit-TSHIRT-M').click();
    expect(await page.getByTestId('catalog-sku-edit-spec').inputValue()).toBe('藏青色 / M码');
    await page.keyboard.press('Escape');
    await page.getByTestId('catalog-sku-edit-spec').waitFor({ state: 'detached' });

    // The order waits to be shipped: the inbox filtered to 待确认 (new) downloads its sheet.
    await openInbox(page, { status: 'new' });
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('inbox-export').click()]);
    const saved = join(directory(), download.suggestedFilename());
    await download.saveAs(saved);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(saved);
    const [header, ...rows] = sheetTexts(book.worksheets[0]);
    const row = rows.find((cells) => cells.includes(externalOrderId));
    expect(row).toBeDefined();
    expect(row![header.indexOf('商品编码')]).toBe('TSHIRT-M');
    expect(row![header.indexOf('规格')]).toBe('藏青色 / M码');
  }, 60_000);
});
