import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from './chromium';

const ROOT = resolve(__dirname, '../..');
/** Screenshots of the console's screens, for people (the README shows a few). */
export const SCREENSHOTS = resolve(ROOT, 'out/console');

/** Debian's Chromium; `npm test` installs it when it can. */
export function chromiumPath(): string {
  const found = findChromium();
  if (!found) throw new Error("No Chromium for the console's browser tests: install Debian's Chromium (sudo apt-get install chromium) or set CHROMIUM_PATH.");
  return found;
}

export interface ConsoleBrowser {
  /** A new, empty browser context (its own session storage: one signed-in member) with a page on the console. */
  open(baseUrl: string, options?: { language?: 'zh-CN' | 'en' }): Promise<{ context: BrowserContext; page: Page }>;
}

/**
 * One Chromium for the describe block (beforeAll / afterAll). Pages fail on any uncaught page
 * error, and every console error is reported, so a broken screen does not pass quietly.
 */
export function useConsoleBrowser(): ConsoleBrowser {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS, timeout: 60_000 });
  }, 90_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
  });
  return {
    async open(baseUrl, options = {}) {
      if (!browser) throw new Error('The browser is not running (useConsoleBrowser must be called in the describe block)');
      const context = await browser.newContext({ baseURL: baseUrl, acceptDownloads: true, viewport: { width: 1440, height: 900 }, locale: options.language ?? 'zh-CN', timezoneId: 'Asia/Shanghai' });
      contexts.push(context);
      if (options.language === 'en') await context.addInitScript(() => localStorage.setItem('gx.language', 'en'));
      context.setDefaultTimeout(30_000);
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`[console page error] ${error.message}`));
      return { context, page };
    },
  };
}

/** Saves a screenshot of the page as out/console/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const file = resolve(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the console's sign-in page and waits for the home screen. */
export async function signInInBrowser(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/console/sign-in');
  await page.getByTestId('sign-in-email').fill(email);
  await page.getByTestId('sign-in-password').fill(password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('current-merchant').waitFor();
}

/** The newest modification time under a directory (files only), in ms. */
function newestUnder(directory: string): number {
  const out = execFileSync('find', [directory, '-type', 'f', '-printf', '%T@\\n'], { encoding: 'utf8' });
  return Math.max(
    0,
    ...out
      .split('\n')
      .filter(Boolean)
      .map((line) => Number(line) * 1000),
  );
}

/** Builds the console (vite) when dist/console is missing or older than its sources; jest's global setup calls it. */
export function buildConsoleIfStale(): void {
  const index = resolve(ROOT, 'dist/console/index.html');
  const sources = [resolve(ROOT, 'apps/console/src'), resolve(ROOT, 'apps/console/index.html'), resolve(ROOT, 'apps/console/vite.config.ts')];
  const built = existsSync(index) ? newestUnder(resolve(ROOT, 'dist/console')) : 0;
  if (built > 0 && sources.every((source) => newestUnder(source) <= built)) return;
  execFileSync(process.execPath, [resolve(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', resolve(ROOT, 'apps/console/vite.config.ts'), '--logLevel', 'warn'], {
    stdio: 'inherit',
    cwd: ROOT,
    // jest runs with NODE_ENV=test, which would make vite build React's and antd's development code.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/**
 * Clicks a confirmation's OK button and waits until the confirmation has closed. Under load a click
 * can land while the popover is still animating in and do nothing: when after a few seconds it is
 * still open and its button is not busy (antd shows the api call as loading), it is clicked again.
 */
export async function confirmAndWaitClosed(confirmation: Locator, okButton: Locator): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await okButton.click();
    const closed = await confirmation
      .waitFor({ state: 'hidden', timeout: attempt === 3 ? 30_000 : 5_000 })
      .then(() => true)
      .catch(() => false);
    if (closed) return;
    if (attempt === 3) throw new Error('the confirmation did not close');
    // Still waiting on the api: keep waiting rather than click twice.
    if ((await okButton.getAttribute('class'))?.includes('ant-btn-loading')) await confirmation.waitFor({ state: 'hidden', timeout: 30_000 });
    if (!(await confirmation.isVisible())) return;
  }
}

/** A fresh directory for the files a spec's browser downloads or uploads (made before its tests, removed after them). */
export function useTempDirectory(prefix: string): () => string {
  let directory = '';
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), prefix));
  });
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });
  return () => directory;
}
