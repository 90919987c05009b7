import { PASSWORD } from '../../support/merchant-network';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { useStage } from '../../support/stage';

/**
 * The console as the api serves it: static files with history fallback, sign-up and sign-in in a
 * real Chromium, the token kept in session storage (never in a URL or local storage), Chinese by
 * default and English on the switch.
 */
describe('Console: served at /console, sign-up and sign-in in a real browser', () => {
  const stage = useStage({ listen: true });
  const browser = useConsoleBrowser();

  it('serves the page for every console path, 404 for a missing asset, and redirects / to the console', async () => {
    const deep = await fetch(`${stage.apiUrl}/console/warehouse/inbox?status=open`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('content-type')).toContain('text/html');
    expect(await deep.text()).toContain('<div id="root">');
    // Hashed assets: cached for a year, precompressed for browsers that accept it.
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(await (await fetch(`${stage.apiUrl}/console/`)).text())![1];
    const compressed = await fetch(`${stage.apiUrl}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect(compressed.status).toBe(200);
    expect(compressed.headers.get('content-encoding')).toBe('br');
    expect(compressed.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${stage.apiUrl}/console/assets/no-such-file.js`);
    expect(missing.status).toBe(404);
    const root = await fetch(`${stage.apiUrl}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
  });

  it('signs up a merchant in the browser, keeps the session across a reload, switches to English and signs out', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await page.goto('/console/warehouse/inbox');
    // Not signed in: the sign-in page, in Chinese.
    await page.getByText('登录供销控制台').waitFor();
    await page.getByText('还没有账号？注册新商户').click();
    const email = `owner-${Date.now()}@shell.example`;
    await page.getByTestId('sign-up-merchant').fill('义乌晨光工厂');
    await page.getByTestId('sign-up-owner').fill('李伟');
    await page.getByTestId('sign-up-email').fill(email);
    // A weak password: the api's reason appears beside the password field.
    await page.getByTestId('sign-up-password').fill('password');
    await page.getByTestId('sign-up-submit').click();
    await page.locator('#password_help, .ant-form-item-explain-error').first().waitFor();
    expect(await page.getByTestId('api-error').textContent()).toMatch(/password/i);
    await page.getByTestId('sign-up-password').fill(PASSWORD);
    await page.getByTestId('sign-up-submit').click();
    await page.getByTestId('current-merchant').waitFor();
    expect(await page.getByTestId('current-merchant').textContent()).toContain('义乌晨光工厂');
    expect(page.url()).not.toContain('gxs_');
    const storage = await page.evaluate(() => ({ session: sessionStorage.getItem('gx.token'), local: JSON.stringify(localStorage) }));
    expect(storage.session).toMatch(/^gxs_/);
    expect(storage.local).not.toContain('gxs_');
    await screenshot(page, 'home');
    // The production build of React and antd (a development build is many times slower).
    expect(await page.locator('[class*="css-dev-only"]').count()).toBe(0);

    await page.reload();
    await page.getByTestId('current-merchant').waitFor();
    await page.getByTestId('language-switch').getByText('EN').click();
    await page.getByTestId('sign-out').getByText('Sign out').waitFor();
    const oldToken = await page.evaluate(() => sessionStorage.getItem('gx.token'));
    await page.getByTestId('sign-out').click();
    await page.getByText('Sign in to Gongxiao').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('gx.token'))).toBeNull();

    // The old token no longer works (logged out on the api, not only forgotten by the page).
    const afterSignOut = await fetch(`${stage.apiUrl}/v1/auth/session`, { headers: { authorization: `Bearer ${oldToken}` } });
    expect(afterSignOut.status).toBe(401);
    await signInInBrowser(page, email, PASSWORD);
    expect(await page.getByTestId('current-merchant').textContent()).toContain('义乌晨光工厂');
  }, 90_000);

  it('says which field is wrong when signing in fails, and stays on the sign-in page', async () => {
    const { page } = await browser.open(stage.apiUrl);
    await page.goto('/console/sign-in');
    await page.getByTestId('sign-in-email').fill('nobody@shell.example');
    await page.getByTestId('sign-in-password').fill('wrong password 123');
    await page.getByTestId('sign-in-submit').click();
    await page.getByTestId('api-error').waitFor();
    // A Chinese title from the api's code (invalid_credentials), the api's own message beneath it.
    expect(await page.getByTestId('api-error-title').textContent()).toBe('邮箱或密码不正确');
    expect(await page.getByTestId('api-error-message').textContent()).toBe('Email or password is wrong.');
    expect(page.url()).toContain('/console/sign-in');
  });
});

describe('Console: before it is built', () => {
  const { api } = useStage({ config: { CONSOLE_DIR: '/tmp/gongxiao-console-not-built' } });

  it('answers 503 with how to build it, and the api works as ever', async () => {
    const page = await api.get('/console/warehouse/inbox');
    expect(page.status).toBe(503);
    expect(String(page.body)).toContain('npm run build');
    expect((await api.get('/console/assets/index.js')).status).toBe(404);
    expect((await api.get('/health/live')).status).toBe(200);
  });
});
