import { formatMoney } from '../../../apps/console/src/format';
import { signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { expectStatus, PASSWORD } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';

/** A date input's value (China's calendar day), `days` from today. */
const day = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Trial sale in the console: the broker sets a trial on its re-share on the offer's page; the
 * distributor's selection center tags the offer 试销 with the trial price and the units it has left,
 * and its trial figures open from the tag once an order took trial units.
 */
describe('Console: trial sale (五折试销)', () => {
  const stage = useStage({ listen: true, worker: 'in-process' });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api, { stock: 100 });
  }, 90_000);

  it('lets the broker set a trial on its re-share, which the distributor sees tagged with its units left and figures', async () => {
    const broker = await browser.open(stage.apiUrl);
    await signInInBrowser(broker.page, network.broker.email, PASSWORD);
    await broker.page.goto(`/console/offers/published/${network.offers.brokerTshirt}`);
    await broker.page.getByTestId('offer-trial-price').fill('20');
    await broker.page.getByTestId('offer-trial-units').fill('3');
    await broker.page.getByTestId('offer-trial-starts').fill(day(0));
    await broker.page.getByTestId('offer-trial-ends').fill(day(7));
    await broker.page.getByTestId('offer-trial-save').click();
    await broker.page.getByTestId('offer-trial-current').getByText('试销中').waitFor();
    const offer = await stage.api.get(`/v1/offers/${network.offers.brokerTshirt}`, network.broker.token);
    expect(offer.body.trial).toEqual(expect.objectContaining({ price: { amount: 2000, currency: 'CNY' }, unitsPerBuyer: 3, active: true }));

    // One order takes 2 of the distributor's 3 trial units.
    const receipt = await stage.api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]), network.shop.secret);
    expectStatus(receipt, 202);
    expect((await orderRouted(stage.api, network, receipt.body.id)).status).toBe('routed');

    const distributor = await browser.open(stage.apiUrl);
    await signInInBrowser(distributor.page, network.distributor.email, PASSWORD);
    await distributor.page.goto('/console/distributor/selection');
    const tag = distributor.page.getByTestId(`offer-trial-${network.offers.brokerTshirt}`);
    await tag.getByText(`试销价 ${formatMoney(2000, 'CNY')}，还剩 1 件`).waitFor();
    await distributor.page.getByTestId(`offer-trial-figures-${network.offers.brokerTshirt}`).click();
    const figures = distributor.page.getByTestId('offer-trial-figures');
    await figures.waitFor();
    expect(await figures.innerText()).toMatch(/试销价件数\s*2[\s\S]*已发货\s*0[\s\S]*订单数\s*1[\s\S]*差评\s*0/);
  }, 90_000);
});
