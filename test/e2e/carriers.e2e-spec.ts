import { expectError, expectStatus } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';

/**
 * Carriers as people and platforms write them: the dictionary at GET /v1/carriers, a parcel's
 * carrier given by code, Chinese name or a tracker's code and stored as Gongxiao's code, and an
 * unknown carrier refused by field with nothing written.
 */
describe('carriers: one dictionary for every parcel', () => {
  const { api } = useStage({ worker: 'in-process' });
  let network: OrderNetwork;

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
  });

  it('lists the carriers with their Chinese names and platform codes', async () => {
    const answer = await api.get('/v1/carriers', network.factory.token);
    expectStatus(answer, 200);
    expect(answer.body.nextCursor).toBeNull();
    const byCode = new Map(answer.body.data.map((carrier: { code: string }) => [carrier.code, carrier]));
    expect(byCode.get('SF')).toEqual(expect.objectContaining({ name: { 'zh-CN': '顺丰速运', en: 'SF Express' }, platformCodes: expect.objectContaining({ kuaidi100: 'shunfeng' }) }));
    expect(byCode.get('JTSD')).toEqual(expect.objectContaining({ platformCodes: { kuaidi100: 'jtexpress', wechat_shop: 'JTSD' } }));
    expect((await api.get('/v1/carriers')).status).toBe(401);
  });

  it('stores the code of a carrier written as its Chinese name or a tracker’s code, and refuses an unknown one', async () => {
    const receipt = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]), network.shop.secret);
    expectStatus(receipt, 202);
    expect((await orderRouted(api, network, receipt.body.id)).status).toBe('routed');
    const inbox = await api.get('/v1/fulfillment-orders?status=new', network.factory.token);
    const order = inbox.body.data[0];
    const line = order.lines[0];

    expectError(
      await api.post(`/v1/fulfillment-orders/${order.id}/shipments`, { carrierCode: 'NOSUCHCARRIER', trackingNumber: 'SF123456789012' }, network.factory.token),
      400,
      'validation_failed',
      'carrierCode',
    );
    // A number in another carrier's shape (ZTO's digits under SF) or too short for SF is refused by field, naming the shape.
    for (const trackingNumber of ['78912345678901', 'SF0001']) {
      const refused = await api.post(`/v1/fulfillment-orders/${order.id}/shipments`, { carrierCode: 'SF', trackingNumber }, network.factory.token);
      expectError(refused, 400, 'validation_failed', 'trackingNumber');
      expect(refused.body.error.details).toEqual([{ field: 'trackingNumber', reason: 'is not a plausible SF tracking number: SF tracking numbers are SF followed by 12 or 13 digits' }]);
    }
    expect((await api.get(`/v1/fulfillment-orders/${order.id}`, network.factory.token)).body.shipments).toEqual([]);

    const first = await api.post(
      `/v1/fulfillment-orders/${order.id}/shipments`,
      { carrierCode: '顺丰', trackingNumber: 'SF123456789012', lines: [{ lineId: line.id, quantity: 1 }] },
      network.factory.token,
    );
    expectStatus(first, 201);
    expect(first.body.carrierCode).toBe('SF');
    const second = await api.post(`/v1/fulfillment-orders/${order.id}/shipments`, { carrierCode: 'jtexpress', trackingNumber: 'jt 0001 2345 67890' }, network.factory.token);
    expectStatus(second, 201);
    expect(second.body.carrierCode).toBe('JTSD');
    // Stored as the carrier prints it: spaces dropped, upper case.
    expect(second.body.trackingNumber).toBe('JT0001234567890');
    // The same parcel sent again with another spelling of its carrier is the same parcel.
    const again = await api.post(
      `/v1/fulfillment-orders/${order.id}/shipments`,
      { carrierCode: 'SF Express', trackingNumber: 'SF123456789012', lines: [{ lineId: line.id, quantity: 1 }] },
      network.factory.token,
    );
    expect(again.body.id).toBe(first.body.id);
    const shipped = await api.get(`/v1/fulfillment-orders/${order.id}`, network.factory.token);
    expect(shipped.body.shipments.map((shipment: { carrierCode: string }) => shipment.carrierCode).sort()).toEqual(['JTSD', 'SF']);
  });
});
