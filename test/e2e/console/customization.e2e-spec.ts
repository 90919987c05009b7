import { formatMoney } from '../../../apps/console/src/format';
import { signInInBrowser, useConsoleBrowser } from '../../support/console-browser';
import { expectStatus, PASSWORD, withDatabase } from '../../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../../support/order-network';
import { useStage } from '../../support/stage';

/**
 * Light customization (轻定制) in the console: the factory declares 定制选项 on its offer's page (a text
 * with an extra in yuan, a choice with its choices); the broker's re-share shows them read-only; the
 * distributor's selection center tags the offer 可定制; a customized line shows its 定制 and the extra on
 * the distributor's order and on the warehouse's order page.
 */
describe('Console: light customization (轻定制)', () => {
  const stage = useStage({ listen: true, worker: 'in-process' });
  const browser = useConsoleBrowser();
  let network: OrderNetwork;

  beforeAll(async () => {
    network = await buildOrderNetwork(stage.api, { stock: 100 });
  }, 90_000);

  it('lets the factory declare options that buyers see, and shows a customized line to both ends', async () => {
    const factory = await browser.open(stage.apiUrl);
    await signInInBrowser(factory.page, network.factory.email, PASSWORD);
    await factory.page.goto(`/console/offers/published/${network.offers.factoryTshirt}`);
    const card = factory.page.getByTestId('offer-customization-card');
    await card.waitFor();
    await factory.page.getByTestId('offer-customization-add').click();
    await factory.page.getByTestId('offer-customization-key-0').fill('engraving');
    await factory.page.getByTestId('offer-customization-label-0').fill('刻字');
    await factory.page.getByTestId('offer-customization-extra-0').fill('5');
    await factory.page.getByTestId('offer-customization-add').click();
    await factory.page.getByTestId('offer-customization-key-1').fill('packaging');
    await factory.page.getByTestId('offer-customization-label-1').fill('包装');
    await factory.page.getByTestId('offer-customization-option-1').locator('.ant-select').click();
    await factory.page.locator('.ant-select-item-option[title="选项"]').click();
    await factory.page.getByTestId('offer-customization-add-choice-1').click();
    const choice = factory.page.getByTestId('offer-customization-choice-1-0').locator('input');
    await choice.nth(0).fill('gift_box');
    await choice.nth(1).fill('礼盒');
    await choice.nth(2).fill('3');
    await factory.page.getByTestId('offer-customization-save').click();
    await factory.page.getByText('定制选项已保存').waitFor();
    const declared = await stage.api.get(`/v1/offers/${network.offers.factoryTshirt}`, network.factory.token);
    expect(declared.body.customization.options).toEqual([
      expect.objectContaining({ key: 'engraving', label: '刻字', kind: 'text', extraPriceAmount: 500 }),
      expect.objectContaining({ key: 'packaging', label: '包装', kind: 'choice', choices: [{ value: 'gift_box', label: '礼盒', extraPriceAmount: 300 }] }),
    ]);

    // The broker's re-share shows them as the factory's, read-only.
    const broker = await browser.open(stage.apiUrl);
    await signInInBrowser(broker.page, network.broker.email, PASSWORD);
    await broker.page.goto(`/console/offers/published/${network.offers.brokerTshirt}`);
    const inherited = broker.page.getByTestId('offer-customization-card');
    await inherited.getByText('刻字').waitFor();
    expect(await inherited.getByTestId('offer-customization-save').count()).toBe(0);

    // The distributor's selection center tags the offer 可定制.
    const distributor = await browser.open(stage.apiUrl);
    await signInInBrowser(distributor.page, network.distributor.email, PASSWORD);
    await distributor.page.goto('/console/distributor/selection');
    await distributor.page.getByTestId(`offer-customization-${network.offers.brokerTshirt}`).getByText('可定制').waitFor();

    // A customized line: its 定制 and the extra per unit on the distributor's order and on the warehouse's order page.
    const order = shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
    const receipt = await stage.api.signedPost(
      `/v1/shops/${network.shop.id}/orders`,
      { ...order, lines: order.lines.map((line) => ({ ...line, customization: { engraving: '生日快乐', packaging: 'gift_box' } })) },
      network.shop.secret,
    );
    expectStatus(receipt, 202);
    expect((await orderRouted(stage.api, network, receipt.body.id)).status).toBe('routed');
    await distributor.page.goto(`/console/distributor/orders/${receipt.body.id}`);
    const line = distributor.page.getByTestId('distributor-line-customization-1');
    await line.getByText('刻字: 生日快乐；包装: 礼盒').waitFor();
    await line.getByText(`含定制加价 ${formatMoney(800, 'CNY')}/件`).waitFor();

    const [{ id: fulfillmentOrderId }] = (
      await withDatabase(stage.database.url, (client) => client.query(`select fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [receipt.body.id]))
    ).rows as { id: string }[];
    await factory.page.goto(`/console/warehouse/inbox/${fulfillmentOrderId}`);
    await factory.page.getByTestId('order-customization-TSHIRT-M').getByText('刻字: 生日快乐；包装: 礼盒').waitFor();
  }, 120_000);
});
