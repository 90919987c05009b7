import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';

/**
 * Addresses as platforms write them: a Shopify-style "Guangdong" / "Shenzhen" / "Nanshan District"
 * order is read as 广东省 / 深圳市 / 南山区 and shipped from the supplier's 广东 warehouse (not its
 * better-priority 浙江 one); an address that cannot be normalized still routes, and says so on the order.
 */
describe('address normalization: every spelling of a province routes to its warehouse, the unknown says so', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api, database } = stage;
  let network: OrderNetwork;

  const push = (order: unknown) => api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
  const tshirts = (consignee: Parameters<typeof shopOrder>[1]) => shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }], consignee);
  /** The warehouse the order's first line went to, as its supplier (the factory) sees the fulfillment order. */
  const warehouseOf = async (order: { lines: { fulfillmentOrderId?: string | null }[] }) => {
    const fulfillmentOrder = await api.get(`/v1/fulfillment-orders/${order.lines[0].fulfillmentOrderId}`, network.factory.token);
    expectStatus(fulfillmentOrder, 200);
    return fulfillmentOrder.body.warehouseId as string;
  };

  beforeAll(async () => {
    // The factory ships from 浙江省 (priority 10, preferred) and 广东省 (priority 20), both with stock.
    network = await buildOrderNetwork(api);
  });

  it('routes an order pushed with province "Guangdong" to the 广东省 warehouse and reads it back as 广东省/深圳市/南山区', async () => {
    const order = tshirts({ province: 'Guangdong', city: 'Shenzhen', district: 'Nanshan District', address: 'Keyuan Road 15' });
    const receipt = await push(order);
    expectStatus(receipt, 202);
    const routed = await orderRouted(api, network, receipt.body.id);
    expect(routed.status).toBe('routed');
    expect(routed.consignee).toMatchObject({ province: '广东省', city: '深圳市', district: '南山区', address: 'Keyuan Road 15' });
    expect(routed.warnings).toEqual([]);
    expect(await warehouseOf(routed)).toBe(network.warehouses.guangdong);
  });

  it.each([
    ['GD (Shopify province_code)', { province: 'GD', city: 'Shenzhen Shi', district: 'Nanshan Qu' }],
    ['CN20 (WooCommerce state)', { province: 'CN20', city: '深圳', district: '南山' }],
    ['440000 (division code)', { province: '440000', city: '440300', district: '440305' }],
  ])('routes %s to the 广东省 warehouse too', async (_, consignee) => {
    const receipt = await push(tshirts(consignee));
    expectStatus(receipt, 202);
    const routed = await orderRouted(api, network, receipt.body.id);
    expect(routed.consignee).toMatchObject({ province: '广东省', city: '深圳市', district: '南山区' });
    expect(await warehouseOf(routed)).toBe(network.warehouses.guangdong);
  });

  it('routes an order to an unknown province by warehouse priority, keeps its address as given, and warns on the order and in the list', async () => {
    const order = tshirts({ province: 'Narnia', city: 'Cair Paravel', district: 'East', address: '1 Castle Road' });
    const receipt = await push(order);
    expectStatus(receipt, 202);
    const routed = await orderRouted(api, network, receipt.body.id);
    expect(routed.status).toBe('routed');
    expect(routed.consignee).toMatchObject({ province: 'Narnia', city: 'Cair Paravel', district: 'East' });
    expect(routed.warnings).toEqual([{ code: 'province_unknown', field: 'province', value: 'Narnia', message: expect.stringContaining('无法识别省份') }]);
    // No province to prefer: the better-priority warehouse ships it.
    expect(await warehouseOf(routed)).toBe(network.warehouses.zhejiang);

    const list = await api.get(`/v1/channel-orders?shopId=${network.shop.id}&limit=100`, network.distributor.token);
    expectStatus(list, 200);
    const listed = list.body.data.find((item: { id: string }) => item.id === receipt.body.id);
    expect(listed.warnings).toEqual([expect.objectContaining({ code: 'province_unknown', field: 'province' })]);
  });

  it('warns when the city is not in the province, and still routes by the province', async () => {
    const receipt = await push(tshirts({ province: '浙江', city: '深圳市', district: '南山区' }));
    const routed = await orderRouted(api, network, receipt.body.id);
    expect(routed.consignee).toMatchObject({ province: '浙江省', city: '深圳市', district: '南山区' });
    expect(routed.warnings).toEqual([expect.objectContaining({ code: 'city_not_in_province', field: 'city', value: '深圳市' })]);
    expect(await warehouseOf(routed)).toBe(network.warehouses.zhejiang);
  });

  it('keeps one order for the same body pushed twice: the hash is of what was sent, not of the normalized address', async () => {
    const order = tshirts({ province: 'Guangdong Sheng', city: 'Shenzhen', district: 'Nanshan' });
    const first = await push(order);
    expectStatus(first, 202);
    const again = await push(order);
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ id: first.body.id, duplicate: true });
    // The same order with the normalized spelling is other content: it was not what the shop sent.
    expectStatus(await push({ ...order, consignee: { ...order.consignee, province: '广东省', city: '深圳市', district: '南山区' } }), 409);
    const rows = await withDatabase(database.url, (client) =>
      client.query(`select count(*)::int as orders, min(province) as province from channel_order where external_order_id = $1`, [order.externalOrderId]),
    );
    expect(rows.rows[0]).toEqual({ orders: 1, province: '广东省' });
  });

  it('normalizes hand-entered orders and warehouse provinces with the same rules', async () => {
    const manual = tshirts({ province: 'Zhejiang Province', city: 'Hangzhou', district: 'Xihu' });
    const created = await api.post('/v1/channel-orders', { ...manual, shopId: network.shop.id }, network.distributor.token);
    expectStatus(created, 201);
    const order = await api.get(`/v1/channel-orders/${created.body.id}`, network.distributor.token);
    expect(order.body.consignee).toMatchObject({ province: '浙江省', city: '杭州市', district: '西湖区' });

    const warehouse = await api.post('/v1/warehouses', { code: `SZ-${Date.now()}`, name: 'Shenzhen', province: 'Guangdong Sheng' }, network.factory.token);
    expectStatus(warehouse, 201);
    expect(warehouse.body.province).toBe('广东省');
    const renamed = await api.patch(`/v1/warehouses/${warehouse.body.id}`, { province: 'Shaanxi' }, network.factory.token);
    expectStatus(renamed, 200);
    expect(renamed.body.province).toBe('陕西省');
    const unknown = await api.patch(`/v1/warehouses/${warehouse.body.id}`, { province: '  Overseas hub ' }, network.factory.token);
    expect(unknown.body.province).toBe('Overseas hub');
    // Not left active: a 陕西 warehouse without stock must not change the other stories.
    expectStatus(await api.patch(`/v1/warehouses/${warehouse.body.id}`, { status: 'inactive' }, network.factory.token), 200);
  });
});
