import { acceptInvitationInPage, confirmInPage, inviteByIdInPage, publishOfferInPage, signUpInBrowser, waitOrExplain } from '../../support/console-network';
import { screenshot, signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { expectStatus, PASSWORD, signUp } from '../../support/merchant-network';
import { useStage } from '../../support/stage';

/**
 * Story 1 in the browser: a supplier and a distributor sign up, the supplier invites the
 * distributor by its merchant id, the distributor accepts, the supplier publishes an offer to it;
 * then invite codes (create, accept, uses, revoke) and suspending / resuming a partnership.
 */
describe('Console: partners and publishing an offer (story 1)', () => {
  const stage = useStage({ listen: true, worker: 'in-process' });
  const browser = useConsoleBrowser();
  const tag = Math.random().toString(36).slice(2, 8);
  const login = async (email: string) => {
    const response = await stage.api.post('/v1/auth/login', { email, password: PASSWORD });
    expectStatus(response, 200);
    return response.body.token as string;
  };

  it('signs up two merchants, partners them by merchant id and publishes an offer at the typed price', async () => {
    const supplier = await browser.open(stage.apiUrl);
    const distributor = await browser.open(stage.apiUrl);
    const supplierEmail = `supplier-${tag}@partners.example`;
    await signUpInBrowser(supplier.page, { merchantName: '义乌晨光工厂', ownerName: '李伟', email: supplierEmail, password: PASSWORD });
    const { merchantId: distributorId } = await signUpInBrowser(distributor.page, {
      merchantName: '欢乐家居小店',
      ownerName: '赵敏',
      email: `distributor-${tag}@partners.example`,
      password: PASSWORD,
    });

    // A new merchant sees what to do next on its partners page.
    await supplier.page.getByTestId('partners-tab-downstream').click();
    await supplier.page.getByText('还没有下游分销商').waitFor();

    await inviteByIdInPage(supplier.page, distributorId);
    await acceptInvitationInPage(distributor.page, '义乌晨光工厂');
    await supplier.page.reload();
    await supplier.page.getByTestId('partners-tab-downstream').click();
    await supplier.page.locator('tr[data-testid^="partner-row-"]:visible', { hasText: '欢乐家居小店' }).getByText('合作中').waitFor();
    await screenshot(supplier.page, 'network-partners');

    // Warehouse, product and stock belong to the warehouse area: set up through the api.
    const token = await login(supplierEmail);
    const product = await stage.api.post('/v1/products', { name: '纯棉T恤', skus: [{ code: 'TEE-M', name: '纯棉T恤 M码' }] }, token);
    expectStatus(product, 201);
    const warehouse = await stage.api.post('/v1/warehouses', { code: 'YW', name: '义乌仓', province: '浙江省' }, token);
    expectStatus(await stage.api.put('/v1/stock-levels', { warehouseId: warehouse.body.id, skuId: product.body.skus[0].id, onHand: 200 }, token), 200);

    await publishOfferInPage(supplier.page, { skuCode: 'TEE-M', partnerName: '欢乐家居小店', price: '39.90', shippingFee: '5' });
    await supplier.page.locator('tr[data-testid^="offer-row-"]', { hasText: 'TEE-M' }).getByText('¥39.90').waitFor();
    await screenshot(supplier.page, 'offers-published');

    const partnerships = await stage.api.get('/v1/partnerships?side=downstream', token);
    expect(partnerships.body.data).toEqual([expect.objectContaining({ status: 'active', downstream: { merchantId: distributorId, name: '欢乐家居小店' } })]);
    const offers = await stage.api.get('/v1/offers', token);
    expect(offers.body.data).toEqual([
      expect.objectContaining({ buyerMerchantId: distributorId, price: { amount: 3990, currency: 'CNY' }, shippingFee: { amount: 500, currency: 'CNY' }, status: 'active' }),
    ]);

    // The distributor sees it among the offers it receives, at the price it pays.
    await distributor.page.goto('/console/offers/received');
    await distributor.page.locator('tr[data-testid^="received-row-"]', { hasText: 'TEE-M' }).getByText('¥39.90').waitFor();
    // Listing it in a shop belongs to the distributor area (its selection center); a story stitched later does that step.

    // Changing the price on the offer's page.
    await supplier.page.getByTestId(`offer-link-${offers.body.data[0].id}`).click();
    await supplier.page.getByTestId('offer-edit-price').fill('42.5');
    await supplier.page.getByTestId('offer-edit-save').click();
    await supplier.page.getByTestId('offer-price').getByText('¥42.50').waitFor();
    expect((await stage.api.get(`/v1/offers/${offers.body.data[0].id}`, token)).body.price.amount).toBe(4250);

    // Withdrawn (after confirming): the distributor no longer receives it.
    await supplier.page.getByTestId('offer-withdraw').click();
    await confirmInPage(supplier.page);
    await waitOrExplain(supplier.page, supplier.page.getByTestId('offer-withdrawn'));
    expect((await stage.api.get(`/v1/offers/${offers.body.data[0].id}`, token)).body.status).toBe('withdrawn');
    await distributor.page.reload();
    await distributor.page.getByText('还没有收到货源').waitFor();
  }, 90_000);

  it('creates an invite code, a merchant accepts it in its page and a new one joins through its link, the code counts the use and is revoked; a partnership is suspended and resumed', async () => {
    const supplierApi = await signUp(stage.api, '金华优品供应链', '钱峰', `codes-${tag}@partners.example`);
    const joiner = await signUp(stage.api, '杭州小铺', '孙丽', `joiner-${tag}@partners.example`);
    const supplier = await browser.open(stage.apiUrl);
    await signInInBrowser(supplier.page, supplierApi.email, PASSWORD);
    await supplier.page.goto('/console/network/partners');
    await supplier.page.getByText('还没有邀请码').waitFor();
    await supplier.page.getByTestId('invite-code-create').click();
    await supplier.page.getByTestId('invite-code-max-uses').fill('3');
    await supplier.page.getByTestId('invite-code-note').fill('华东分销商');
    await supplier.page.getByTestId('invite-code-submit').click();
    const code = (await supplier.page.getByTestId('invite-code-value').innerText()).trim();
    expect(code.length).toBeGreaterThan(8);

    const other = await browser.open(stage.apiUrl);
    await signInInBrowser(other.page, joiner.email, PASSWORD);
    await other.page.goto('/console/network/partners');
    await other.page.getByTestId('partner-code-input').fill(code);
    await other.page.getByTestId('partner-code-submit').click();
    await other.page.getByTestId('partner-code-accepted').getByText('金华优品供应链').waitFor();

    // A merchant new to Gongxiao signs up through the code's link and starts as the supplier's downstream.
    const newcomer = await browser.open(stage.apiUrl);
    await newcomer.page.goto(`/console/join/${code}`);
    await newcomer.page.getByTestId('join-merchant').fill('宁波新零售');
    await newcomer.page.getByTestId('join-owner').fill('周洁');
    await newcomer.page.getByTestId('join-email').fill(`newcomer-${tag}@partners.example`);
    await newcomer.page.getByTestId('join-password').fill(PASSWORD);
    await newcomer.page.getByTestId('join-submit').click();
    await newcomer.page.getByTestId('my-merchant-id').waitFor();
    await newcomer.page.getByTestId('partners-tab-upstream').click();
    await newcomer.page.locator('tr[data-testid^="partner-row-"]:visible', { hasText: '金华优品供应链' }).getByText('合作中').waitFor();

    await supplier.page.reload();
    const codeRow = supplier.page.locator('tr[data-testid^="invite-code-row-"]', { hasText: '华东分销商' });
    await codeRow.getByText('2 / 3').waitFor();
    await codeRow.locator('[data-testid^="invite-code-revoke-"]').click();
    await confirmInPage(supplier.page);
    await codeRow.getByText('已作废').waitFor();
    const invites = await stage.api.get('/v1/partner-invites', supplierApi.token);
    expect(invites.body.data).toEqual([expect.objectContaining({ status: 'revoked', uses: 2 })]);

    await supplier.page.getByTestId('partners-tab-downstream').click();
    await supplier.page.locator('tr[data-testid^="partner-row-"]:visible', { hasText: '宁波新零售' }).waitFor();
    const partnerRow = supplier.page.locator('tr[data-testid^="partner-row-"]:visible', { hasText: '杭州小铺' });
    await partnerRow.locator('[data-testid^="partner-suspend-"]').click();
    await supplier.page.getByText('暂停后不再有新订单经过该合作').waitFor();
    await confirmInPage(supplier.page);
    await partnerRow.getByText('已暂停').waitFor();
    const joinerSide = async () => (await stage.api.get('/v1/partnerships?side=upstream', joiner.token)).body.data[0].status;
    expect(await joinerSide()).toBe('suspended');
    await partnerRow.locator('[data-testid^="partner-resume-"]').click();
    await partnerRow.getByText('合作中').waitFor();
    expect(await joinerSide()).toBe('active');
  }, 90_000);
});
