import { decryptField } from '@gongxiao/core';
import { cny, expectError, expectStatus, invitationFrom, PASSWORD, SignedUpMerchant, signUp, withDatabase } from '../support/merchant-network';
import { useStage } from '../support/stage';

/**
 * Issue 2, the foundation, as a story. Yiwu Sunrise Factory makes T-shirts; Hangzhou Bridge Trading
 * brokers them; Sunny Home, the owner of a Youzan and a Douyin shop, sells them. They sign up,
 * partner, publish, re-share and list — and each sees only its own hop of the chain.
 * The tests run in order and build on each other, like the people they describe.
 */
describe('Foundation: a factory, a broker and the owner of two shops build a supply chain', () => {
  const { api, database } = useStage();

  let factory: SignedUpMerchant;
  let broker: SignedUpMerchant;
  let distributor: SignedUpMerchant;

  // Ids learnt along the way.
  let factoryToBroker: string;
  let brokerToDistributor: string;
  let tShirt: string;
  let redM: string;
  let redL: string;
  let yiwuWarehouse: string;
  let guangzhouWarehouse: string;
  let factoryOffer: string;
  let brokerOffer: string;
  let youzanShop: string;
  let douyinShop: string;

  /** Login tokens of the factory's staff. */
  const staff: Record<'warehouse' | 'finance' | 'operator', string> = { warehouse: '', finance: '', operator: '' };

  describe('merchants and access', () => {
    it('a factory, a broker and a distributor sign up, each with an owner who can log in and out', async () => {
      factory = await signUp(api, 'Yiwu Sunrise Factory', 'Li Wei', 'li.wei@sunrise.example');
      broker = await signUp(api, 'Hangzhou Bridge Trading', 'Chen Jing', 'chen@bridge.example');
      distributor = await signUp(api, 'Sunny Home', 'Wang Fang', 'wang@sunnyhome.example');
      expect(new Set([factory.merchantId, broker.merchantId, distributor.merchantId]).size).toBe(3);
      for (const merchant of [factory, broker, distributor]) {
        expect(merchant.merchantId).toMatch(/^\d+$/);
        expect(merchant.token).toMatch(/^gxs_/);
      }

      // Li Wei logs in again on another device (email case does not matter).
      const login = await api.post('/v1/auth/login', { email: 'Li.Wei@Sunrise.example', password: PASSWORD });
      expectStatus(login, 200);
      expect(login.body).toEqual(
        expect.objectContaining({
          token: expect.stringMatching(/^gxs_/),
          merchant: expect.objectContaining({ id: factory.merchantId, name: 'Yiwu Sunrise Factory' }),
          member: expect.objectContaining({ name: 'Li Wei', role: 'owner', email: 'li.wei@sunrise.example' }),
        }),
      );
      expect(login.body.token).not.toBe(factory.token);
      expect(JSON.stringify(login.body)).not.toMatch(/password|scrypt/i);
      const me = await api.get('/v1/merchants/me', login.body.token);
      expectStatus(me, 200);
      expect(me.body).toEqual(expect.objectContaining({ id: factory.merchantId, name: 'Yiwu Sunrise Factory' }));

      expectError(await api.post('/v1/auth/login', { email: 'li.wei@sunrise.example', password: 'not the password' }), 401, 'invalid_credentials');
      expectError(await api.post('/v1/auth/sign-up', { merchantName: 'Copycat', ownerName: 'Li', email: 'LI.WEI@sunrise.example', password: PASSWORD }), 409, 'email_taken', 'email');

      // Logging out ends that session only.
      expectStatus(await api.post('/v1/auth/logout', {}, login.body.token), 204);
      expectError(await api.get('/v1/merchants/me', login.body.token), 401, 'unauthenticated');
      expectStatus(await api.get('/v1/merchants/me', factory.token), 200);
    });
  });

  describe('partnerships', () => {
    it('the factory invites the broker as its downstream partner, and only the broker can accept', async () => {
      const invite = await api.post('/v1/partnerships', { downstreamMerchantId: broker.merchantId, note: 'Summer T-shirts' }, factory.token);
      expectStatus(invite, 202);
      // The same answer as for an id that is no merchant: inviting by id reveals nothing.
      expect(invite.body).toEqual({ status: 'sent', downstreamMerchantId: broker.merchantId });

      // The broker finds the invitation among the partners that would supply it, with the inviter's name.
      const inbox = await api.get('/v1/partnerships?side=upstream&status=invited', broker.token);
      expectStatus(inbox, 200);
      expect(inbox.body.data).toEqual([
        expect.objectContaining({
          yourSide: 'downstream',
          status: 'invited',
          upstream: { merchantId: factory.merchantId, name: 'Yiwu Sunrise Factory' },
          currency: 'CNY',
          settlementCycle: 'monthly',
          note: 'Summer T-shirts',
          acceptedAt: null,
        }),
      ]);
      factoryToBroker = inbox.body.data[0].id;

      // The factory sees nothing of it until it is accepted, and cannot accept it.
      expect((await api.get('/v1/partnerships', factory.token)).body.data).toEqual([]);
      expectError(await api.post(`/v1/partnerships/${factoryToBroker}/accept`, {}, factory.token), 404, 'partnership_not_found');
      expectError(await api.get(`/v1/partnerships/${factoryToBroker}`, factory.token), 404, 'partnership_not_found');

      const accepted = await api.post(`/v1/partnerships/${factoryToBroker}/accept`, {}, broker.token);
      expectStatus(accepted, 200);
      expect(accepted.body).toEqual(expect.objectContaining({ status: 'active', yourSide: 'downstream', acceptedAt: expect.any(String) }));
      const seen = await api.get(`/v1/partnerships/${factoryToBroker}`, factory.token);
      expect(seen.body).toEqual(expect.objectContaining({ status: 'active', yourSide: 'upstream', downstream: { merchantId: broker.merchantId, name: 'Hangzhou Bridge Trading' } }));

      // Accepting twice is an illegal move that names the state.
      const again = await api.post(`/v1/partnerships/${factoryToBroker}/accept`, {}, broker.token);
      expectError(again, 409, 'partnership_illegal_transition', 'status');
      expect(again.body.error.message).toContain('active');
      expect(again.body.error.details).toEqual([{ field: 'status', reason: 'current status is active' }]);

      expectError(await api.post('/v1/partnerships', { downstreamMerchantId: broker.merchantId }, factory.token), 409, 'partnership_exists', 'downstreamMerchantId');
    });

    it('the broker, downstream of the factory, is upstream of the distributor', async () => {
      expectStatus(await api.post('/v1/partnerships', { downstreamMerchantId: distributor.merchantId }, broker.token), 202);
      brokerToDistributor = await invitationFrom(api, broker.merchantId, distributor);
      expectStatus(await api.post(`/v1/partnerships/${brokerToDistributor}/accept`, {}, distributor.token), 200);

      const brokers = await api.get('/v1/partnerships', broker.token);
      expectStatus(brokers, 200);
      expect(brokers.body.data).toEqual([
        expect.objectContaining({ id: factoryToBroker, yourSide: 'downstream', status: 'active', upstream: expect.objectContaining({ name: 'Yiwu Sunrise Factory' }) }),
        expect.objectContaining({ id: brokerToDistributor, yourSide: 'upstream', status: 'active', downstream: expect.objectContaining({ name: 'Sunny Home' }) }),
      ]);
      // The factory and the distributor have nothing to do with each other.
      expect((await api.get('/v1/partnerships', distributor.token)).body.data.map((p: { id: string }) => p.id)).toEqual([brokerToDistributor]);
      expect((await api.get('/v1/partnerships', factory.token)).body.data.map((p: { id: string }) => p.id)).toEqual([factoryToBroker]);
    });

    it('either side may suspend; only the side that suspended may resume; illegal moves name the state', async () => {
      // The distributor, downstream, pauses buying from the broker.
      const suspended = await api.post(`/v1/partnerships/${brokerToDistributor}/suspend`, {}, distributor.token);
      expectStatus(suspended, 200);
      expect(suspended.body).toEqual(expect.objectContaining({ status: 'suspended', suspendedBy: 'downstream', suspendedAt: expect.any(String) }));

      const twice = await api.post(`/v1/partnerships/${brokerToDistributor}/suspend`, {}, broker.token);
      expectError(twice, 409, 'partnership_illegal_transition', 'status');
      expect(twice.body.error.message).toContain('suspended');

      expectError(await api.post(`/v1/partnerships/${brokerToDistributor}/resume`, {}, broker.token), 403, 'forbidden');
      expect((await api.get(`/v1/partnerships/${brokerToDistributor}`, broker.token)).body.status).toBe('suspended');

      const resumed = await api.post(`/v1/partnerships/${brokerToDistributor}/resume`, {}, distributor.token);
      expectStatus(resumed, 200);
      expect(resumed.body).toEqual(expect.objectContaining({ status: 'active', suspendedBy: null, suspendedAt: null }));

      const resumeActive = await api.post(`/v1/partnerships/${brokerToDistributor}/resume`, {}, distributor.token);
      expectError(resumeActive, 409, 'partnership_illegal_transition', 'status');
      expect(resumeActive.body.error.message).toContain('active');
      const declineActive = await api.post(`/v1/partnerships/${brokerToDistributor}/decline`, {}, distributor.token);
      expectError(declineActive, 409, 'partnership_illegal_transition', 'status');
      expect(declineActive.body.error.details).toEqual([{ field: 'status', reason: 'current status is active' }]);

      // The factory, upstream, suspends the broker; the broker cannot lift it.
      const byFactory = await api.post(`/v1/partnerships/${factoryToBroker}/suspend`, {}, factory.token);
      expect(byFactory.body).toEqual(expect.objectContaining({ status: 'suspended', suspendedBy: 'upstream' }));
      expectError(await api.post(`/v1/partnerships/${factoryToBroker}/resume`, {}, broker.token), 403, 'forbidden');
      expectStatus(await api.post(`/v1/partnerships/${factoryToBroker}/resume`, {}, factory.token), 200);
      expect((await api.get(`/v1/partnerships/${factoryToBroker}`, broker.token)).body.status).toBe('active');
    });

    it('a merchant cannot partner with itself; an id that is no merchant answers like one that is', async () => {
      expectError(await api.post('/v1/partnerships', { downstreamMerchantId: factory.merchantId }, factory.token), 400, 'validation_failed', 'downstreamMerchantId');
      const unknown = await api.post('/v1/partnerships', { downstreamMerchantId: '987654321' }, factory.token);
      expectStatus(unknown, 202);
      expect(unknown.body).toEqual({ status: 'sent', downstreamMerchantId: '987654321' });
      expect((await api.get('/v1/partnerships', factory.token)).body.data).toHaveLength(1);
    });
  });

  describe('catalog, warehouses and stock', () => {
    it('the factory lists a T-shirt with its SKUs; duplicate SKU codes are refused by field and write nothing', async () => {
      const created = await api.post(
        '/v1/products',
        {
          name: 'Cotton T-shirt',
          description: '180 g combed cotton',
          skus: [
            { code: 'TS-RED-M', name: 'T-shirt red M', specs: { color: 'red', size: 'M' }, spec: ' 红色 / M ', weightGrams: 220, barcode: '6901234567892' },
            { code: 'TS-RED-L', name: 'T-shirt red L', specs: { color: 'red', size: 'L' }, weightGrams: 240 },
          ],
        },
        factory.token,
      );
      expectStatus(created, 201);
      expect(created.body).toEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^\d+$/),
          name: 'Cotton T-shirt',
          skus: [
            // 规格 is stored trimmed; a SKU without one answers null.
            expect.objectContaining({ code: 'TS-RED-M', specs: { color: 'red', size: 'M' }, spec: '红色 / M', weightGrams: 220, barcode: '6901234567892' }),
            expect.objectContaining({ code: 'TS-RED-L', spec: null, barcode: null }),
          ],
        }),
      );
      tShirt = created.body.id;
      [redM, redL] = created.body.skus.map((sku: { id: string }) => sku.id);

      // The same code twice in one request: the second one is named.
      const twiceInRequest = await api.post(
        '/v1/products',
        {
          name: 'Ceramic mug',
          skus: [
            { code: 'MUG-WHITE', name: 'Mug white' },
            { code: 'MUG-WHITE', name: 'Mug white again' },
          ],
        },
        factory.token,
      );
      expectError(twiceInRequest, 409, 'sku_code_taken', 'skus[1].code');
      // A code the factory already uses.
      const alreadyUsed = await api.post(
        '/v1/products',
        {
          name: 'Ceramic mug',
          skus: [
            { code: 'MUG-WHITE', name: 'Mug white' },
            { code: 'TS-RED-M', name: 'Mug red' },
          ],
        },
        factory.token,
      );
      expectError(alreadyUsed, 409, 'sku_code_taken', 'skus[1].code');
      expect(alreadyUsed.body.error.details).toEqual([{ field: 'skus[1].code', reason: expect.stringContaining('TS-RED-M') }]);
      // Neither request wrote anything: no mug, and MUG-WHITE is still free.
      const products = await api.get('/v1/products', factory.token);
      expect(products.body.data.map((p: { name: string }) => p.name)).toEqual(['Cotton T-shirt']);

      expectError(await api.post(`/v1/products/${tShirt}/skus`, { code: 'TS-RED-L', name: 'dup' }, factory.token), 409, 'sku_code_taken', 'code');
      expectError(await api.post(`/v1/products/${tShirt}/skus`, { code: 'TS-RED-XS', name: 'T-shirt red XS', spec: '红'.repeat(201) }, factory.token), 400, 'validation_failed', 'spec');
      const small = await api.post(`/v1/products/${tShirt}/skus`, { code: 'TS-RED-S', name: 'T-shirt red S', specs: { color: 'red', size: 'S' }, spec: '红色 / S' }, factory.token);
      expectStatus(small, 201);
      expect(small.body).toEqual(expect.objectContaining({ productId: tShirt, code: 'TS-RED-S', spec: '红色 / S' }));

      const renamed = await api.patch(`/v1/skus/${redL}`, { name: 'T-shirt red L (loose fit)', spec: '红色 / L 宽松' }, factory.token);
      expectStatus(renamed, 200);
      expect(renamed.body).toEqual(expect.objectContaining({ id: redL, code: 'TS-RED-L', name: 'T-shirt red L (loose fit)', spec: '红色 / L 宽松', weightGrams: 240 }));
      // A change that does not name the spec keeps it; an empty one clears it.
      expect((await api.patch(`/v1/skus/${small.body.id}`, { weightGrams: 200 }, factory.token)).body).toEqual(expect.objectContaining({ spec: '红色 / S', weightGrams: 200 }));
      expect((await api.patch(`/v1/skus/${small.body.id}`, { spec: '  ' }, factory.token)).body).toEqual(expect.objectContaining({ spec: null }));
      expectError(await api.patch(`/v1/skus/${redL}`, { spec: 'L'.repeat(201) }, factory.token), 400, 'validation_failed', 'spec');
      // The bound is the column's: 200 characters as PostgreSQL counts them (an emoji is one; "❤️" is two, the heart and its variation selector).
      expectError(await api.patch(`/v1/skus/${small.body.id}`, { spec: '❤️'.repeat(101) }, factory.token), 400, 'validation_failed', 'spec');
      expect((await api.patch(`/v1/skus/${small.body.id}`, { spec: '😀'.repeat(200) }, factory.token)).body).toEqual(expect.objectContaining({ spec: '😀'.repeat(200) }));
      expect((await api.patch(`/v1/skus/${small.body.id}`, { spec: '' }, factory.token)).body).toEqual(expect.objectContaining({ spec: null }));

      const product = await api.get(`/v1/products/${tShirt}`, factory.token);
      expect(product.body.skus.map((sku: { code: string; spec: string | null }) => [sku.code, sku.spec])).toEqual([
        ['TS-RED-M', '红色 / M'],
        ['TS-RED-L', '红色 / L 宽松'],
        ['TS-RED-S', null],
      ]);
      const listed = (await api.get('/v1/products', factory.token)).body.data[0];
      expect(listed.skus.map((sku: { spec: string | null }) => sku.spec)).toEqual(['红色 / M', '红色 / L 宽松', null]);

      // Codes are unique per supplier: the broker may use the same code for its own goods.
      expectStatus(await api.post('/v1/products', { name: 'Bridge house tee', skus: [{ code: 'TS-RED-M', name: 'House tee' }] }, broker.token), 201);
    });

    it('the factory sets up warehouses that receive orders in an inbox or by ERP webhook', async () => {
      const yiwu = await api.post('/v1/warehouses', { code: 'ZJ-YIWU', name: 'Yiwu main warehouse', province: '浙江省', city: '金华市', priority: 10 }, factory.token);
      expectStatus(yiwu, 201);
      expect(yiwu.body).toEqual(expect.objectContaining({ code: 'ZJ-YIWU', province: '浙江省', priority: 10, receiveMode: 'inbox', status: 'active' }));
      expect(yiwu.body).not.toHaveProperty('erpWebhookSecret');
      yiwuWarehouse = yiwu.body.id;

      const guangzhou = await api.post(
        '/v1/warehouses',
        { code: 'GD-GZ', name: 'Guangzhou overflow', province: '广东省', priority: 20, receiveMode: 'erp_webhook', erpWebhookUrl: 'https://erp.sunrise.example/orders' },
        factory.token,
      );
      expectStatus(guangzhou, 201);
      expect(guangzhou.body.erpWebhookSecret).toMatch(/^whsec_/);
      guangzhouWarehouse = guangzhou.body.id;

      // The ERP secret is shown when created or rotated, never when read.
      const read = await api.get(`/v1/warehouses/${guangzhouWarehouse}`, factory.token);
      expectStatus(read, 200);
      expect(read.body).not.toHaveProperty('erpWebhookSecret');
      expect(JSON.stringify(read.body)).not.toContain(guangzhou.body.erpWebhookSecret);
      const rotated = await api.post(`/v1/warehouses/${guangzhouWarehouse}/rotate-erp-secret`, {}, factory.token);
      expectStatus(rotated, 200);
      expect(rotated.body.erpWebhookSecret).toMatch(/^whsec_/);
      expect(rotated.body.erpWebhookSecret).not.toBe(guangzhou.body.erpWebhookSecret);

      const list = await api.get('/v1/warehouses', factory.token);
      expect(list.body.data.map((w: { code: string }) => w.code)).toEqual(['ZJ-YIWU', 'GD-GZ']);
      expect(list.body.nextCursor).toBeNull();
      expect(JSON.stringify(list.body)).not.toContain('whsec_');

      expectError(await api.post('/v1/warehouses', { code: 'ZJ-YIWU', name: 'again', province: '浙江省' }, factory.token), 409, 'warehouse_code_taken', 'code');
      expectError(await api.post('/v1/warehouses', { code: 'SH-1', name: 'Shanghai', province: '上海市', receiveMode: 'erp_webhook' }, factory.token), 400, 'validation_failed', 'erpWebhookUrl');
      expect((await api.get('/v1/warehouses', factory.token)).body.data).toHaveLength(2);
    });

    it('stock on hand is set and adjusted per warehouse and SKU, and never goes below zero', async () => {
      const set = await api.put('/v1/stock-levels', { warehouseId: yiwuWarehouse, skuId: redM, onHand: 100, safetyStock: 5 }, factory.token);
      expectStatus(set, 200);
      expect(set.body).toEqual(expect.objectContaining({ warehouseId: yiwuWarehouse, skuId: redM, onHand: 100, reserved: 0, safetyStock: 5, available: 95 }));

      const damaged = await api.post('/v1/stock-levels/adjustments', { warehouseId: yiwuWarehouse, skuId: redM, delta: -30, note: 'water damage' }, factory.token);
      expectStatus(damaged, 200);
      expect(damaged.body).toEqual(expect.objectContaining({ onHand: 70, available: 65 }));

      const tooMany = await api.post('/v1/stock-levels/adjustments', { warehouseId: yiwuWarehouse, skuId: redM, delta: -71 }, factory.token);
      expectError(tooMany, 409, 'stock_would_go_negative', 'delta');

      expectStatus(await api.put('/v1/stock-levels', { warehouseId: guangzhouWarehouse, skuId: redL, onHand: 40 }, factory.token), 200);

      const all = await api.get('/v1/stock-levels', factory.token);
      expectStatus(all, 200);
      expect(all.body.data).toHaveLength(2);
      // One per page: the cursor walks warehouse by warehouse, SKU by SKU, and ends with null.
      const first = await api.get('/v1/stock-levels?limit=1', factory.token);
      expect(first.body.data).toHaveLength(1);
      const second = await api.get(`/v1/stock-levels?limit=1&cursor=${first.body.nextCursor}`, factory.token);
      expect([...first.body.data, ...second.body.data]).toEqual(all.body.data);
      expect(second.body.nextCursor).toBeNull();
      const yiwu = await api.get(`/v1/stock-levels?warehouseId=${yiwuWarehouse}`, factory.token);
      expect(yiwu.body.data).toEqual([expect.objectContaining({ skuId: redM, onHand: 70, available: 65 })]);
      const large = await api.get(`/v1/stock-levels?skuId=${redL}`, factory.token);
      expect(large.body.data).toEqual([expect.objectContaining({ warehouseId: guangzhouWarehouse, onHand: 40, available: 40 })]);

      // Every change left a movement in the audit trail; the refused one did not.
      const movements = await withDatabase(database.url, (client) => client.query('select on_hand_delta, reason from stock_movement where sku_id = $1 order by id', [redM]));
      expect(movements.rows).toEqual([
        { on_hand_delta: 100, reason: 'manual_set' },
        { on_hand_delta: -30, reason: 'manual_adjustment' },
      ]);
    });
  });

  describe('members, roles and API keys', () => {
    it('the owner adds staff whose roles limit what they may do', async () => {
      for (const [role, email, name] of [
        ['warehouse', 'zhao@sunrise.example', 'Zhao Lei'],
        ['finance', 'sun@sunrise.example', 'Sun Mei'],
        ['operator', 'qian@sunrise.example', 'Qian Hao'],
      ] as const) {
        const added = await api.post('/v1/members', { email, name, role, password: PASSWORD }, factory.token);
        expectStatus(added, 201);
        expect(added.body).toEqual(expect.objectContaining({ email, name, role, status: 'active' }));
        expect(JSON.stringify(added.body)).not.toMatch(/password|scrypt/i);
        const login = await api.post('/v1/auth/login', { email, password: PASSWORD }, undefined);
        expectStatus(login, 200);
        expect(login.body.merchant.id).toBe(factory.merchantId);
        staff[role] = login.body.token;
      }
      const members = await api.get('/v1/members', factory.token);
      expect(members.body.data.map((m: { role: string }) => m.role)).toEqual(['owner', 'warehouse', 'finance', 'operator']);

      // Zhao, in the warehouse, reads the catalog and counts stock, but cannot publish offers.
      expectStatus(await api.get('/v1/products', staff.warehouse), 200);
      const counted = await api.post('/v1/stock-levels/adjustments', { warehouseId: yiwuWarehouse, skuId: redM, delta: 5, note: 'found a box' }, staff.warehouse);
      expectStatus(counted, 200);
      expect(counted.body.onHand).toBe(75);
      const offer = await api.post('/v1/offers', { skuId: redM, buyerMerchantId: broker.merchantId, price: cny(5000) }, staff.warehouse);
      expectError(offer, 403, 'forbidden');
      expect(offer.body.error.message).toContain('offers:write');
      expectError(await api.get('/v1/members', staff.warehouse), 403, 'forbidden');

      // Sun, in finance, reads the catalog but cannot change it.
      expectStatus(await api.get(`/v1/products/${tShirt}`, staff.finance), 200);
      expectStatus(await api.get('/v1/stock-levels', staff.finance), 200);
      const product = await api.post('/v1/products', { name: 'Finance tee' }, staff.finance);
      expectError(product, 403, 'forbidden');
      expect(product.body.error.message).toContain('catalog:write');
      expectError(await api.patch(`/v1/skus/${redM}`, { name: 'renamed by finance' }, staff.finance), 403, 'forbidden');
      expectError(await api.put('/v1/stock-levels', { warehouseId: yiwuWarehouse, skuId: redM, onHand: 0 }, staff.finance), 403, 'forbidden');

      // Qian, an operator, runs the catalog but cannot manage members or keys.
      expectError(await api.post('/v1/members', { email: 'x@sunrise.example', name: 'X', role: 'owner', password: PASSWORD }, staff.operator), 403, 'forbidden');
      expectError(await api.post('/v1/api-keys', { name: 'mine', scopes: ['catalog:read'] }, staff.operator), 403, 'forbidden');

      // None of the refused requests wrote anything.
      expect((await api.get('/v1/offers', factory.token)).body.data).toEqual([]);
      expect((await api.get('/v1/products', factory.token)).body.data.map((p: { name: string }) => p.name)).toEqual(['Cotton T-shirt']);
      expect((await api.get(`/v1/products/${tShirt}`, factory.token)).body.skus[0].name).toBe('T-shirt red M');
      expect((await api.get(`/v1/stock-levels?skuId=${redM}`, factory.token)).body.data[0].onHand).toBe(75);
      expect((await api.get('/v1/members', factory.token)).body.data).toHaveLength(4);
    });

    it('API keys carry scopes, are shown once, are listed without the secret and stop working when revoked', async () => {
      const created = await api.post('/v1/api-keys', { name: 'Warehouse scanner', scopes: ['catalog:read', 'stock:write'] }, factory.token);
      expectStatus(created, 201);
      const scanner = created.body;
      expect(scanner).toEqual(expect.objectContaining({ name: 'Warehouse scanner', scopes: ['catalog:read', 'stock:write'], revokedAt: null, key: expect.stringMatching(/^gxk_/) }));
      expect(scanner.prefix).toBe(scanner.key.slice(0, scanner.prefix.length));
      expect(scanner.prefix.length).toBeLessThan(scanner.key.length / 2);

      const listed = await api.get('/v1/api-keys', factory.token);
      expectStatus(listed, 200);
      expect(listed.body.data).toEqual([expect.objectContaining({ id: scanner.id, name: 'Warehouse scanner', prefix: scanner.prefix })]);
      expect(listed.body.data[0]).not.toHaveProperty('key');
      expect(JSON.stringify(listed.body)).not.toContain(scanner.key);
      const stored = await withDatabase(database.url, (client) => client.query('select * from api_key where id = $1', [scanner.id]));
      expect(JSON.stringify(stored.rows)).not.toContain(scanner.key);

      // The scanner does what its scopes allow, and nothing more.
      expectStatus(await api.get('/v1/products', scanner.key), 200);
      expectStatus(await api.post('/v1/stock-levels/adjustments', { warehouseId: yiwuWarehouse, skuId: redM, delta: -5 }, scanner.key), 200);
      expectError(await api.post('/v1/products', { name: 'Scanner tee' }, scanner.key), 403, 'forbidden');
      expectError(await api.post('/v1/offers', { skuId: redM, buyerMerchantId: broker.merchantId, price: cny(5000) }, scanner.key), 403, 'forbidden');
      expectError(await api.get('/v1/api-keys', scanner.key), 403, 'forbidden');

      // A key cannot mint keys at all (a key made by a key would outlive its member's removal).
      const manager = (await api.post('/v1/api-keys', { name: 'Key manager', scopes: ['merchant:manage', 'catalog:read'] }, factory.token)).body;
      const beyond = await api.post('/v1/api-keys', { name: 'Escalation', scopes: ['catalog:read', 'offers:write'] }, manager.key);
      expectError(beyond, 403, 'members_only');
      expectStatus(await api.post('/v1/api-keys', { name: 'Read only', scopes: ['catalog:read'] }, factory.token), 201);
      expect((await api.get('/v1/api-keys', factory.token)).body.data.map((k: { name: string }) => k.name)).toEqual(['Warehouse scanner', 'Key manager', 'Read only']);
      // Lists are pages: two keys, then the third with the cursor, then no further page.
      const firstTwo = await api.get('/v1/api-keys?limit=2', factory.token);
      expect(firstTwo.body.data.map((k: { name: string }) => k.name)).toEqual(['Warehouse scanner', 'Key manager']);
      const rest = await api.get(`/v1/api-keys?limit=2&cursor=${firstTwo.body.nextCursor}`, factory.token);
      expect(rest.body).toEqual({ data: [expect.objectContaining({ name: 'Read only' })], nextCursor: null });
      expectError(await api.get('/v1/api-keys?cursor=not-a-cursor', factory.token), 400, 'validation_failed', 'cursor');

      const revoked = await api.post(`/v1/api-keys/${scanner.id}/revoke`, {}, factory.token);
      expectStatus(revoked, 200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expectError(await api.get('/v1/products', scanner.key), 401, 'unauthenticated');
      expectError(await api.post(`/v1/api-keys/${scanner.id}/revoke`, {}, factory.token), 409, 'api_key_already_revoked');
      const afterRevoke = await api.get('/v1/api-keys', factory.token);
      expect(afterRevoke.body.data[0]).toEqual(expect.objectContaining({ id: scanner.id, revokedAt: expect.any(String), lastUsedAt: expect.any(String) }));
    });
  });

  describe('the offer chain: factory → broker → distributor', () => {
    it('the factory offers the red M T-shirt to the broker at ¥50.00', async () => {
      const created = await api.post('/v1/offers', { skuId: redM, buyerMerchantId: broker.merchantId, price: cny(5000) }, factory.token);
      expectStatus(created, 201);
      expect(created.body).toEqual(
        expect.objectContaining({
          kind: 'origin',
          buyerMerchantId: broker.merchantId,
          upstreamOfferId: null,
          price: cny(5000),
          cost: null,
          status: 'active',
          sku: expect.objectContaining({ id: redM, code: 'TS-RED-M', name: 'T-shirt red M' }),
        }),
      );
      factoryOffer = created.body.id;

      const available = await api.get('/v1/available-offers', broker.token);
      expectStatus(available, 200);
      expect(available.body.data).toEqual([
        expect.objectContaining({ id: factoryOffer, sellerMerchantId: factory.merchantId, sellerName: 'Yiwu Sunrise Factory', price: cny(5000), sku: expect.objectContaining({ code: 'TS-RED-M' }) }),
      ]);
      expectStatus(await api.get(`/v1/available-offers/${factoryOffer}`, broker.token), 200);
      // Offering the same goods to the same partner twice is refused.
      expectError(await api.post('/v1/offers', { skuId: redM, buyerMerchantId: broker.merchantId, price: cny(4800) }, factory.token), 409, 'offer_exists', 'skuId');
    });

    it('the broker re-shares it to the distributor at ¥60.00 and sees both what it pays and what it charges', async () => {
      const created = await api.post('/v1/offers', { upstreamOfferId: factoryOffer, buyerMerchantId: distributor.merchantId, price: cny(6000) }, broker.token);
      expectStatus(created, 201);
      expect(created.body).toEqual(expect.objectContaining({ kind: 'reshare', upstreamOfferId: factoryOffer, buyerMerchantId: distributor.merchantId, cost: cny(5000), price: cny(6000) }));
      brokerOffer = created.body.id;

      const own = await api.get(`/v1/offers/${brokerOffer}`, broker.token);
      expectStatus(own, 200);
      expect(own.body).toEqual(expect.objectContaining({ id: brokerOffer, cost: cny(5000), price: cny(6000), sku: expect.objectContaining({ code: 'TS-RED-M' }) }));
      expect((await api.get('/v1/offers', broker.token)).body.data).toEqual([expect.objectContaining({ id: brokerOffer, cost: cny(5000), price: cny(6000) })]);
    });

    it("the distributor sees only the ¥60.00 it pays, never the broker's cost", async () => {
      const available = await api.get('/v1/available-offers', distributor.token);
      expectStatus(available, 200);
      expect(available.body.data).toEqual([
        expect.objectContaining({ id: brokerOffer, sellerMerchantId: broker.merchantId, sellerName: 'Hangzhou Bridge Trading', price: cny(6000), sku: expect.objectContaining({ code: 'TS-RED-M' }) }),
      ]);
      expect(JSON.stringify(available.body)).not.toContain('5000');
      expect(available.body.data[0]).not.toHaveProperty('cost');
      expect(available.body.data[0]).not.toHaveProperty('upstreamOfferId');

      const one = await api.get(`/v1/available-offers/${brokerOffer}`, distributor.token);
      expectStatus(one, 200);
      expect(one.body.price).toEqual(cny(6000));
      expect(JSON.stringify(one.body)).not.toContain('5000');

      // The factory's offer was made to the broker, not to the distributor.
      expectError(await api.get(`/v1/available-offers/${factoryOffer}`, distributor.token), 404, 'offer_not_found');
      // Nor can the distributor read the broker's offer as if it were its own.
      expectError(await api.get(`/v1/offers/${brokerOffer}`, distributor.token), 404, 'offer_not_found');
    });

    it('offers that break the rules of the chain are refused, naming the field, and nothing is written', async () => {
      // The factory and the distributor are not partners.
      expectError(await api.post('/v1/offers', { skuId: redL, buyerMerchantId: distributor.merchantId, price: cny(4000) }, factory.token), 400, 'not_an_active_partner', 'buyerMerchantId');
      // The broker cannot offer the factory's SKU as its own.
      expectError(await api.post('/v1/offers', { skuId: redL, buyerMerchantId: distributor.merchantId, price: cny(4000) }, broker.token), 404, 'sku_not_found', 'skuId');
      // The distributor cannot re-share an offer that was not offered to it.
      expectError(await api.post('/v1/offers', { upstreamOfferId: factoryOffer, price: cny(7000) }, distributor.token), 404, 'offer_not_found', 'upstreamOfferId');
      // Either an own SKU or an offer received, not both.
      expectError(await api.post('/v1/offers', { skuId: redL, upstreamOfferId: factoryOffer, price: cny(4000) }, factory.token), 400, 'validation_failed');
      // A price in another currency than the offer re-shared.
      expectError(await api.post('/v1/offers', { upstreamOfferId: factoryOffer, price: { amount: 900, currency: 'USD' } }, broker.token), 400, 'validation_failed', 'price.currency');

      expect((await api.get('/v1/offers', factory.token)).body.data.map((o: { id: string }) => o.id)).toEqual([factoryOffer]);
      expect((await api.get('/v1/offers', broker.token)).body.data.map((o: { id: string }) => o.id)).toEqual([brokerOffer]);
      expect((await api.get('/v1/offers', distributor.token)).body.data).toEqual([]);
    });

    it('the chain cannot turn back on itself: offering the goods back up the chain is a cycle', async () => {
      // The distributor also supplies the factory (it sells it packaging, say).
      expectStatus(await api.post('/v1/partnerships', { downstreamMerchantId: factory.merchantId }, distributor.token), 202);
      expectStatus(await api.post(`/v1/partnerships/${await invitationFrom(api, distributor.merchantId, factory)}/accept`, {}, factory.token), 200);

      // Offering the factory its own T-shirt back, via the broker, would close a loop.
      const back = await api.post('/v1/offers', { upstreamOfferId: brokerOffer, buyerMerchantId: factory.merchantId, price: cny(7000) }, distributor.token);
      expectError(back, 400, 'offer_chain_cycle', 'buyerMerchantId');

      // Offered to all its partners, the re-share never reaches the factory it came from.
      const toAll = await api.post('/v1/offers', { upstreamOfferId: brokerOffer, price: cny(7000) }, distributor.token);
      expectStatus(toAll, 201);
      const factoryView = await api.get('/v1/available-offers', factory.token);
      expectStatus(factoryView, 200);
      expect(factoryView.body.data).toEqual([]);
      expectError(await api.post('/v1/offers', { upstreamOfferId: toAll.body.id, buyerMerchantId: broker.merchantId, price: cny(8000) }, factory.token), 400, 'offer_chain_cycle', 'upstreamOfferId');
      expectStatus(await api.post(`/v1/offers/${toAll.body.id}/withdraw`, {}, distributor.token), 200);

      expect((await api.get('/v1/offers', factory.token)).body.data.map((o: { id: string }) => o.id)).toEqual([factoryOffer]);
    });
  });

  describe('shops and listings', () => {
    it('the distributor opens two shops; the webhook secret is shown once and can be rotated', async () => {
      const youzan = await api.post('/v1/shops', { platform: 'youzan', name: 'Sunny Youzan store', callbackUrl: 'https://sunny.example/youzan/callback' }, distributor.token);
      expectStatus(youzan, 201);
      expect(youzan.body).toEqual(expect.objectContaining({ platform: 'youzan', name: 'Sunny Youzan store', status: 'active', webhookSecret: expect.stringMatching(/^whsec_/) }));
      expect(youzan.body.orderPushPath).toBe(`/v1/shops/${youzan.body.id}/orders`);
      youzanShop = youzan.body.id;
      const firstSecret: string = youzan.body.webhookSecret;

      const douyin = await api.post('/v1/shops', { platform: 'douyin', name: 'Sunny Douyin live' }, distributor.token);
      expectStatus(douyin, 201);
      douyinShop = douyin.body.id;
      expect(douyin.body.webhookSecret).not.toBe(firstSecret);

      const read = await api.get(`/v1/shops/${youzanShop}`, distributor.token);
      expectStatus(read, 200);
      expect(read.body).toEqual(expect.objectContaining({ id: youzanShop, name: 'Sunny Youzan store' }));
      expect(read.body).not.toHaveProperty('webhookSecret');
      expect(JSON.stringify(read.body)).not.toContain(firstSecret);
      const list = await api.get('/v1/shops', distributor.token);
      expect(list.body.data.map((shop: { name: string }) => shop.name)).toEqual(['Sunny Youzan store', 'Sunny Douyin live']);
      expect(JSON.stringify(list.body)).not.toContain('whsec_');
      const renamed = await api.patch(`/v1/shops/${youzanShop}`, { name: 'Sunny Home · Youzan' }, distributor.token);
      expectStatus(renamed, 200);
      expect(renamed.body).not.toHaveProperty('webhookSecret');

      const rotated = await api.post(`/v1/shops/${youzanShop}/rotate-secret`, {}, distributor.token);
      expectStatus(rotated, 200);
      expect(rotated.body.webhookSecret).toMatch(/^whsec_/);
      expect(rotated.body.webhookSecret).not.toBe(firstSecret);
      expect(JSON.stringify((await api.get(`/v1/shops/${youzanShop}`, distributor.token)).body)).not.toContain('whsec_');
      // The new secret is the one pushes are checked against; the old one is kept for a grace period.
      const stored = await withDatabase(database.url, (client) =>
        client.query('select webhook_secret, previous_webhook_secret, previous_secret_expires_at > now() as grace from shop where id = $1', [youzanShop]),
      );
      // Both stored encrypted at rest (AES-256-GCM, v1:<keyId>:…), never as they were shown.
      const { webhook_secret: current, previous_webhook_secret: previous, grace } = stored.rows[0];
      expect([current.startsWith('v1:'), previous.startsWith('v1:'), grace]).toEqual([true, true, true]);
      expect([decryptField(current), decryptField(previous)]).toEqual([rotated.body.webhookSecret, firstSecret]);
    });

    it('the distributor lists the offer in both shops at its own retail prices', async () => {
      const youzan = await api.post('/v1/listings', { shopId: youzanShop, shopSkuCode: 'YZ-10023-RED-M', offerId: brokerOffer, retailPrice: cny(9900) }, distributor.token);
      expectStatus(youzan, 201);
      expect(youzan.body).toEqual(
        expect.objectContaining({ shopId: youzanShop, shopSkuCode: 'YZ-10023-RED-M', offerId: brokerOffer, retailPrice: cny(9900), supplyPrice: cny(6000), status: 'active' }),
      );
      expect(JSON.stringify(youzan.body)).not.toContain('5000');
      const douyin = await api.post('/v1/listings', { shopId: douyinShop, shopSkuCode: 'DY-RED-M', offerId: brokerOffer, retailPrice: cny(10900) }, distributor.token);
      expectStatus(douyin, 201);

      const all = await api.get('/v1/listings', distributor.token);
      expect(all.body.data.map((l: { retailPrice: { amount: number } }) => l.retailPrice.amount)).toEqual([9900, 10900]);
      expect(JSON.stringify(all.body)).not.toContain('5000');
      const oneShop = await api.get(`/v1/listings?shopId=${douyinShop}`, distributor.token);
      expect(oneShop.body.data).toEqual([expect.objectContaining({ shopSkuCode: 'DY-RED-M' })]);
      const one = await api.get(`/v1/listings/${youzan.body.id}`, distributor.token);
      expect(one.body).toEqual(expect.objectContaining({ retailPrice: cny(9900), supplyPrice: cny(6000) }));

      expectError(
        await api.post('/v1/listings', { shopId: youzanShop, shopSkuCode: 'YZ-10023-RED-M', offerId: brokerOffer, retailPrice: cny(8900) }, distributor.token),
        409,
        'listing_code_taken',
        'shopSkuCode',
      );
      expectError(
        await api.post('/v1/listings', { shopId: youzanShop, shopSkuCode: 'YZ-FACTORY', offerId: factoryOffer, retailPrice: cny(8900) }, distributor.token),
        404,
        'offer_not_found',
        'offerId',
      );

      const repriced = await api.patch(`/v1/listings/${douyin.body.id}`, { retailPrice: cny(9500) }, distributor.token);
      expect(repriced.body.retailPrice).toEqual(cny(9500));
      expectError(await api.delete(`/v1/listings/${douyin.body.id}`, distributor.token), 409, 'listing_active');
      expectStatus(await api.patch(`/v1/listings/${douyin.body.id}`, { status: 'paused' }, distributor.token), 200);
      expectStatus(await api.delete(`/v1/listings/${douyin.body.id}`, distributor.token), 204);
      expectError(await api.get(`/v1/listings/${douyin.body.id}`, distributor.token), 404, 'listing_not_found');
      expectStatus(await api.post('/v1/listings', { shopId: douyinShop, shopSkuCode: 'DY-RED-M', offerId: brokerOffer, retailPrice: cny(10900) }, distributor.token), 201);
    });

    it("each hop sees only its own prices: the factory never sees the broker's price nor the retail prices", async () => {
      for (const response of [await api.get('/v1/offers', factory.token), await api.get(`/v1/offers/${factoryOffer}`, factory.token), await api.get('/v1/available-offers', factory.token)]) {
        expectStatus(response, 200);
        const text = JSON.stringify(response.body);
        for (const price of ['6000', '9900', '10900']) expect(text).not.toContain(price);
      }
      expect((await api.get(`/v1/offers/${factoryOffer}`, factory.token)).body.price).toEqual(cny(5000));

      for (const response of [await api.get('/v1/offers', broker.token), await api.get('/v1/available-offers', broker.token), await api.get(`/v1/available-offers/${factoryOffer}`, broker.token)]) {
        expectStatus(response, 200);
        const text = JSON.stringify(response.body);
        for (const price of ['9900', '10900']) expect(text).not.toContain(price);
      }
      // The broker cannot peek into the distributor's shops.
      expectError(await api.get(`/v1/shops/${youzanShop}`, broker.token), 404, 'shop_not_found');
      expect((await api.get('/v1/listings', broker.token)).body.data).toEqual([]);

      for (const response of [
        await api.get('/v1/available-offers', distributor.token),
        await api.get(`/v1/available-offers/${brokerOffer}`, distributor.token),
        await api.get('/v1/listings', distributor.token),
        await api.get('/v1/offers', distributor.token),
      ]) {
        expectStatus(response, 200);
        expect(JSON.stringify(response.body)).not.toContain('5000');
      }
    });
  });

  describe('withdrawing offers and suspending partners', () => {
    it("a withdrawn offer disappears from its buyer's available offers, and from the whole chain below it", async () => {
      // The factory publishes the red L to all its partners (its selection center); the broker re-shares it.
      const toAll = await api.post('/v1/offers', { skuId: redL, price: cny(4500) }, factory.token);
      expectStatus(toAll, 201);
      expect(toAll.body.buyerMerchantId).toBeNull();
      const reshare = await api.post('/v1/offers', { upstreamOfferId: toAll.body.id, buyerMerchantId: distributor.merchantId, price: cny(5500) }, broker.token);
      expectStatus(reshare, 201);
      expect((await api.get('/v1/available-offers', broker.token)).body.data.map((o: { id: string }) => o.id)).toEqual([factoryOffer, toAll.body.id]);
      expect((await api.get('/v1/available-offers', distributor.token)).body.data.map((o: { id: string }) => o.id)).toEqual([brokerOffer, reshare.body.id]);

      const withdrawn = await api.post(`/v1/offers/${toAll.body.id}/withdraw`, {}, factory.token);
      expectStatus(withdrawn, 200);
      expect(withdrawn.body.status).toBe('withdrawn');

      expect((await api.get('/v1/available-offers', broker.token)).body.data.map((o: { id: string }) => o.id)).toEqual([factoryOffer]);
      expectError(await api.get(`/v1/available-offers/${toAll.body.id}`, broker.token), 404, 'offer_not_found');
      expectError(await api.post('/v1/offers', { upstreamOfferId: toAll.body.id, price: cny(5600) }, broker.token), 404, 'offer_not_found', 'upstreamOfferId');
      // Downstream, the broker's re-share of the withdrawn offer can no longer be bought or listed.
      expect((await api.get('/v1/available-offers', distributor.token)).body.data.map((o: { id: string }) => o.id)).toEqual([brokerOffer]);
      expectError(await api.get(`/v1/available-offers/${reshare.body.id}`, distributor.token), 404, 'offer_not_found');
      expectError(
        await api.post('/v1/listings', { shopId: youzanShop, shopSkuCode: 'YZ-RED-L', offerId: reshare.body.id, retailPrice: cny(8800) }, distributor.token),
        404,
        'offer_not_found',
        'offerId',
      );

      const twice = await api.post(`/v1/offers/${toAll.body.id}/withdraw`, {}, factory.token);
      expectError(twice, 409, 'offer_illegal_transition', 'status');
      expect(twice.body.error.message).toContain('withdrawn');
      expectError(await api.patch(`/v1/offers/${toAll.body.id}`, { price: cny(4000) }, factory.token), 409, 'offer_illegal_transition');
      expect((await api.get(`/v1/offers?status=withdrawn`, factory.token)).body.data).toEqual([expect.objectContaining({ id: toAll.body.id, price: cny(4500) })]);
    });

    it('a suspended partnership hides its offers until the side that suspended it resumes', async () => {
      // The distributor pauses the broker: the broker's offers vanish from its view.
      expectStatus(await api.post(`/v1/partnerships/${brokerToDistributor}/suspend`, {}, distributor.token), 200);
      expect((await api.get('/v1/available-offers', distributor.token)).body.data).toEqual([]);
      expectError(await api.get(`/v1/available-offers/${brokerOffer}`, distributor.token), 404, 'offer_not_found');
      expectError(await api.post('/v1/listings', { shopId: youzanShop, shopSkuCode: 'YZ-NEW', offerId: brokerOffer, retailPrice: cny(9900) }, distributor.token), 404, 'offer_not_found', 'offerId');
      // While suspended, the broker cannot offer the distributor anything new either.
      expectError(
        await api.post('/v1/offers', { upstreamOfferId: factoryOffer, buyerMerchantId: distributor.merchantId, price: cny(6500) }, broker.token),
        400,
        'not_an_active_partner',
        'buyerMerchantId',
      );

      expectError(await api.post(`/v1/partnerships/${brokerToDistributor}/resume`, {}, broker.token), 403, 'forbidden');
      expect((await api.get('/v1/available-offers', distributor.token)).body.data).toEqual([]);
      expectStatus(await api.post(`/v1/partnerships/${brokerToDistributor}/resume`, {}, distributor.token), 200);
      expect((await api.get('/v1/available-offers', distributor.token)).body.data).toEqual([expect.objectContaining({ id: brokerOffer, price: cny(6000) })]);

      // The factory pauses the broker: the broker no longer sees the factory's offer, and no goods
      // flow down to the distributor through the broker's re-share either.
      expectStatus(await api.post(`/v1/partnerships/${factoryToBroker}/suspend`, {}, factory.token), 200);
      expect((await api.get('/v1/available-offers', broker.token)).body.data).toEqual([]);
      expectError(await api.post('/v1/offers', { upstreamOfferId: factoryOffer, price: cny(6100) }, broker.token), 404, 'offer_not_found', 'upstreamOfferId');
      expect((await api.get('/v1/available-offers', distributor.token)).body.data).toEqual([]);
      expectError(await api.get(`/v1/available-offers/${brokerOffer}`, distributor.token), 404, 'offer_not_found');

      expectStatus(await api.post(`/v1/partnerships/${factoryToBroker}/resume`, {}, factory.token), 200);
      expect((await api.get('/v1/available-offers', broker.token)).body.data).toEqual([expect.objectContaining({ id: factoryOffer, price: cny(5000) })]);
      expect((await api.get('/v1/available-offers', distributor.token)).body.data).toEqual([expect.objectContaining({ id: brokerOffer, price: cny(6000) })]);
      // The listings made before the pause are still there.
      expect((await api.get('/v1/listings', distributor.token)).body.data).toHaveLength(2);
    });
  });
});
