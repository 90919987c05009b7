import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { decryptField, encryptColumns, FieldKeyring, signWebhook } from '@gongxiao/core';
import { SHOP_ENCRYPTED_COLUMNS } from '@gongxiao/channels';
import { WAREHOUSE_ENCRYPTED_COLUMNS } from '@gongxiao/catalog';
import { SUBSCRIPTION_ENCRYPTED_COLUMNS } from '@gongxiao/webhooks';
import { TEST_DATA_ENCRYPTION_KEYS } from '../support/database-admin';
import { expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, ReceivedWebhook, WebhookSink } from '../support/webhook-sink';

/**
 * Signing secrets are stored AES-256-GCM encrypted (`v1:<keyId>:…`), never as shown to the merchant,
 * and still sign and verify: the push ingest, the ERP delivery and the shop's stock callback work
 * with them. The migration encrypts rows written in plaintext before it, and a key rotation
 * re-encrypts them.
 */
describe('signing secrets at rest', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api } = stage;
  let sink: WebhookSink;
  let network: OrderNetwork;
  const shown: string[] = [];
  const em = () => api.app.get(MikroORM).em.fork() as EntityManager;
  const signedBy = (secret: string) => (received: ReceivedWebhook) =>
    received.headers['x-gongxiao-signature'] === signWebhook(secret, String(received.headers['x-gongxiao-timestamp']), received.rawBody);
  const storedSecrets = () =>
    withDatabase(stage.database.url, async (client) => {
      const { rows } = await client.query<{ value: string }>(
        `select webhook_secret as value from shop union all select previous_webhook_secret from shop where previous_webhook_secret is not null
         union all select erp_webhook_secret from warehouse where erp_webhook_secret is not null union all select secret from webhook_subscription`,
      );
      return rows.map((row) => row.value);
    });

  beforeAll(async () => {
    sink = await WebhookSink.start();
    network = await buildOrderNetwork(api, { shopCallbackUrl: sink.url('/shop') });
    shown.push(network.shop.secret, network.shop2.secret);
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('stores every secret encrypted, and signs and verifies with them', async () => {
    const erp = await api.patch(`/v1/warehouses/${network.warehouses.farm}`, { receiveMode: 'erp_webhook', erpWebhookUrl: sink.url('/erp') }, network.farm.token);
    expectStatus(erp, 200);
    expect(erp.body.erpWebhookSecret).toMatch(/^whsec_/);
    const subscription = await api.post('/v1/webhook-subscriptions', { url: sink.url('/events'), events: ['stock.low'] }, network.farm.token);
    expectStatus(subscription, 201);
    const rotated = await api.post(`/v1/shops/${network.shop.id}/rotate-secret`, {}, network.distributor.token);
    expectStatus(rotated, 200);
    shown.push(erp.body.erpWebhookSecret, subscription.body.secret, rotated.body.webhookSecret);

    // Ingest verifies against the decrypted current secret, and the previous one in its grace period.
    expectStatus(await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: 4500 }]), rotated.body.webhookSecret), 202);
    expectStatus(await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: 4500 }]), network.shop.secret), 202);
    expectStatus(await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: 4500 }]), 'whsec_not_the_secret'), 401);
    // The worker signs the ERP delivery and the shop's stock callback with the decrypted secrets.
    const delivered = await eventually(async () => sink.on('/erp').length > 0 && sink.on('/erp'), 20_000, 'ERP delivery');
    expect(delivered.every(signedBy(erp.body.erpWebhookSecret))).toBe(true);
    const callbacks = await eventually(async () => sink.on('/shop').length > 0 && sink.on('/shop'), 20_000, 'shop stock callback');
    expect(callbacks.every((callback) => signedBy(network.shop.secret)(callback) || signedBy(rotated.body.webhookSecret)(callback))).toBe(true);

    const stored = await storedSecrets();
    expect(stored.length).toBeGreaterThanOrEqual(5);
    expect(stored.filter((value) => !/^v1:test1:[^:]+:[^:]+:[^:]+$/.test(value))).toEqual([]);
    expect(stored.filter((value) => shown.some((secret) => value.includes(secret)) || value.includes('whsec_'))).toEqual([]);
    expect(stored.map((value) => decryptField(value)).sort()).toEqual(expect.arrayContaining([...shown].sort()));
    // The ERP deliveries' bodies (the supplier's order, consignee included) are stored encrypted; the ERP got them in clear.
    const bodies = await withDatabase(stage.database.url, (client) => client.query<{ body: string }>(`select payload::text as body from webhook_delivery where target_kind = 'warehouse_erp'`));
    expect(bodies.rows.length).toBeGreaterThan(0);
    expect(bodies.rows.filter((row) => !row.body.startsWith('"v1:test1:'))).toEqual([]);
    expect(delivered[0].body).toEqual(expect.objectContaining({ event: expect.any(String), data: expect.any(Object) }));
  });

  it('encrypts secrets written in plaintext before the migration, once, and pushes still verify', async () => {
    const legacy = 'whsec_legacy_plaintext_secret_0001';
    await withDatabase(stage.database.url, async (client) => {
      await client.query(`update shop set webhook_secret = $1, previous_webhook_secret = null where id = $2`, [legacy, network.shop2.id]);
      await client.query(`update warehouse set erp_webhook_secret = 'whsec_legacy_erp_0001' where id = $1`, [network.warehouses.zhejiang]);
      await client.query(`update webhook_subscription set secret = 'whsec_legacy_subscription_0001'`);
    });
    const migrate = () =>
      em().transactional(async (tx) => {
        const changed: number[] = [];
        for (const target of [SHOP_ENCRYPTED_COLUMNS, WAREHOUSE_ENCRYPTED_COLUMNS, SUBSCRIPTION_ENCRYPTED_COLUMNS]) changed.push(await encryptColumns(tx, target));
        return changed;
      });
    expect(await migrate()).toEqual([1, 1, 1]);
    expect(await migrate()).toEqual([0, 0, 0]);
    const stored = await storedSecrets();
    expect(stored.filter((value) => !value.startsWith('v1:test1:'))).toEqual([]);
    expect(stored.map((value) => decryptField(value))).toEqual(expect.arrayContaining([legacy, 'whsec_legacy_erp_0001', 'whsec_legacy_subscription_0001']));
    expectStatus(await api.signedPost(`/v1/shops/${network.shop2.id}/orders`, shopOrder([{ code: 'HONEY', quantity: 1, unitPrice: 4500 }]), legacy), 202);
  });

  it('re-encrypts every secret under a new key on rotation, and the old key can then retire', async () => {
    const before = await storedSecrets();
    const keyB = `k2:${Buffer.alloc(32, 0x42).toString('base64')}`;
    const rotatedRing = FieldKeyring.parse(`${TEST_DATA_ENCRYPTION_KEYS},${keyB}`, 'k2');
    const rotate = (keyring: FieldKeyring) =>
      em().transactional(async (tx) => {
        let changed = 0;
        for (const target of [SHOP_ENCRYPTED_COLUMNS, WAREHOUSE_ENCRYPTED_COLUMNS, SUBSCRIPTION_ENCRYPTED_COLUMNS]) changed += await encryptColumns(tx, target, { keyring, rotate: true });
        return changed;
      });
    expect(await rotate(rotatedRing)).toBeGreaterThanOrEqual(5);
    const underB = await storedSecrets();
    expect(underB.filter((value) => !value.startsWith('v1:k2:'))).toEqual([]);
    // Only key B is needed now.
    const onlyB = FieldKeyring.parse(keyB);
    expect(underB.map((value) => onlyB.decrypt(value)).sort()).toEqual(before.map((value) => decryptField(value)).sort());
    // Back under the test run's key, so the rest of the run still reads them.
    await rotate(FieldKeyring.parse(`${TEST_DATA_ENCRYPTION_KEYS},${keyB}`, 'test1'));
    expect((await storedSecrets()).every((value) => value.startsWith('v1:test1:'))).toBe(true);
  });
});
