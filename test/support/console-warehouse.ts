import type { Locator, Page } from 'playwright-core';
import { screenshot } from './console-browser';

/** The <input> of an antd field whose test id sits on the input itself or on a wrapper around it. */
function inputOf(locator: Locator): Locator {
  return locator.locator('xpath=self::input | .//input').first();
}

/** Opens the supplier's inbox (optionally with filters in the query string) and waits until its list has rendered. */
export async function openInbox(page: Page, query: Record<string, string> = {}): Promise<void> {
  const search = new URLSearchParams(query).toString();
  await page.goto(`/console/warehouse/inbox${search ? `?${search}` : ''}`);
  await page.getByTestId('inbox-export').waitFor();
  await page.locator('.ant-table-tbody').first().waitFor();
  await page.locator('.ant-table-tbody tr[data-testid^="inbox-row-"], [data-testid="empty-state"]').first().waitFor();
}

/** The inbox row that shows `text`. */
export function inboxRow(page: Page, text: string): Locator {
  return page.locator('tr[data-testid^="inbox-row-"]', { hasText: text }).first();
}

/** Waits (without reloading) until a row showing `text` is in the open inbox; returns how many ms it took. */
export async function waitForInboxRow(page: Page, text: string, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  await inboxRow(page, text).waitFor({ timeout: timeoutMs });
  return Date.now() - started;
}

/** The fulfillment order id of the inbox row showing `text`. */
export async function inboxRowId(page: Page, text: string): Promise<string> {
  const testId = await inboxRow(page, text).getAttribute('data-testid');
  return String(testId).replace('inbox-row-', '');
}

/** Fills the shipment form of the open order page (carrier code such as SF, tracking number, units per SKU code; unnamed lines keep their default). */
export async function fillShipmentForm(page: Page, input: { carrier: string; tracking: string; quantities?: Record<string, number> }): Promise<void> {
  const form = page.getByTestId('shipment-form');
  await form.waitFor();
  // By keyboard (type to filter, Enter to choose), then wait until the form shows it: clicking an option
  // of a dropdown that is still opening or closing can miss under load.
  await page.getByTestId('shipment-carrier').click();
  await page.keyboard.type(`（${input.carrier}）`);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: `（${input.carrier}）` })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await form.locator(`[title$="（${input.carrier}）"]`).first().waitFor({ timeout: 15_000 });
  await inputOf(page.getByTestId('shipment-tracking')).fill(input.tracking);
  for (const [skuCode, quantity] of Object.entries(input.quantities ?? {})) {
    await inputOf(page.getByTestId(`shipment-qty-${skuCode}`)).fill(String(quantity));
  }
}

/**
 * Records a parcel in the open order page and waits until the page lists it under its tracking
 * number (the api accepted it).
 */
export async function recordShipmentInPage(page: Page, input: { carrier: string; tracking: string; quantities?: Record<string, number> }): Promise<void> {
  await fillShipmentForm(page, input);
  await page.getByTestId('shipment-submit').click();
  try {
    await page.getByTestId(`order-shipment-${input.tracking}`).waitFor();
  } catch (error) {
    // Say what the page shows instead: the api's refusal, a field's message, or nothing at all.
    await screenshot(page, `failed-shipment-${input.tracking}`).catch(() => undefined);
    const shown = await page
      .locator('[data-testid="api-error"], .ant-form-item-explain-error, .ant-alert')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(`the parcel ${input.tracking} did not appear; the page shows: ${JSON.stringify(shown)} (${(error as Error).message.split('\n')[0]})`);
  }
}

/** A screenshot once loading overlays and animations have finished (out/console/<name>.png). */
export async function settledScreenshot(page: Page, name: string): Promise<string> {
  // Endless animations (a status dot, a spinner that polls) never settle: they do not count; and a
  // picture is taken after 10 s whatever still moves (it is for people, not an assertion).
  await page
    .waitForFunction(
      () =>
        !document.querySelector('.ant-spin-blur, .ant-spin-spinning') &&
        document.getAnimations().every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
      undefined,
      { timeout: 10_000 },
    )
    .catch(() => undefined);
  return screenshot(page, name);
}
