import { BULK_ORDER_HEADERS } from '@gongxiao/orders';
import { expectStatus, PASSWORD } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork } from '../support/order-network';
import { passwordProtectedFile, xlsFile, zipBomb } from '../support/hostile-sheets';
import { downloadWorkbook, importFinished, sheetTexts, uploadSheet, workbookOf } from '../support/sheet-uploads';
import { useStage } from '../support/stage';

const UPLOAD_LIMIT = 200_000;

/**
 * Uploads as a user makes them, over HTTP: the template, a multipart form, the worker applying it with
 * progress, the counts, the rejected rows to download, fix and upload again; a wrong file refused at
 * once or failed with its reason, changing nothing; the same sheet twice changing nothing twice.
 */
describe('spreadsheet uploads (/v1/imports)', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50', UPLOAD_LIMIT_BYTES: String(UPLOAD_LIMIT) } });
  const { api } = stage;
  let network: OrderNetwork;
  const tag = Math.random().toString(36).slice(2, 7).toUpperCase();
  const no = (name: string) => `UP-${tag}-${name}`;
  const row = (orderNo: string, phone = '13800138000', sku = 'TSHIRT') => [orderNo, '王小明', phone, '', '', '', '浙江省杭州市西湖区文三路90号', sku, '1', '', '', ''];
  const ordersSheet = (rows: (string | number | null)[][]) => workbookOf([BULK_ORDER_HEADERS['zh-CN'], ...rows], '订单');
  const shopOrderCount = async () => (await api.get(`/v1/channel-orders?shopId=${network.shop.id}&limit=200`, network.distributor.token)).body.data.length as number;

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
  });

  it('hands out the template of each kind, Chinese by default, with a sheet saying what is required', async () => {
    const zh = await downloadWorkbook(api, network.distributor.token, '/v1/import-templates/channel_orders');
    expect(zh.status).toBe(200);
    expect(sheetTexts(zh.workbook!.worksheets[0])[0]).toEqual(BULK_ORDER_HEADERS['zh-CN']);
    expect(zh.workbook!.worksheets[1].name).toBe('填写说明');
    expect(sheetTexts(zh.workbook!.worksheets[1])).toContainEqual(expect.arrayContaining(['订单号', '是']));
    const en = await downloadWorkbook(api, network.distributor.token, '/v1/import-templates/channel_orders?language=en');
    expect(sheetTexts(en.workbook!.worksheets[0])[0]).toEqual(BULK_ORDER_HEADERS.en);
    expect((await api.get('/v1/import-templates/nonsense', network.distributor.token)).status).toBe(400);
  });

  it('refuses at once, storing nothing: not a workbook, no file, a missing field, an unknown kind or mode, a file over the limit', async () => {
    const text = await uploadSheet(api, network.distributor.token, 'channel_orders', Buffer.from('订单号,收件人\n1,王\n'), { shopId: network.shop.id });
    expect(text.status).toBe(422);
    expect(text.body.error.code).toBe('sheet_not_xlsx');
    const good = await ordersSheet([row(no('REFUSED'))]);
    const noShop = await uploadSheet(api, network.distributor.token, 'channel_orders', good, {});
    expect(noShop.status).toBe(400);
    expect(noShop.body.error.details).toEqual([{ field: 'shopId', reason: 'is required for this kind of upload' }]);
    const badMode = await uploadSheet(api, network.distributor.token, 'channel_orders', good, { shopId: network.shop.id, mode: 'some' });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.details[0].field).toBe('mode');
    expect((await uploadSheet(api, network.distributor.token, 'nonsense', good, {})).status).toBe(400);
    const big = await uploadSheet(api, network.distributor.token, 'channel_orders', Buffer.alloc(UPLOAD_LIMIT + 1, 1), { shopId: network.shop.id });
    expect(big.status).toBe(413);
    expect(big.body.error.message).toContain('MB');
    const raw = await api.app.inject({
      method: 'POST',
      url: '/v1/imports?kind=channel_orders',
      headers: { authorization: `Bearer ${network.distributor.token}`, 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(raw.statusCode).toBe(415);
    expect((await api.get('/v1/imports', network.distributor.token)).body.data).toEqual([]);
  });

  it('refuses an old .xls, a password-protected workbook and a zip bomb at once, saying what to do', async () => {
    const fields = { shopId: network.shop.id };
    const xls = await uploadSheet(api, network.distributor.token, 'channel_orders', xlsFile(), fields);
    expect([xls.status, xls.body.error.code]).toEqual([422, 'sheet_is_xls']);
    const locked = await uploadSheet(api, network.distributor.token, 'channel_orders', passwordProtectedFile(), fields);
    expect([locked.status, locked.body.error.code]).toEqual([422, 'sheet_password_protected']);
    // 150 MB of zeros deflated to ~150 KB (under this stage's upload limit), lying about its size.
    const bomb = await uploadSheet(api, network.distributor.token, 'channel_orders', await zipBomb(150 * 1_048_576, 1_000), fields);
    expect([bomb.status, bomb.body.error.code]).toEqual([422, 'sheet_zip_bomb']);
    expect((await api.get('/v1/imports', network.distributor.token)).body.data).toEqual([]);
  });

  it('fails an upload whose header row lacks a required column, naming it; nothing is applied', async () => {
    const before = await shopOrderCount();
    const file = await workbookOf([
      ['订单号', '收件人', '手机'],
      [no('X'), '王小明', '13800138000'],
    ]);
    const answer = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: network.shop.id });
    expectStatus(answer, 202);
    const finished = await importFinished(api, network.distributor.token, answer.body.id);
    expect(finished.status).toBe('failed');
    expect(finished.error.code).toBe('sheet_columns_missing');
    expect(finished.error.details.map((detail: { field: string }) => detail.field)).toEqual(expect.arrayContaining(['column 详细地址', 'column 商品编码', 'column 数量']));
    expect(finished.rejectedFileUrl).toBeNull();
    expect(await shopOrderCount()).toBe(before);
  });

  it('applies the valid rows, returns the rejected ones with reasons to fix and upload again, and changes nothing twice', async () => {
    const before = await shopOrderCount();
    const file = await ordersSheet([row(no('A')), row(no('B'), '12345'), row(no('C'))]);
    const answer = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: network.shop.id, mode: 'valid_rows' });
    expectStatus(answer, 202);
    expect(answer.body).toEqual(expect.objectContaining({ kind: 'channel_orders', status: 'queued', mode: 'valid_rows', language: 'zh-CN' }));
    const finished = await importFinished(api, network.distributor.token, answer.body.id);
    expect(finished).toEqual(expect.objectContaining({ status: 'done', applied: 2, unchanged: 0, rejected: 1, progress: { done: 3, total: 3, percent: 100 } }));
    expect(await shopOrderCount()).toBe(before + 2);

    const rejected = await downloadWorkbook(api, network.distributor.token, finished.rejectedFileUrl);
    expect(rejected.status).toBe(200);
    const [header, bad] = sheetTexts(rejected.workbook!.worksheets[0]);
    expect(header).toEqual([...BULK_ORDER_HEADERS['zh-CN'], '未通过原因', '原行号']);
    expect(bad.slice(0, 3)).toEqual([no('B'), '王小明', '12345']);
    expect(bad[header.indexOf('未通过原因')]).toContain('手机');
    expect(bad[header.indexOf('原行号')]).toBe('3');

    // The user fixes the phone in the rejected-rows file and uploads that file as it is.
    rejected.workbook!.worksheets[0].getRow(2).getCell(3).value = '13900139000';
    const fixed = Buffer.from(await rejected.workbook!.xlsx.writeBuffer());
    const again = await importFinished(api, network.distributor.token, (await uploadSheet(api, network.distributor.token, 'channel_orders', fixed, { shopId: network.shop.id })).body.id);
    expect(again).toEqual(expect.objectContaining({ status: 'done', applied: 1, rejected: 0, rejectedFileUrl: null }));
    expect(await shopOrderCount()).toBe(before + 3);

    // The first sheet once more: its good orders are unchanged, never ordered twice.
    const repeat = await importFinished(
      api,
      network.distributor.token,
      (await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: network.shop.id, mode: 'valid_rows' })).body.id,
    );
    expect(repeat).toEqual(expect.objectContaining({ status: 'done', applied: 0, unchanged: 2, rejected: 1 }));
    expect(await shopOrderCount()).toBe(before + 3);
  });

  it('answers a retried upload (same Idempotency-Key, same file) with the first one; another file under that key is a 409', async () => {
    const file = await ordersSheet([row(no('KEY'))]);
    const key = `upload-${tag}`;
    const first = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: network.shop.id }, { idempotencyKey: key });
    const second = await uploadSheet(api, network.distributor.token, 'channel_orders', file, { shopId: network.shop.id }, { idempotencyKey: key });
    expectStatus(first, 202);
    expect(second.body.id).toBe(first.body.id);
    const other = await uploadSheet(api, network.distributor.token, 'channel_orders', await ordersSheet([row(no('KEY2'))]), { shopId: network.shop.id }, { idempotencyKey: key });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    await importFinished(api, network.distributor.token, first.body.id);
  });

  it('shows an upload only to the merchant that made it', async () => {
    const list = await api.get('/v1/imports?kind=channel_orders', network.distributor.token);
    const id = list.body.data[0].id;
    expect((await api.get(`/v1/imports/${id}`, network.factory.token)).status).toBe(404);
    expect((await downloadWorkbook(api, network.factory.token, `/v1/imports/${id}/rejected.xlsx`)).status).toBe(404);
    expect((await api.get('/v1/imports', network.factory.token)).body.data).toEqual([]);
  });

  describe('who may see and apply an upload', () => {
    const member = async (role: string) => {
      const email = `${role}-${tag.toLowerCase()}@uploads.example`;
      const added = await api.post('/v1/members', { email, name: role, role, password: PASSWORD }, network.distributor.token);
      expectStatus(added, 201);
      const login = await api.post('/v1/auth/login', { email, password: PASSWORD });
      expectStatus(login, 200);
      return { id: added.body.id as string, token: login.body.token as string };
    };

    it('shows a bulk-order upload (consignees, phones) only to members who may order: finance gets 403 and an empty list', async () => {
      const finance = await member('finance');
      const mine = (await api.get('/v1/imports?kind=channel_orders', network.distributor.token)).body.data;
      expect(mine.length).toBeGreaterThan(0);
      expect((await api.get(`/v1/imports/${mine[0].id}`, finance.token)).status).toBe(403);
      expect((await api.get('/v1/imports', finance.token)).body.data).toEqual([]);
      expect((await uploadSheet(api, finance.token, 'channel_orders', await ordersSheet([row(no('FIN'))]), { shopId: network.shop.id })).status).toBe(403);
    });

    it('applies nothing for a member disabled between the upload and the worker: the upload fails with the reason', async () => {
      const operator = await member('operator');
      const before = await shopOrderCount();
      await stage.stopWorker();
      const answer = await uploadSheet(api, operator.token, 'channel_orders', await ordersSheet([row(no('GONE'))]), { shopId: network.shop.id });
      expectStatus(answer, 202);
      expectStatus(await api.post(`/v1/members/${operator.id}/disable`, {}, network.distributor.token), 200);
      await stage.startWorker();
      const finished = await importFinished(api, network.distributor.token, answer.body.id);
      expect(finished).toEqual(expect.objectContaining({ status: 'failed', applied: null, error: expect.objectContaining({ code: 'forbidden' }) }));
      expect(await shopOrderCount()).toBe(before);
    });
  });
});
