import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { ActorContext, readSheetRows, SheetImportContext, SheetImportMode, SheetLanguageCode } from '@gongxiao/core';
import { BULK_SHIPMENT_CHUNK, BulkShipmentsService, TrackingBackfillHandler } from '@gongxiao/fulfillment';
import { expectError, expectStatus, waitUntilSettled, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually } from '../support/webhook-sink';

type Line = { id: string; skuCode: string; quantity: number; shippedQuantity: number };
type FulfillmentOrder = { id: string; status: string; lines: Line[]; shipments: { trackingNumber: string; carrierCode: string; lines: { lineId: string; quantity: number }[] }[] };

/**
 * The order sheet (发货单) comes back from the warehouse with carrier and tracking filled in: several
 * parcels of one order, a partial line, bad rows of every kind (an unknown carrier, an implausible
 * number, a cancelled order, another supplier's order, a duplicate), applied all or nothing and per
 * valid row; the same sheet again is "unchanged"; ERPs send the same as JSON to POST /v1/shipments/bulk.
 */
describe('tracking backfill: the order sheet uploaded back, and bulk shipments as JSON', () => {
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50' } });
  const { api } = stage;
  let network: OrderNetwork;
  let handler: TrackingBackfillHandler;
  const orders: Record<'a' | 'b' | 'cancelled' | 'implausible' | 'untouched' | 'farm', { channelOrderId: string; fulfillmentOrderId: string }> = {} as never;

  const push = async (lines: { code: string; quantity: number; unitPrice: number }[]) => {
    const receipt = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, shopOrder(lines), network.shop.secret);
    expectStatus(receipt, 202);
    expect((await orderRouted(api, network, receipt.body.id)).status).toBe('routed');
    const { rows } = await withDatabase(stage.database.url, (client) =>
      client.query(`select distinct fulfillment_order_id::text as id from fulfillment_order_line where channel_order_id = $1`, [receipt.body.id]),
    );
    expect(rows).toHaveLength(1);
    return { channelOrderId: String(receipt.body.id), fulfillmentOrderId: rows[0].id as string };
  };
  const fulfillmentOrder = async (id: string): Promise<FulfillmentOrder> => (await api.get(`/v1/fulfillment-orders/${id}`, network.factory.token)).body;
  const download = async (status: string): Promise<ExcelJS.Workbook> => {
    const response = await api.app.inject({ method: 'GET', url: `/v1/fulfillment-orders/export.xlsx?status=${status}`, headers: { authorization: `Bearer ${network.factory.token}` } });
    expect(response.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    return workbook;
  };
  const context = (mode: SheetImportMode, language: SheetLanguageCode = 'zh-CN'): SheetImportContext => ({
    actor: ActorContext.system(network.factory.merchantId, ['fulfillment:write']),
    importId: '1',
    fileDigest: 'digest',
    mode,
    language,
    fields: {},
    progress: async () => undefined,
  });
  const apply = async (workbook: ExcelJS.Workbook, mode: SheetImportMode, language: SheetLanguageCode = 'zh-CN') => {
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const sheet = await readSheetRows(buffer, handler.spec);
    return handler.apply(context(mode, language), sheet.rows);
  };
  const countOf = async (sql: string) => Number((await withDatabase(stage.database.url, (client) => client.query(sql))).rows[0].count);

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    handler = api.app.get(TrackingBackfillHandler);
    orders.a = await push([
      { code: 'TSHIRT', quantity: 3, unitPrice: PRICES.retailTshirt },
      { code: 'MUG', quantity: 2, unitPrice: PRICES.retailMug },
    ]);
    orders.b = await push([{ code: 'TSHIRT', quantity: 1, unitPrice: PRICES.retailTshirt }]);
    orders.implausible = await push([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
    orders.untouched = await push([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }]);
    orders.cancelled = await push([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }]);
    expectStatus(await api.post(`/v1/channel-orders/${orders.cancelled.channelOrderId}/cancel`, { reason: 'changed my mind' }, network.distributor.token), 200);
    orders.farm = await push([{ code: 'HONEY', quantity: 1, unitPrice: PRICES.retailHoney }]);
  });

  /** The downloaded sheet of new orders, filled in as a warehouse does, with one bad row of each kind (made once, uploaded several times). */
  let filled: Promise<{ workbook: ExcelJS.Workbook; rows: Record<string, number> }> | undefined;
  const filledSheet = () => (filled ??= fillSheet());
  const fillSheet = async () => {
    const workbook = await download('new');
    const sheet = workbook.worksheets[0];
    const header = (sheet.getRow(1).values as unknown[]).map(String);
    const column = (name: string) => header.indexOf(name);
    const rowOf = (orderId: string, sku: string) => {
      let found: ExcelJS.Row | undefined;
      sheet.eachRow((row, number) => {
        if (!found && number > 1 && String(row.getCell(column('发货单号')).value) === orderId && row.getCell(column('商品编码')).value === sku) found = row;
      });
      if (!found) throw new Error(`no row for ${orderId} ${sku}`);
      return found;
    };
    const fill = (row: ExcelJS.Row, quantity: number, carrier: string, tracking: string) => {
      row.getCell(column('数量')).value = quantity;
      row.getCell(column('快递公司')).value = carrier;
      row.getCell(column('快递单号')).value = tracking;
    };
    const add = (orderId: string, sku: string, quantity: number, carrier: string, tracking: string) => {
      const row = sheet.addRow([]);
      row.getCell(column('发货单号')).value = orderId;
      row.getCell(column('商品编码')).value = sku;
      fill(row, quantity, carrier, tracking);
      return row.number;
    };
    // Order A: T-shirts 2 of 3 and both mugs in one SF parcel, the last T-shirt in a ZTO parcel (whose row is also there twice).
    fill(rowOf(orders.a.fulfillmentOrderId, 'TSHIRT-M'), 2, '顺丰', 'sf 1000 0000 0001');
    fill(rowOf(orders.a.fulfillmentOrderId, 'MUG-350'), 2, '顺丰速运', 'SF100000000001');
    const zto = add(orders.a.fulfillmentOrderId, 'TSHIRT-M', 1, '中通', '73100000000001');
    const duplicate = add(orders.a.fulfillmentOrderId, 'TSHIRT-M', 1, 'ZTO', '73100000000001');
    fill(rowOf(orders.b.fulfillmentOrderId, 'TSHIRT-M'), 1, '顺风快运', 'SF100000000002');
    fill(rowOf(orders.implausible.fulfillmentOrderId, 'MUG-350'), 1, '顺丰', '78912345678901');
    const cancelled = add(orders.cancelled.fulfillmentOrderId, 'MUG-350', 1, '圆通', 'YT1000000000001');
    const farm = add(orders.farm.fulfillmentOrderId, 'HONEY-500', 1, '顺丰', 'SF100000000009');
    const rows = {
      aTshirt: rowOf(orders.a.fulfillmentOrderId, 'TSHIRT-M').number,
      aMug: rowOf(orders.a.fulfillmentOrderId, 'MUG-350').number,
      zto,
      duplicate,
      b: rowOf(orders.b.fulfillmentOrderId, 'TSHIRT-M').number,
      implausible: rowOf(orders.implausible.fulfillmentOrderId, 'MUG-350').number,
      cancelled,
      farm,
    };
    return { workbook, rows };
  };

  it('all or nothing: refuses the whole sheet, every bad row with its reason, and records nothing', async () => {
    const { workbook, rows } = await filledSheet();
    const outcome = await apply(workbook, 'all_or_nothing');
    expect(outcome.applied).toBe(0);
    expect(outcome.unchanged).toBe(0);
    const reasons = new Map(outcome.rejected.map((row) => [row.rowNumber, row.reason]));
    // The untouched order's row (no carrier, no tracking) is skipped, not refused.
    expect([...reasons.keys()].sort((x, y) => x - y)).toEqual(Object.values(rows).sort((x, y) => x - y));
    expect(reasons.get(rows.aTshirt)).toContain('“全部或全不”模式下整批未导入');
    expect(reasons.get(rows.b)).toBe('无法识别的快递公司“顺风快运”：请填写名称（如 顺丰、中通）或代码（如 SF、ZTO）');
    expect(reasons.get(rows.implausible)).toBe('“78912345678901”不像顺丰速运的快递单号：顺丰单号应为 SF 加 12 或 13 位数字');
    expect(reasons.get(rows.cancelled)).toBe('已取消 请勿发货：消费者已取消该订单');
    expect(reasons.get(rows.farm)).toBe(`发货单 ${orders.farm.fulfillmentOrderId} 不存在`);
    expect(reasons.get(rows.duplicate)).toBe(`与第 ${rows.zto} 行重复（相同发货单、商品编码、快递公司和快递单号）`);
    expect(reasons.get(rows.zto)).toContain(`未导入：同一包裹的第 ${rows.duplicate} 行有错误`);
    // Rejected rows keep the cells as uploaded, in template order.
    expect(outcome.rejected.find((row) => row.rowNumber === rows.b)!.cells).toEqual([orders.b.fulfillmentOrderId, 'TSHIRT-M', '1', '顺风快运', 'SF100000000002']);
    expect((await fulfillmentOrder(orders.a.fulfillmentOrderId)).shipments).toEqual([]);
  });

  it('valid rows: records the valid parcels (tracking visible to the distributor), refuses the rest whole per parcel', async () => {
    const { workbook, rows } = await filledSheet();
    const outcome = await apply(workbook, 'valid_rows', 'en');
    expect(outcome.applied).toBe(2);
    const reasons = new Map(outcome.rejected.map((row) => [row.rowNumber, row.reason]));
    expect([...reasons.keys()].sort((x, y) => x - y)).toEqual([rows.zto, rows.duplicate, rows.b, rows.implausible, rows.cancelled, rows.farm].sort((x, y) => x - y));
    expect(reasons.get(rows.cancelled)).toBe('cancelled: do not ship. The consumer cancelled this order');
    expect(reasons.get(rows.farm)).toBe(`fulfillment order ${orders.farm.fulfillmentOrderId} not found`);
    expect(reasons.get(rows.zto)).toBe(
      `not applied: row ${rows.duplicate} of the same parcel was rejected (duplicate of row ${rows.zto} (same order, SKU, carrier and tracking number)), so the whole parcel is`,
    );

    const a = await fulfillmentOrder(orders.a.fulfillmentOrderId);
    expect(a.status).toBe('partially_shipped');
    const skuOf = new Map(a.lines.map((line) => [line.id, line.skuCode]));
    expect(a.shipments.map((shipment) => [shipment.carrierCode, shipment.trackingNumber, shipment.lines.map((line) => [skuOf.get(line.lineId), line.quantity]).sort()])).toEqual([
      [
        'SF',
        'SF100000000001',
        [
          ['MUG-350', 2],
          ['TSHIRT-M', 2],
        ],
      ],
    ]);
    expect(a.lines.map((line) => [line.skuCode, line.shippedQuantity]).sort()).toEqual([
      ['MUG-350', 2],
      ['TSHIRT-M', 2],
    ]);
    const distributorView = await api.get(`/v1/channel-orders/${orders.a.channelOrderId}`, network.distributor.token);
    expect(distributorView.body.status).toBe('partially_shipped');
    expect(distributorView.body.lines.map((line: { shipments: { trackingNumber: string; quantity: number }[] }) => line.shipments.map((s) => [s.trackingNumber, s.quantity]))).toEqual([
      [['SF100000000001', 2]],
      [['SF100000000001', 2]],
    ]);
    expect((await fulfillmentOrder(orders.b.fulfillmentOrderId)).shipments).toEqual([]);
  });

  it('applying the same rows again, or the sheet downloaded since, records nothing twice', async () => {
    await waitUntilSettled(stage.database.url);
    const shipments = await countOf(`select count(*) from shipment`);
    const ledger = await countOf(`select count(*) from ledger_entry`);
    const events = await countOf(`select count(*) from outbox_event where type in ('shipment.recorded', 'channel_order.shipment_recorded')`);
    expect(ledger).toBeGreaterThan(0);

    const { workbook } = await filledSheet();
    const again = await apply(workbook, 'valid_rows');
    expect([again.applied, again.unchanged, again.rejected.length]).toEqual([0, 2, 6]);

    // The sheet of partly shipped orders lists the SF parcel as its own rows, carrier and tracking filled: "unchanged", never an error.
    const downloaded = await download('partially_shipped');
    const outcome = await apply(downloaded, 'all_or_nothing');
    expect(outcome).toEqual({ applied: 0, unchanged: 2, rejected: [] });

    await waitUntilSettled(stage.database.url);
    expect(await countOf(`select count(*) from shipment`)).toBe(shipments);
    expect(await countOf(`select count(*) from ledger_entry`)).toBe(ledger);
    expect(await countOf(`select count(*) from outbox_event where type in ('shipment.recorded', 'channel_order.shipment_recorded')`)).toBe(events);
  });

  it('POST /v1/shipments/bulk: an ERP’s JSON, by SKU or the whole rest of an order, idempotent, in English on request', async () => {
    const body = {
      mode: 'valid_rows',
      language: 'en',
      shipments: [
        { fulfillmentOrderId: orders.a.fulfillmentOrderId, carrier: 'zhongtong', trackingNumber: '73100000000001', skuCode: 'tshirt-m' },
        { fulfillmentOrderId: orders.b.fulfillmentOrderId, carrier: 'YTO', trackingNumber: 'YT1000000000002' },
        { fulfillmentOrderId: orders.untouched.fulfillmentOrderId, carrier: 'SF', trackingNumber: '73100000000001' },
        { fulfillmentOrderId: orders.untouched.fulfillmentOrderId, carrier: 'ZTO', trackingNumber: '73100000000001', quantity: 1, skuCode: 'TSHIRT-M' },
        { fulfillmentOrderId: orders.implausible.fulfillmentOrderId, carrier: 'SF', trackingNumber: 'SF100000000003', skuCode: 'MUG-350', quantity: 2 },
      ],
    };
    const answer = await api.post('/v1/shipments/bulk', body, network.factory.token);
    expectStatus(answer, 200);
    expect(answer.body).toEqual({
      applied: 2,
      unchanged: 0,
      rejected: 3,
      rows: [
        { index: 0, status: 'applied', shipmentId: expect.any(String) },
        { index: 1, status: 'applied', shipmentId: expect.any(String) },
        { index: 2, status: 'rejected', reason: '"73100000000001" is not a plausible SF Express tracking number: SF tracking numbers are SF followed by 12 or 13 digits' },
        {
          index: 3,
          status: 'rejected',
          reason: `tracking number 73100000000001 is used for fulfillment order ${orders.a.fulfillmentOrderId} (shipments[0]): one tracking number is one parcel`,
        },
        { index: 4, status: 'rejected', reason: '2 unit(s) of MUG-350 but only 1 remain to ship (ordered 1)' },
      ],
    });
    expect((await fulfillmentOrder(orders.a.fulfillmentOrderId)).status).toBe('shipped');
    const b = await fulfillmentOrder(orders.b.fulfillmentOrderId);
    expect([b.status, b.shipments.map((shipment) => [shipment.carrierCode, shipment.trackingNumber, shipment.lines.map((line) => line.quantity)])]).toEqual([
      'shipped',
      [['YTO', 'YT1000000000002', [1]]],
    ]);

    const repeated = await api.post('/v1/shipments/bulk', { ...body, shipments: body.shipments.slice(0, 2) }, network.factory.token);
    expectStatus(repeated, 200);
    expect(repeated.body.rows.map((row: { status: string; shipmentId: string }) => [row.status, row.shipmentId])).toEqual([
      ['unchanged', answer.body.rows[0].shipmentId],
      ['unchanged', answer.body.rows[1].shipmentId],
    ]);
    // Another supplier cannot tell the order exists; all or nothing (the default) records nothing when a row is refused.
    const outsider = await api.post(
      '/v1/shipments/bulk',
      { language: 'en', shipments: [{ fulfillmentOrderId: orders.untouched.fulfillmentOrderId, carrier: 'SF', trackingNumber: 'SF100000000004' }] },
      network.farm.token,
    );
    expect(outsider.body.rows).toEqual([{ index: 0, status: 'rejected', reason: `fulfillment order ${orders.untouched.fulfillmentOrderId} not found` }]);
    const refused = await api.post(
      '/v1/shipments/bulk',
      {
        shipments: [
          { fulfillmentOrderId: orders.untouched.fulfillmentOrderId, carrier: '顺丰', trackingNumber: 'SF100000000005', skuCode: 'TSHIRT-M', quantity: 1 },
          { fulfillmentOrderId: orders.untouched.fulfillmentOrderId, carrier: '顺丰', trackingNumber: 'SF100000000006', skuCode: 'TSHIRT-M', quantity: 2 },
        ],
      },
      network.factory.token,
    );
    expect([refused.body.applied, refused.body.rows.map((row: { reason: string }) => row.reason)]).toEqual([
      0,
      ['未导入：本行无误，但其他行有错误，“全部或全不”模式下整批未导入', '商品 TSHIRT-M 发货 2 件，但只剩 1 件待发（下单 2 件，本次上传的其他行已发 1 件）'],
    ]);
    expect((await fulfillmentOrder(orders.untouched.fulfillmentOrderId)).shipments).toEqual([]);
  });

  it('races the single shipment API without ever shipping a unit twice', async () => {
    const raced = await Promise.all(Array.from({ length: 6 }, () => push([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }])));
    const stockBefore = await countOf(`select coalesce(sum(on_hand), 0) as count from stock_level where merchant_id = ${network.factory.merchantId}`);
    await Promise.all(
      raced.map(({ fulfillmentOrderId }, index) =>
        Promise.all([
          api.post(`/v1/fulfillment-orders/${fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: `SF2000000000${index}1` }, network.factory.token),
          // Even races the same parcel (same tracking number), odd ones another parcel of the same order.
          api.post('/v1/shipments/bulk', { shipments: [{ fulfillmentOrderId, carrier: 'SF', trackingNumber: `SF2000000000${index}${index % 2 === 0 ? 1 : 2}` }] }, network.factory.token),
        ]).then(([single, bulk]) => {
          expect([200, 201, 409]).toContain(single.status);
          expectStatus(bulk, 200);
        }),
      ),
    );
    for (const [index, { fulfillmentOrderId }] of raced.entries()) {
      const order = await fulfillmentOrder(fulfillmentOrderId);
      expect([index, order.status, order.shipments.length, order.lines[0].shippedQuantity]).toEqual([index, 'shipped', 1, 1]);
    }
    const stockAfter = await countOf(`select coalesce(sum(on_hand), 0) as count from stock_level where merchant_id = ${network.factory.merchantId}`);
    expect(stockBefore - stockAfter).toBe(raced.length);
  });

  it('applies a big batch chunk by chunk, each chunk checked again under lock, all or nothing across every chunk', async () => {
    const service = api.app.get(BulkShipmentsService);
    service.chunkSize = 2;
    const blocker = new Client({ connectionString: stage.database.url });
    try {
      const batch = await Promise.all(Array.from({ length: 5 }, () => push([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }])));
      batch.sort((x, y) => Number(x.fulfillmentOrderId) - Number(y.fulfillmentOrderId));
      const rows = batch.flatMap(({ fulfillmentOrderId }, index) => [
        { fulfillmentOrderId, carrier: 'JD', trackingNumber: `JDX3000000${index}001`, skuCode: 'TSHIRT-M', quantity: 1 },
        { fulfillmentOrderId, carrier: 'JD', trackingNumber: `JDX3000000${index}002`, skuCode: 'TSHIRT-M', quantity: 1 },
      ]);
      const last = batch[4].fulfillmentOrderId;
      // Every row is valid when checked; while the earlier chunks are written, the last order is cancelled.
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query('select 1 from fulfillment_order where id = $1 for update', [last]);
      const pending = api.post('/v1/shipments/bulk', { language: 'en', shipments: rows }, network.factory.token);
      await eventually(
        async () => (await countOf(`select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database() and query like '%fulfillment_order%for update%'`)) > 0,
        15_000,
        'the bulk shipment waiting',
      );
      await blocker.query(`update fulfillment_order set status = 'cancelled' where id = $1`, [last]);
      await blocker.query('commit');
      const refused = await pending;
      expectStatus(refused, 200);
      expect([refused.body.applied, refused.body.rejected]).toEqual([0, 10]);
      expect(refused.body.rows[9].reason).toBe('cancelled: do not ship. The consumer cancelled this order');
      expect(refused.body.rows[0].reason).toBe('not applied: this row is fine, but other rows were rejected and nothing is applied in all-or-nothing mode');
      for (const { fulfillmentOrderId } of batch) expect((await fulfillmentOrder(fulfillmentOrderId)).shipments).toEqual([]);

      const applied = await api.post('/v1/shipments/bulk', { mode: 'valid_rows', shipments: rows }, network.factory.token);
      expect([applied.body.applied, applied.body.unchanged, applied.body.rejected]).toEqual([8, 0, 2]);
      for (const { fulfillmentOrderId } of batch.slice(0, 4)) {
        const order = await fulfillmentOrder(fulfillmentOrderId);
        expect([order.status, order.shipments.length, order.lines[0].shippedQuantity]).toEqual(['shipped', 2, 2]);
      }
      const again = await api.post('/v1/shipments/bulk', { mode: 'valid_rows', shipments: rows }, network.factory.token);
      expect([again.body.applied, again.body.unchanged, again.body.rejected]).toEqual([0, 8, 2]);
    } finally {
      service.chunkSize = BULK_SHIPMENT_CHUNK;
      await blocker.end().catch(() => undefined);
    }
  });

  it('a sheet whose order comes back in rows far apart, applied in chunks: the order whole in one chunk, and a bad last row stops all of it', async () => {
    const service = api.app.get(BulkShipmentsService);
    service.chunkSize = 1;
    try {
      const [first, second, third] = await Promise.all([1, 2, 3].map(() => push([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }])));
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('发货单');
      sheet.addRow(handler.templateHeaders['zh-CN']);
      // The first order's two parcels are rows 2 and 4, with the second order between them; the third order's carrier is unknown.
      const rows = [
        [first.fulfillmentOrderId, 'TSHIRT-M', 1, '顺丰', 'SF300000000001'],
        [second.fulfillmentOrderId, 'TSHIRT-M', 2, '顺丰', 'SF300000000002'],
        [first.fulfillmentOrderId, 'TSHIRT-M', 1, '顺丰', 'SF300000000003'],
        [third.fulfillmentOrderId, 'TSHIRT-M', 2, 'NOSUCHCARRIER', 'SF300000000004'],
      ];
      for (const row of rows) sheet.addRow(row);
      const refused = await apply(workbook, 'all_or_nothing', 'en');
      expect([refused.applied, refused.rejected.map((row) => row.rowNumber)]).toEqual([0, [2, 3, 4, 5]]);
      expect(refused.rejected[3].reason).toContain('NOSUCHCARRIER');
      for (const { fulfillmentOrderId } of [first, second, third]) expect((await fulfillmentOrder(fulfillmentOrderId)).shipments).toEqual([]);

      const applied = await apply(workbook, 'valid_rows', 'en');
      expect([applied.applied, applied.unchanged, applied.rejected.map((row) => row.rowNumber)]).toEqual([3, 0, [5]]);
      const firstOrder = await fulfillmentOrder(first.fulfillmentOrderId);
      expect([firstOrder.status, firstOrder.shipments.map((shipment) => shipment.trackingNumber).sort()]).toEqual(['shipped', ['SF300000000001', 'SF300000000003']]);
      expect((await fulfillmentOrder(second.fulfillmentOrderId)).status).toBe('shipped');
      expect((await fulfillmentOrder(third.fulfillmentOrderId)).shipments).toEqual([]);
      const again = await apply(workbook, 'valid_rows', 'en');
      expect([again.applied, again.unchanged, again.rejected.length]).toEqual([0, 3, 1]);
    } finally {
      service.chunkSize = BULK_SHIPMENT_CHUNK;
    }
  });

  it('POST /v1/shipments/bulk refuses a malformed body or more than 5,000 rows with 400, changing nothing', async () => {
    const row = { fulfillmentOrderId: orders.untouched.fulfillmentOrderId, carrier: 'SF', trackingNumber: 'SF100000000007' };
    expectError(await api.post('/v1/shipments/bulk', { shipments: Array.from({ length: 5001 }, () => row) }, network.factory.token), 400, 'validation_failed', 'shipments');
    expectError(await api.post('/v1/shipments/bulk', { shipments: [{ ...row, quantity: 0 }] }, network.factory.token), 400, 'validation_failed', 'shipments[0].quantity');
    expectError(await api.post('/v1/shipments/bulk', { shipments: [] }, network.factory.token), 400, 'validation_failed', 'shipments');
    expect((await fulfillmentOrder(orders.untouched.fulfillmentOrderId)).shipments).toEqual([]);
  });
});
