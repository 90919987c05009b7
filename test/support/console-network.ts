import { Locator, Page } from 'playwright-core';
import { confirmAndWaitClosed } from './console-browser';

/**
 * Page helpers for the network, offers and home screens of the console, each waiting for the
 * result it causes (for the cross-area stories).
 */

/** Waits for the locator; on a timeout, says what the page shows instead (the api's error, form field errors). */
export async function waitOrExplain(page: Page, locator: Locator): Promise<void> {
  try {
    await locator.waitFor();
  } catch (error) {
    const problems = await page.locator('[data-testid="api-error"], .ant-form-item-explain-error').allInnerTexts();
    throw new Error(`${(error as Error).message}\nThe page shows: ${problems.join(' | ') || '(no error)'} at ${page.url()}`);
  }
}

/** Confirms the open Popconfirm and waits for it to close. */
export async function confirmInPage(page: Page): Promise<void> {
  const popconfirm = page.locator('.ant-popconfirm:visible');
  await confirmAndWaitClosed(popconfirm, popconfirm.locator('.ant-btn-primary'));
}

/** Signs up a merchant and its owner on /console/sign-up; returns the new merchant's id (as the page shows it). */
export async function signUpInBrowser(page: Page, input: { merchantName: string; ownerName: string; email: string; password: string }): Promise<{ merchantId: string }> {
  await page.goto('/console/sign-up');
  await page.getByTestId('sign-up-merchant').fill(input.merchantName);
  await page.getByTestId('sign-up-owner').fill(input.ownerName);
  await page.getByTestId('sign-up-email').fill(input.email);
  await page.getByTestId('sign-up-password').fill(input.password);
  await page.getByTestId('sign-up-submit').click();
  await page.getByTestId('current-merchant').getByText(input.merchantName).waitFor();
  return { merchantId: await myMerchantIdInPage(page) };
}

/** The merchant id shown on the partners page (the one to give suppliers). */
export async function myMerchantIdInPage(page: Page): Promise<string> {
  await page.goto('/console/network/partners');
  const text = (await page.getByTestId('my-merchant-id').innerText()).trim();
  if (!/^\d+$/.test(text)) throw new Error(`No merchant id on the partners page: ${text}`);
  return text;
}

/** Invites the merchant with this id to be my downstream partner; waits for the page to say it was sent. */
export async function inviteByIdInPage(page: Page, merchantId: string): Promise<void> {
  await page.goto('/console/network/partners');
  await page.getByTestId('partner-invite-id').fill(merchantId);
  await page.getByTestId('partner-invite-submit').click();
  await page.getByTestId('partner-invite-sent').getByText(merchantId).waitFor();
}

/** Accepts the invitation from the named merchant (invitations tab); waits until it shows as 合作中 among my suppliers. */
export async function acceptInvitationInPage(page: Page, fromMerchantName: string): Promise<void> {
  await page.goto('/console/network/partners');
  await page.getByTestId('partners-tab-invitations').click();
  const row = page.locator('tr[data-testid^="partner-row-"]:visible', { hasText: fromMerchantName });
  const accept = row.locator('[data-testid^="partner-accept-"]');
  await accept.click();
  // Accepted: the button goes (the page may then show the partnership among my suppliers).
  await accept.waitFor({ state: 'detached' });
  await page.getByTestId('partners-tab-upstream').click();
  await page.locator('tr[data-testid^="partner-row-"]:visible', { hasText: fromMerchantName }).getByText('合作中').waitFor();
}

/**
 * Picks the option whose text contains `text` in the antd Select with this test id, and checks the
 * select then shows it: under load a click can land while the dropdown re-renders and not take, so
 * the pick is tried up to 3 times.
 */
export async function pickOption(page: Page, testId: string, text: string): Promise<void> {
  const select = page.getByTestId(testId);
  // The select's own box (the test id may sit on the input inside it).
  const box = page
    .locator('.ant-select', { has: select })
    .or(page.locator(`.ant-select[data-testid="${testId}"]`))
    .first();
  const shown = box.locator('.ant-select-content, .ant-select-selection-item').filter({ hasText: text }).first();
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first();
  for (let attempt = 1; ; attempt++) {
    // Open (and filter) only when the option is not showing already: a click on an open select closes it.
    if (!(await option.isVisible())) {
      await select.click();
      await page.keyboard.type(text);
    }
    await option.click();
    try {
      await shown.waitFor({ timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw new Error(`The select ${testId} does not show "${text}" after 3 picks: ${(error as Error).message}`);
    }
  }
}

/** Publishes one of my SKUs (by code) to a downstream partner (by name) at a price in yuan ("39.90"); waits for the confirmation. */
export async function publishOfferInPage(page: Page, input: { skuCode: string; partnerName: string; price: string; shippingFee?: string }): Promise<void> {
  await page.goto('/console/offers/published');
  await page.getByTestId('offer-publish').click();
  await pickOption(page, 'offer-publish-sku', input.skuCode);
  await pickOption(page, 'offer-publish-buyer', input.partnerName);
  await page.getByTestId('offer-publish-price').fill(input.price);
  if (input.shippingFee !== undefined) await page.getByTestId('offer-publish-shipping').fill(input.shippingFee);
  await page.getByTestId('offer-publish-submit').click();
  await waitOrExplain(page, page.getByTestId('offer-published').getByText(input.skuCode));
  await page.getByTestId('offer-publish-submit').waitFor({ state: 'hidden' });
}

/** A card of the home screen: its figure ("3", "100+") once loaded, and the list it links to. */
export async function homeCard(page: Page, key: string): Promise<{ count: string; href: string }> {
  const card = page.getByTestId(`home-card-${key}`);
  await card.waitFor();
  const count = page.getByTestId(`home-card-${key}-count`);
  await count.filter({ hasText: /\d/ }).waitFor();
  return { count: (await count.innerText()).trim(), href: (await card.getAttribute('href')) ?? '' };
}
