import { createHash } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { encryptChannelOrderContacts } from '@gongxiao/orders';
import { encryptFulfillmentOrderContacts } from '@gongxiao/fulfillment';
import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';

/**
 * The consignee's name, phone and address are stored encrypted (the raw payload too); the merge key
 * is a keyed hash. The distributor whose shop took the order and the supplier that ships it read
 * them in full (views, export); a broker in between reads no contact data at all.
 */
describe('consignee contact data at rest and need-to-know', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api } = stage;
  let network: OrderNetwork;
  let orderId: string;
  const consignee = { name: '李四光', phone: '13912345678', address: '文三路 88 号 3 单元 501' };
  const plaintexts = Object.values(consignee);
  const stored = () =>
    withDatabase(stage.database.url, async (client) => {
      const orders = await client.query(`select consignee_name, consignee_phone, address, raw_payload::text as raw from channel_order`);
      const parcels = await client.query(`select consignee_name, consignee_phone, address, consignee_key from fulfillment_order`);
      return { orders: orders.rows, parcels: parcels.rows };
    });

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'TSHIRT', quantity: 1, unitPrice: 5990 }], consignee), network.shop.secret);
    expectStatus(push, 202);
    orderId = push.body.id;
    expect((await orderRouted(api, network, orderId)).status).toBe('routed');
  });

  it('holds no plaintext contact data in channel_order or fulfillment_order', async () => {
    const { orders, parcels } = await stored();
    expect(orders.length).toBeGreaterThan(0);
    expect(parcels.length).toBeGreaterThan(0);
    const values = [...orders.flatMap((row) => [row.consignee_name, row.consignee_phone, row.address]), ...parcels.flatMap((row) => [row.consignee_name, row.consignee_phone, row.address])];
    expect(values.filter((value: string) => !value.startsWith('v1:'))).toEqual([]);
    // The raw payload is one encrypted JSON string.
    expect(orders.filter((row) => !row.raw.startsWith('"v1:'))).toEqual([]);
    const everything = JSON.stringify({ orders, parcels });
    expect(plaintexts.filter((text) => everything.includes(text))).toEqual([]);
    // Webhook deliveries (an ERP's order carries the consignee) store their bodies encrypted too.
    const deliveries = await withDatabase(stage.database.url, (client) => client.query<{ body: string }>(`select payload::text as body from webhook_delivery`));
    expect(deliveries.rows.filter((row) => !row.body.startsWith('"v1:'))).toEqual([]);
    expect(plaintexts.filter((text) => deliveries.rows.some((row) => row.body.includes(text)))).toEqual([]);
    // The merge key is keyed: not the plain hash of the normalized consignee.
    const plainHash = createHash('sha256').update(['李四光', '13912345678', '浙江省', '杭州市', '西湖区', '文三路88号3单元501'].join('|')).digest('hex');
    expect(parcels.map((row) => row.consignee_key)).not.toContain(plainHash);
  });

  it('shows the distributor and the supplier the full contact data, and the broker none', async () => {
    const own = await api.get(`/v1/channel-orders/${orderId}`, network.distributor.token);
    expect(own.body.consignee).toMatchObject({ name: consignee.name, phone: consignee.phone, address: consignee.address, district: '西湖区' });
    const inbox = await api.get('/v1/fulfillment-orders', network.factory.token);
    expect(inbox.body.data.map((order: { consignee: unknown }) => order.consignee)).toContainEqual(expect.objectContaining({ phone: consignee.phone, address: consignee.address }));
    const exported = await api.app.inject({ method: 'GET', url: '/v1/fulfillment-orders/export.xlsx?status=new', headers: { authorization: `Bearer ${network.factory.token}` } });
    expect(exported.statusCode).toBe(200);
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    expect(JSON.stringify(workbook.worksheets[0].getSheetValues())).toContain(consignee.phone);

    // The broker resells the goods but ships nothing and took no order: no view carries the consignee.
    const brokerReads = [
      await api.get(`/v1/channel-orders/${orderId}`, network.broker.token),
      await api.get('/v1/channel-orders', network.broker.token),
      await api.get('/v1/fulfillment-orders', network.broker.token),
      await api.get('/v1/returns', network.broker.token),
    ];
    expect(brokerReads[0].status).toBe(404);
    const brokerExport = await api.app.inject({ method: 'GET', url: '/v1/fulfillment-orders/export.xlsx?status=new', headers: { authorization: `Bearer ${network.broker.token}` } });
    const seen = JSON.stringify(brokerReads.map((read) => read.body)) + brokerExport.rawPayload.toString('latin1');
    expect(plaintexts.filter((text) => seen.includes(text) || seen.includes(Buffer.from(text).toString('latin1')))).toEqual([]);
  });

  it('encrypts contact data stored in plaintext before the migration, once', async () => {
    await withDatabase(stage.database.url, async (client) => {
      await client.query(
        `update channel_order set consignee_name = '王五', consignee_phone = '13700001111', address = '旧地址 1 号', raw_payload = '{"consignee": {"phone": "13700001111"}}'::jsonb where id = $1`,
        [orderId],
      );
      await client.query(`update fulfillment_order set consignee_name = '王五', consignee_phone = '13700001111', address = '旧地址 1 号'`);
    });
    const em = () => api.app.get(MikroORM).em.fork() as EntityManager;
    for (let run = 0; run < 2; run++) {
      await em().transactional(async (tx) => {
        await encryptChannelOrderContacts(tx);
        await encryptFulfillmentOrderContacts(tx);
      });
    }
    const { orders, parcels } = await stored();
    expect(JSON.stringify({ orders, parcels })).not.toContain('13700001111');
    expect([...orders, ...parcels].every((row) => row.consignee_phone.startsWith('v1:') && row.address.startsWith('v1:'))).toBe(true);
    expect((await api.get(`/v1/channel-orders/${orderId}`, network.distributor.token)).body.consignee).toMatchObject({ name: '王五', phone: '13700001111', address: '旧地址 1 号' });
  });
});
