import { Page } from 'playwright-core';
import { confirmAndWaitClosed } from './console-browser';
import { pickOption } from './console-network';
import { signWebhook } from './test-environment';

/**
 * In the selection center: lists the offer whose row shows `offerText` into the shop `shopName`
 * at `retailPrice` (yuan, as a person types it) under the shop SKU code `sku`; waits for the
 * listing to appear in "我的上架商品".
 */
export async function listOfferInPage(page: Page, options: { offerText: string; shopName: string; retailPrice: string; sku: string }): Promise<void> {
  if (!page.url().includes('/distributor/selection')) await page.goto('/console/distributor/selection');
  const row = page.locator('[data-testid^="distributor-offer-row-"]', { hasText: options.offerText }).first();
  await row.locator('[data-testid^="distributor-list-offer-"]').click();
  await pickOption(page, 'distributor-listing-shop', options.shopName);
  await page.getByTestId('distributor-listing-price').fill(options.retailPrice);
  await page.getByTestId('distributor-listing-sku').fill(options.sku);
  await page.getByTestId('distributor-listing-submit').click();
  await page.locator('[data-testid^="distributor-listing-row-"]', { hasText: options.sku }).filter({ hasText: options.shopName }).first().waitFor();
}

/** Opens a shop order's detail page: by its id (digits), or by the shop's external order id through the orders list (waiting for the poll to show it). */
export async function openDistributorOrder(page: Page, order: string): Promise<void> {
  if (/^\d+$/.test(order)) {
    await page.goto(`/console/distributor/orders/${order}`);
  } else {
    await page.goto('/console/distributor/orders');
    await page.getByTestId(`distributor-order-link-${order}`).click();
  }
  await page.getByTestId('distributor-order-status').first().waitFor();
}

/** Waits (through the detail page's 2 s poll, no reload) until a line shows this tracking number. */
/** Waits until a line shows the tracking number and, when given, the carrier's name (the carrier dictionary is a query of its own that may answer later). */
export async function waitForTracking(page: Page, tracking: string, carrierName?: string): Promise<void> {
  const line = page.locator('[data-testid^="distributor-line-tracking-"]', { hasText: tracking });
  await (carrierName ? line.filter({ hasText: carrierName }) : line).first().waitFor({ timeout: 15_000 });
}

/** Cancels the open order in its detail page (through the confirmation) and returns what the page then says the api did. */
export async function cancelOrderInPage(page: Page, reason?: string): Promise<string> {
  await page.getByTestId('distributor-cancel-order').click();
  if (reason) await page.getByTestId('distributor-cancel-reason').fill(reason);
  await page.getByTestId('distributor-cancel-confirm').click();
  const outcome = page.getByTestId('distributor-cancel-outcome');
  await outcome.waitFor();
  return (await outcome.textContent()) ?? '';
}

/** A shop pushing an order over HTTP to the api, signed with its webhook secret. */
export async function pushSignedOrder(apiUrl: string, shopId: string, secret: string, order: unknown): Promise<{ status: number; body: { id: string; status: string } }> {
  const rawBody = JSON.stringify(order);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(`${apiUrl}/v1/shops/${shopId}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-gongxiao-timestamp': timestamp, 'x-gongxiao-signature': signWebhook(secret, timestamp, rawBody) },
    body: rawBody,
  });
  return { status: response.status, body: (await response.json()) as { id: string; status: string } };
}

/** Answers "确定" in the confirmation that is open (antd spaces two-character button labels: "确 定"). */
export async function confirmPopup(page: Page): Promise<void> {
  // The confirmation on screen now (closed ones stay in the page, hidden), and wait until it has closed.
  const open = page.locator('.ant-popover:visible, .ant-modal-confirm:visible').last();
  await confirmAndWaitClosed(open, open.getByRole('button', { name: /^确\s?定$/ }));
}
