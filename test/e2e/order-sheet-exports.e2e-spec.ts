import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CatalogService } from '@gongxiao/catalog';
import { OrderSheetExportRequestedJob, writeOrderSheet } from '@gongxiao/fulfillment';
import { expectError, expectStatus, signUp, SignedUpMerchant, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

/** The limit of the synchronous export in this stage: the factory's sheet of 2 lines is under it, the farm's thousands above. */
const SYNC_LIMIT = 3;
const BULK_LINES = 4500;

/** A workbook's first sheet as rows of header → value. */
async function recordsOf(file: Buffer): Promise<{ name: string; header: unknown[]; rows: Record<string, unknown>[] }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(file as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const record: Record<string, unknown> = {};
    row.eachCell({ includeEmpty: true }, (cell, column) => (record[String(header[column - 1])] = cell.value));
    rows.push(record);
  });
  return { name: sheet.name, header, rows };
}

/**
 * Big order sheets are written by the worker: the factory asks for its sheet, follows it to 100 % and
 * downloads it (the same rows as the sheet streamed at once); the farm's sheet of thousands of lines is
 * refused by the synchronous export (too large) and written page by page; a worker that died mid-way
 * leaves an export that the next run writes again; nobody else sees any of it.
 */
describe('order-sheet exports written by the worker', () => {
  const exportDir = mkdtempSync(join(tmpdir(), 'gx-order-sheets-'));
  const stage = useStage({ worker: 'in-process', config: { EXPORT_DIR: exportDir, OUTBOX_POLL_MS: '50', ORDER_SHEET_SYNC_LIMIT_LINES: String(SYNC_LIMIT) } });
  const { api, database } = stage;
  let network: OrderNetwork;
  let outsider: SignedUpMerchant;
  let fulfillmentOrderId: string;
  let externalOrderId: string;

  const download = async (url: string, token: string) => {
    const response = await api.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, headers: response.headers, body: response.rawPayload };
  };
  const exportDone = (id: string, token: string) =>
    eventually(
      async () => {
        const response = await api.get(`/v1/fulfillment-order-exports/${id}`, token);
        return response.body.status === 'done' && response.body;
      },
      30_000,
      `order-sheet export ${id} done`,
    );

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    outsider = await signUp(api, 'Nosy Competitor', 'Feng', `nosy-${Date.now()}@example.com`);
    const order = shopOrder(
      [
        { code: 'TSHIRT', quantity: 4, unitPrice: PRICES.retailTshirt },
        { code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug },
      ],
      { name: '王小明', phone: '057188886666', province: '浙江省', city: '杭州市', district: '西湖区', address: '文三路 1 号' },
    );
    externalOrderId = order.externalOrderId;
    const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
    expectStatus(push, 202);
    expect((await orderRouted(api, network, push.body.id)).status).toBe('routed');
    const fulfillmentOrder = (await api.get('/v1/fulfillment-orders?status=new', network.factory.token)).body.data[0];
    fulfillmentOrderId = fulfillmentOrder.id;
    const tshirt = fulfillmentOrder.lines.find((line: { skuCode: string }) => line.skuCode === 'TSHIRT-M');
    const ship = (carrierCode: string, trackingNumber: string, quantity: number) =>
      api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode, trackingNumber, lines: [{ lineId: tshirt.id, quantity }] }, network.factory.token);
    expectStatus(await ship('SF', 'SF1234567890123', 2), 201);
    expectStatus(await ship('ZTO', '78912345678901', 1), 201);
    await bulkShippedLines(database.url, network, BULK_LINES);
  }, 120_000);

  it('writes the sheet in the worker, followed to 100 %, with the rows the synchronous export streams', async () => {
    const requested = await api.post('/v1/fulfillment-orders/exports', { status: 'partially_shipped' }, network.factory.token);
    expectStatus(requested, 202);
    expect(requested.body).toMatchObject({ status: 'queued', orderStatus: 'partially_shipped', language: 'zh-CN', linesWritten: 0, percent: 0, downloadUrl: null });
    const done = await exportDone(requested.body.id, network.factory.token);
    expect(done).toMatchObject({ linesTotal: 2, linesWritten: 2, rowsWritten: 4, percent: 100, fileName: expect.stringMatching(/^fulfillment-orders-partially_shipped-\d{4}-\d{2}-\d{2}\.xlsx$/) });
    expect(done.downloadUrl).toBe(`/v1/fulfillment-order-exports/${done.id}/file`);

    const file = await download(done.downloadUrl, network.factory.token);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const sheet = await recordsOf(file.body);
    expect(sheet.name).toBe('发货单');
    expect(sheet.header.slice(0, 4)).toEqual(['发货单号', '订单号', '店铺订单号', '收件人']);
    expect(sheet.rows.map((row) => [row['商品编码'], row['数量'], row['快递公司'], row['快递单号']])).toEqual([
      ['TSHIRT-M', 2, '顺丰速运', 'SF1234567890123'],
      ['TSHIRT-M', 1, '中通快递', '78912345678901'],
      ['TSHIRT-M', 1, null, null],
      ['MUG-350', 1, null, null],
    ]);
    for (const row of sheet.rows) expect(row).toMatchObject({ 发货单号: fulfillmentOrderId, 店铺订单号: externalOrderId, 收件人: '王小明', 手机: '057188886666', 状态: '部分发货' });

    // The same sheet streamed at once (2 lines: under the limit) holds the same cells.
    const streamed = await download('/v1/fulfillment-orders/export.xlsx?status=partially_shipped', network.factory.token);
    expect(streamed.status).toBe(200);
    expect((await recordsOf(streamed.body)).rows).toEqual(sheet.rows);
  });

  it('writes English headers with language=en', async () => {
    const requested = await api.post('/v1/fulfillment-orders/exports', { status: 'partially_shipped', language: 'en' }, network.factory.token);
    const done = await exportDone(requested.body.id, network.factory.token);
    const sheet = await recordsOf((await download(done.downloadUrl, network.factory.token)).body);
    expect(sheet.name).toBe('Fulfillment orders');
    expect(sheet.rows.map((row) => [row['Carrier'], row['Status']])[0]).toEqual(['SF Express', 'Partially shipped']);
  });

  it('refuses the synchronous export above the limit, saying to ask the worker, and writes that sheet page by page', async () => {
    const refused = await api.get('/v1/fulfillment-orders/export.xlsx?status=shipped', network.farm.token);
    expectError(refused, 422, 'export_too_large', 'lines');
    // In the request's language, Chinese by default.
    expect(refused.body.error.message).toMatch(/^该发货单超过 3 行.*POST \/v1\/fulfillment-orders\/exports/);
    const english = await api.get('/v1/fulfillment-orders/export.xlsx?status=shipped&language=en', network.farm.token);
    expectError(english, 422, 'export_too_large', 'lines');
    expect(english.body.error.message).toMatch(/^This sheet has more than 3 lines.*POST \/v1\/fulfillment-orders\/exports/);
    // Under the limit (the factory's 2 lines; no line at all) it still streams at once.
    expect((await download('/v1/fulfillment-orders/export.xlsx?status=new', network.farm.token)).status).toBe(200);

    const requested = await api.post('/v1/fulfillment-orders/exports', { status: 'shipped', warehouseId: network.warehouses.farm }, network.farm.token);
    expectStatus(requested, 202);
    const done = await exportDone(requested.body.id, network.farm.token);
    expect(done).toMatchObject({ linesTotal: BULK_LINES, linesWritten: BULK_LINES, rowsWritten: BULK_LINES, percent: 100, warehouseId: network.warehouses.farm });
    const sheet = await recordsOf((await download(done.downloadUrl, network.farm.token)).body);
    expect(sheet.rows).toHaveLength(BULK_LINES);
    expect(new Set(sheet.rows.map((row) => row['快递单号'])).size).toBe(BULK_LINES);
    expect(sheet.rows[0]).toMatchObject({ 收件人: '李四1', 手机: '13900000001', 快递公司: '顺丰速运', 状态: '已发货' });
  });

  it('reports progress as pages of lines are written', async () => {
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    const progress: [number, number][] = [];
    const output = new PassThrough();
    output.resume();
    const written = await writeOrderSheet(
      em,
      api.app.get(CatalogService),
      {
        supplierMerchantId: network.farm.merchantId,
        filters: { status: 'shipped', warehouseId: null, createdFrom: null, createdTo: null },
        language: 'zh-CN',
        timeZone: 'Asia/Shanghai',
        progress: async (lines, rows) => {
          progress.push([lines, rows]);
        },
      },
      output,
    );
    expect(written).toEqual({ lines: BULK_LINES, rows: BULK_LINES });
    // After pages of 2,000 lines (a page done while the previous report is still being saved goes with the next), ending with all of them.
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.at(-1)).toEqual([BULK_LINES, BULK_LINES]);
    for (const [index, [lines, rows]] of progress.entries()) {
      expect(lines === BULK_LINES || lines % 2000 === 0).toBe(true);
      expect(rows).toBe(lines);
      if (index > 0) expect(lines).toBeGreaterThan(progress[index - 1][0]);
    }
  });

  it('stops, with the reason, when the reader goes away mid-sheet', async () => {
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    const output = new PassThrough();
    // The reader takes the first bytes, then hangs up (a client closing the download, a disk that failed).
    output.once('data', () => output.destroy());
    output.resume();
    const filters = { status: 'shipped' as const, warehouseId: null, createdFrom: null, createdTo: null };
    await expect(writeOrderSheet(em, api.app.get(CatalogService), { supplierMerchantId: network.farm.merchantId, filters, language: 'zh-CN', timeZone: 'Asia/Shanghai' }, output)).rejects.toThrow(
      /closed/,
    );
  });

  it('writes the file again from the start when a worker died mid-way, and does nothing for a finished export', async () => {
    const job = stage.worker.get(OrderSheetExportRequestedJob);
    const stale = await withDatabase(database.url, (client) =>
      client.query(
        `insert into order_sheet_export (merchant_id, language, status_filter, status, lines_total, lines_written, claimed_at)
         values ($1, 'zh-CN', 'partially_shipped', 'running', 2, 1, now() - interval '10 minutes') returning id::text`,
        [network.factory.merchantId],
      ),
    );
    const exportId = stale.rows[0].id as string;
    // What the dead run left: half a file where the finished one goes.
    writeFileSync(join(exportDir, `order-sheet-export-${exportId}.xlsx`), 'half a zip');
    await job.handle({ eventId: '0', type: 'order_sheet_export.requested', merchantId: network.factory.merchantId, payload: { exportId } });
    const done = (await api.get(`/v1/fulfillment-order-exports/${exportId}`, network.factory.token)).body;
    expect(done).toMatchObject({ status: 'done', linesTotal: 2, linesWritten: 2, rowsWritten: 4 });
    const file = await download(done.downloadUrl, network.factory.token);
    expect((await recordsOf(file.body)).rows).toHaveLength(4);

    // Run again once done: nothing changes, the file neither.
    const before = readFileSync(join(exportDir, `order-sheet-export-${exportId}.xlsx`));
    await job.handle({ eventId: '0', type: 'order_sheet_export.requested', merchantId: network.factory.merchantId, payload: { exportId } });
    expect((await api.get(`/v1/fulfillment-order-exports/${exportId}`, network.factory.token)).body).toEqual(done);
    expect(readFileSync(join(exportDir, `order-sheet-export-${exportId}.xlsx`))).toEqual(before);
  });

  it('leaves an export another run is writing to that run', async () => {
    const running = await withDatabase(database.url, (client) =>
      client.query(`insert into order_sheet_export (merchant_id, language, status_filter, status, lines_written, claimed_at) values ($1, 'zh-CN', 'shipped', 'running', 0, now()) returning id::text`, [
        network.factory.merchantId,
      ]),
    );
    const exportId = running.rows[0].id as string;
    await stage.worker.get(OrderSheetExportRequestedJob).handle({ eventId: '0', type: 'order_sheet_export.requested', merchantId: network.factory.merchantId, payload: { exportId } });
    const status = (await api.get(`/v1/fulfillment-order-exports/${exportId}`, network.factory.token)).body;
    expect(status).toMatchObject({ status: 'running', percent: 0, downloadUrl: null });
    // Its file is not there to fetch yet.
    const file = await api.get(`/v1/fulfillment-order-exports/${exportId}/file`, network.factory.token);
    expectError(file, 409, 'order_sheet_export_not_ready', 'status');
  });

  it('shows an export only to the supplier that asked for it', async () => {
    const requested = await api.post('/v1/fulfillment-orders/exports', { status: 'partially_shipped' }, network.factory.token);
    const done = await exportDone(requested.body.id, network.factory.token);
    for (const other of [outsider, network.distributor, network.broker]) {
      expectError(await api.get(`/v1/fulfillment-order-exports/${done.id}`, other.token), 404, 'order_sheet_export_not_found');
      expectError(await api.get(`/v1/fulfillment-order-exports/${done.id}/file`, other.token), 404, 'order_sheet_export_not_found');
    }
    // The outsider's own export of the same filters holds none of the factory's orders.
    const own = await api.post('/v1/fulfillment-orders/exports', { status: 'partially_shipped' }, outsider.token);
    const ownDone = await exportDone(own.body.id, outsider.token);
    expect(ownDone).toMatchObject({ linesTotal: 0, rowsWritten: 0 });
    expect((await recordsOf((await download(ownDone.downloadUrl, outsider.token)).body)).rows).toEqual([]);
    // Filtered on the factory's warehouse (or one that does not exist), as the GET would: an empty sheet, never the factory's lines.
    for (const warehouseId of [network.warehouses.zhejiang, '999999999']) {
      const filtered = await api.post('/v1/fulfillment-orders/exports', { status: 'partially_shipped', warehouseId }, outsider.token);
      expectStatus(filtered, 202);
      expect(await exportDone(filtered.body.id, outsider.token)).toMatchObject({ linesTotal: 0, rowsWritten: 0, warehouseId });
    }
  });

  it('refuses filters it does not understand, storing nothing', async () => {
    const count = async () => (await withDatabase(database.url, (client) => client.query(`select count(*)::int as n from order_sheet_export`))).rows[0].n as number;
    const before = await count();
    expectError(await api.post('/v1/fulfillment-orders/exports', { status: 'lost' }, network.factory.token), 400, 'validation_failed', 'status');
    expectError(await api.post('/v1/fulfillment-orders/exports', { language: 'fr' }, network.factory.token), 400, 'validation_failed', 'language');
    expectError(await api.post('/v1/fulfillment-orders/exports', { warehouseId: 'x' }, network.factory.token), 400, 'validation_failed', 'warehouseId');
    expect(await count()).toBe(before);
  });
});

