import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { confirmInPage, pickOption } from '../../support/console-network';
import { expectStatus, PASSWORD, signUp } from '../../support/merchant-network';
import { useStage } from '../../support/stage';

/**
 * Members and API keys in the browser: the owner adds a warehouse member, who sees no finance or
 * members screens and whom the api refuses finance data; the api's refusals are shown; an API key
 * created in the page is shown once, works, and stops working once revoked in the page.
 */
describe('Console: members and API keys', () => {
  const stage = useStage({ listen: true, worker: 'in-process' });
  const browser = useConsoleBrowser();
  const tag = Math.random().toString(36).slice(2, 8);
  const closeShownOnce = async (page: import('playwright-core').Page) => {
    const modal = page.locator('.ant-modal', { has: page.getByTestId('shown-once-secret') });
    await modal.locator('.ant-modal-footer .ant-btn-primary').click();
    await modal.waitFor({ state: 'hidden' });
  };

  it('adds a warehouse member whose menu has no finance or members entries and whom the api refuses finance data', async () => {
    const owner = await signUp(stage.api, '义乌晨光工厂', '李伟', `owner-${tag}@members.example`);
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, owner.email, PASSWORD);
    await page.goto('/console/network/members');
    await page.getByTestId('member-add').click();
    const memberEmail = `warehouse-${tag}@members.example`;
    await page.getByTestId('member-add-email').fill(memberEmail);
    await page.getByTestId('member-add-name').fill('王仓管');
    await pickOption(page, 'member-add-role', '仓库');
    await page.getByTestId('member-add-password').fill(PASSWORD);
    // The first answer is lost on the way back (the api did add the member): the retried click sends
    // the same Idempotency-Key, so the api answers it again instead of refusing a second member.
    let lost = false;
    await page.route('**/v1/members', async (route) => {
      if (route.request().method() !== 'POST' || lost) return route.fallback();
      lost = true;
      await route.fetch();
      await route.abort('failed');
    });
    await page.getByTestId('member-add-submit').click();
    await page.getByTestId('api-error-title').getByText('无法连接服务器，请检查网络后重试').waitFor();
    await page.getByTestId('member-add-submit').click();
    const row = page.locator('tr[data-testid^="member-row-"]', { hasText: '王仓管' });
    await row.getByText(memberEmail).waitFor();
    const members = await stage.api.get('/v1/members', owner.token);
    const added = members.body.data.find((member: { email: string }) => member.email === memberEmail);
    expect(added).toEqual(expect.objectContaining({ role: 'warehouse', status: 'active', name: '王仓管' }));
    expect(members.body.data.filter((member: { email: string }) => member.email === memberEmail)).toHaveLength(1);

    // The api's refusal: an owner cannot change its own role.
    const self = members.body.data.find((member: { email: string }) => member.email === owner.email);
    await pickOption(page, `member-role-${self.id}`, '运营');
    // Asked first, with the warning for changing one's own role.
    await page.getByTestId('member-role-warning').getByText('你正在修改自己的角色').waitFor();
    await page.getByTestId('member-role-confirm').click();
    await page.getByTestId('member-refused').getByText('不能修改自己的角色').waitFor();
    expect((await stage.api.get('/v1/members', owner.token)).body.data.find((member: { id: string }) => member.id === self.id).role).toBe('owner');

    // A password reset token is shown once.
    await page.getByTestId(`member-reset-${added.id}`).click();
    expect((await page.getByTestId('shown-once-secret').innerText()).trim().length).toBeGreaterThan(16);
    await closeShownOnce(page);
    await screenshot(page, 'network-members');

    const member = await browser.open(stage.apiUrl);
    await signInInBrowser(member.page, memberEmail, PASSWORD);
    await member.page.getByTestId('menu-warehouse-inbox').waitFor();
    expect(await member.page.locator('[data-testid^="menu-finance-"]').count()).toBe(0);
    expect(await member.page.getByTestId('menu-network-members').count()).toBe(0);
    expect(await member.page.getByTestId('menu-network-api-keys').count()).toBe(0);
    expect(await member.page.locator('body').innerText()).not.toContain('财务结算');
    const login = await stage.api.post('/v1/auth/login', { email: memberEmail, password: PASSWORD });
    expectStatus(await stage.api.get('/v1/statements', login.body.token), 403);

    // Disabled in the page: the member can no longer sign in.
    await page.getByTestId(`member-disable-${added.id}`).click();
    await confirmInPage(page);
    await row.getByText('已停用').waitFor();
    expectStatus(await stage.api.post('/v1/auth/login', { email: memberEmail, password: PASSWORD }), 401);
  }, 90_000);

  it('creates an API key shown once that works against the api, and revokes it in the page (then 401)', async () => {
    const owner = await signUp(stage.api, '金华优品供应链', '钱峰', `keys-${tag}@members.example`);
    const { page } = await browser.open(stage.apiUrl);
    await signInInBrowser(page, owner.email, PASSWORD);
    await page.goto('/console/network/api-keys');
    await page.getByText('还没有 API 密钥').waitFor();
    await page.getByTestId('api-key-create').click();
    await page.getByTestId('api-key-name').fill('ERP 对接');
    await page.getByTestId('api-key-scope-fulfillment-read').check();
    await page.getByTestId('api-key-scope-fulfillment-write').check();
    await page.getByTestId('api-key-submit').click();
    const key = (await page.getByTestId('shown-once-secret').innerText()).trim();
    expect(key.length).toBeGreaterThan(20);
    await closeShownOnce(page);
    const row = page.locator('tr[data-testid^="api-key-row-"]', { hasText: 'ERP 对接' });
    await row.getByText('查看发货单').waitFor();
    // Shown once: the list holds the prefix only.
    expect(await page.locator('body').innerText()).not.toContain(key);
    expect(await row.innerText()).toContain(key.slice(0, 8));

    const me = await fetch(`${stage.apiUrl}/v1/merchants/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual(expect.objectContaining({ name: '金华优品供应链' }));

    await row.locator('[data-testid^="api-key-revoke-"]').click();
    await confirmInPage(page);
    await row.getByText('已吊销').waitFor();
    const after = await fetch(`${stage.apiUrl}/v1/merchants/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(after.status).toBe(401);
  }, 60_000);
});
