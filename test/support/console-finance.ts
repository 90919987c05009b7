import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { confirmAndWaitClosed } from './console-browser';

/** "¥1,234.56" / "-¥12.00" as the page shows money → fen (integer arithmetic). */
export function fenOf(text: string): number {
  const match = /(-?)[^\d-]*([\d,]+)\.(\d{2})/.exec(text.trim());
  if (!match) throw new Error(`Not an amount: ${text}`);
  const fen = Number(match[2].replace(/,/g, '')) * 100 + Number(match[3]);
  return match[1] ? -fen : fen;
}

/** Clicks the primary button of the open Popconfirm (antd spaces out two-character labels, so not by name) and waits until it has closed. */
export async function confirmPopover(page: Page): Promise<void> {
  const open = page.locator('.ant-popover:visible').last();
  await confirmAndWaitClosed(open, open.locator('.ant-popconfirm-buttons .ant-btn-primary'));
}

/** Closes a month (YYYY-MM) on 月结与设置, through its cannot-be-undone confirmation; waits until it shows as closed. */
export async function closeMonthInPage(page: Page, period: string): Promise<void> {
  await page.goto('/console/finance/periods');
  await page.getByTestId(`finance-close-${period}`).click();
  await confirmPopover(page);
  await page.getByTestId(`finance-period-status-${period}`).getByText('已结账').waitFor();
}

/**
 * Opens the statement with this counterparty from the statements list (receivable first, then
 * payable, or the side given); waits until its totals show.
 */
export async function openStatement(page: Page, counterpartyText: string, options: { side?: 'receivable' | 'payable'; period?: string } = {}): Promise<string> {
  for (const side of options.side ? [options.side] : (['receivable', 'payable'] as const)) {
    await page.goto(`/console/finance/statements?side=${side}${options.period ? `&period=${options.period}` : ''}`);
    await page.locator('tr[data-testid^="finance-statement-row-"], [data-testid="empty-state"]').first().waitFor();
    const row = page.locator('tr[data-testid^="finance-statement-row-"]', { hasText: counterpartyText }).first();
    if ((await row.count()) === 0) continue;
    await row.getByRole('link').click();
    await page.getByTestId('finance-statement-total').waitFor();
    return page.url().split('/').pop()!.split('?')[0];
  }
  throw new Error(`No statement with ${counterpartyText}`);
}

/** The payer confirms the open statement (through its confirmation); waits for 已确认 or 已结清. */
export async function confirmStatementInPage(page: Page): Promise<void> {
  await page.getByTestId('finance-confirm').click();
  await confirmPopover(page);
  await page
    .getByTestId('finance-statement-status')
    .filter({ hasText: /已确认|已结清/ })
    .waitFor();
}

/** Exports the open statement as .xlsx, follows the progress bar to done and downloads it; returns the saved file's path. */
export async function exportStatementInPage(page: Page): Promise<string> {
  await page.getByTestId('finance-export').click();
  await page.getByTestId('finance-export-progress').locator('.ant-progress').waitFor();
  const button = page.getByTestId('finance-export-download');
  await button.waitFor({ timeout: 30_000 });
  const [file] = await Promise.all([page.waitForEvent('download'), button.click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'gx-finance-')), file.suggestedFilename());
  await file.saveAs(path);
  return path;
}

/** The statement's total (期末余额) as the open statement page shows it, in fen. */
export async function statementTotalOnPage(page: Page): Promise<number> {
  return fenOf((await page.getByTestId('finance-statement-total').textContent()) ?? '');
}