/** `lines` shipped fulfillment order lines of the farm's (one per order, each in its own parcel), written in a few statements. */
async function bulkShippedLines(url: string, network: OrderNetwork, lines: number): Promise<void> {
  await withDatabase(url, async (client) => {
    await client.query(
      `insert into channel_order (merchant_id, shop_id, external_order_id, source, payload_hash, raw_payload, consignee_name, consignee_phone, province, city, district, address, currency, goods_amount, total_amount, status)
       select $1, $2, 'BULK-' || g, 'push', md5('bulk' || g), '{}'::jsonb, '李四' || g, '139' || lpad(g::text, 8, '0'), '云南省', '昆明市', '五华区', '青年路 ' || g || ' 号', 'CNY', 0, 0, 'shipped'
         from generate_series(1, $3) g`,
      [network.distributor.merchantId, network.shop.id, lines],
    );
    await client.query(
      `insert into channel_order_line (channel_order_id, line_no, shop_sku_code, quantity, unit_price_amount, shipped_quantity)
       select id, 1, 'HONEY', 1, 4500, 1 from channel_order where external_order_id like 'BULK-%'`,
    );
    await client.query(
      `insert into fulfillment_order (supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address, consignee_key, released_at, shipped_at, remarks)
       select $1, $2, 'shipped', c.consignee_name, c.consignee_phone, c.province, c.city, c.district, c.address, 'bulk-' || c.id, now(), now(), c.external_order_id
         from channel_order c where c.external_order_id like 'BULK-%' order by c.id`,
      [network.farm.merchantId, network.warehouses.farm],
    );
    await client.query(
      `insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, shipped_quantity, supply_price_amount, currency)
       select o.id, c.id, l.id, $1, $2, 1, 1, 2500, 'CNY'
         from fulfillment_order o join channel_order c on c.external_order_id = o.remarks join channel_order_line l on l.channel_order_id = c.id
        where o.supplier_merchant_id = $3 order by o.id`,
      [network.distributor.merchantId, network.skus.honey, network.farm.merchantId],
    );
    await client.query(
      `insert into shipment (fulfillment_order_id, supplier_merchant_id, carrier_code, tracking_number)
       select id, $1, 'SF', 'SF' || lpad(id::text, 13, '0') from fulfillment_order where supplier_merchant_id = $1 and status = 'shipped'`,
      [network.farm.merchantId],
    );
    await client.query(
      `insert into shipment_line (shipment_id, fulfillment_order_line_id, quantity)
       select s.id, l.id, 1 from fulfillment_order_line l join shipment s on s.fulfillment_order_id = l.fulfillment_order_id where s.supplier_merchant_id = $1`,
      [network.farm.merchantId],
    );
  });
}
