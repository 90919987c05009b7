import { MikroORM, RequestContext } from '@mikro-orm/core';
import type { Workbook, Worksheet } from 'exceljs';
import { ActorContext } from '@gongxiao/core';
import { OrderSheetBatchResponseDto, OrderSheetCutterService, SheetSchedulesService } from '@gongxiao/fulfillment';
import { expectError, expectStatus, withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork, orderRouted, PRICES, shopOrder } from '../support/order-network';
import { useStage } from '../support/stage';
import { eventually, WebhookSink } from '../support/webhook-sink';

/** The sheet's rows after the header, each as header name → cell value. */
function recordsOf(sheet: Worksheet): Record<string, unknown>[] {
  const header = sheet.getRow(1).values as unknown[];
  const records: Record<string, unknown>[] = [];
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const record: Record<string, unknown> = {};
    row.eachCell({ includeEmpty: true }, (cell, column) => (record[String(header[column])] = cell.value));
    records.push(record);
  });
  return records;
}

/** An instant on the Shanghai wall clock (UTC+8, no daylight saving). */
const shanghai = (day: string, time: string) => new Date(`${day}T${time}:00+08:00`);
const DAY = '2030-03-04';
const NEXT_DAY = '2030-03-05';

/**
 * A supplier who works in Excel three batches a day (10:00, 14:00, 18:00 Shanghai). The batches are
 * cut with a fake clock (the cutter takes `now`), orders arriving between them: each order lands in
 * exactly one batch, one cancelled before its batch is in none, one cancelled after its batch is on
 * the next batch's "已取消 请勿发货" sheet once — and so is each partial cancellation, with the units
 * cancelled and what is still to ship; a missed day of cuts is one batch, not three.
 */
describe('order-sheet batches (发货单批次)', () => {
  // The worker looks for due batches every 2 s here (every minute by default).
  const stage = useStage({ worker: 'in-process', config: { OUTBOX_POLL_MS: '50', ORDER_SHEET_CUT_INTERVAL_SECONDS: '2' } });
  const { api, database } = stage;
  let network: OrderNetwork;
  let sink: WebhookSink;
  let factory: ActorContext;
  const orders: Record<string, { channelOrderId: string; externalOrderId: string; fulfillmentOrderId: string }> = {};
  const batches: OrderSheetBatchResponseDto[] = [];

  const inContext = <T>(work: () => Promise<T>) => RequestContext.create(api.app.get(MikroORM).em, work);
  const cutAt = (at: Date) => inContext(() => api.app.get(OrderSheetCutterService).cutDueBatches(at));

  /** Pushes a shop order for the Zhejiang warehouse and waits for its fulfillment order. */
  const pushOrder = async (name: string, consignee: string) => {
    const order = shopOrder([{ code: 'TSHIRT', quantity: 2, unitPrice: PRICES.retailTshirt }], { name: consignee });
    const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
    expectStatus(push, 202);
    expect((await orderRouted(api, network, push.body.id)).status).toBe('routed');
    const newest = (await api.get(`/v1/fulfillment-orders?warehouseId=${network.warehouses.zhejiang}&limit=1`, network.factory.token)).body.data[0];
    expect(newest.consignee.name).toBe(consignee);
    orders[name] = { channelOrderId: push.body.id, externalOrderId: order.externalOrderId, fulfillmentOrderId: newest.id };
  };
  const cancel = async (name: string) => expectStatus(await api.post(`/v1/channel-orders/${orders[name].channelOrderId}/cancel`, { reason: 'changed my mind' }, network.distributor.token), 200);
  /** The consumer cancels `quantity` of the order's (only) line's two units. */
  const cancelUnits = async (name: string, quantity: number) =>
    expectStatus(await api.post(`/v1/channel-orders/${orders[name].channelOrderId}/cancel`, { reason: 'one is enough', lines: [{ lineNo: 1, quantity }] }, network.distributor.token), 200);
  const cutNow = async () => {
    const cut = await api.post(`/v1/warehouses/${network.warehouses.zhejiang}/order-sheet-batches`, {}, network.factory.token);
    expectStatus(cut, 201);
    return cut.body as OrderSheetBatchResponseDto;
  };

  const download = async (batchId: string, language?: string, token = network.factory.token) => {
    const response = await api.app.inject({
      method: 'GET',
      url: `/v1/order-sheet-batches/${batchId}/file.xlsx${language ? `?language=${language}` : ''}`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    const ExcelJS = (await import('exceljs')).default;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    return workbook as Workbook;
  };
  const memberships = () =>
    withDatabase(database.url, async (client) => {
      const { rows } = await client.query<{ fulfillment_order_id: string; kind: string; number: number }>(
        `select m.fulfillment_order_id::text, m.kind, b.number from order_sheet_batch_order m join order_sheet_batch b on b.id = m.batch_id order by b.number, m.kind, m.fulfillment_order_id`,
      );
      return rows;
    });

  beforeAll(async () => {
    network = await buildOrderNetwork(api);
    factory = ActorContext.system(network.factory.merchantId, ['fulfillment:read', 'fulfillment:write']);
    sink = await WebhookSink.start();
    expectStatus(await api.post('/v1/webhook-subscriptions', { url: sink.url('/factory-batches'), events: ['order_sheet_batch.created'] }, network.factory.token), 201);
    expectStatus(await api.patch(`/v1/skus/${network.skus.tshirt}`, { spec: '白色 / M' }, network.factory.token), 200);
    const schedule = await inContext(() => api.app.get(SheetSchedulesService).put(factory, network.warehouses.zhejiang, { times: ['18:00', '10:00', '14:00'] }, shanghai(DAY, '08:00')));
    expect(schedule).toEqual(expect.objectContaining({ times: ['10:00', '14:00', '18:00'], timeZone: 'Asia/Shanghai', nextCutAt: shanghai(DAY, '10:00').toISOString() }));
  });

  afterAll(async () => {
    await sink?.close();
  });

  it('cuts nothing before 10:00, then at 10:00 one batch of the orders released since, never one cancelled before it', async () => {
    await pushOrder('a', '甲');
    await pushOrder('b', '乙');
    await pushOrder('c', '丙');
    await cancel('c');
    expect(await cutAt(shanghai(DAY, '09:59'))).toEqual([]);
    const [first, ...more] = await cutAt(shanghai(DAY, '10:00'));
    expect(more).toEqual([]);
    expect(first).toEqual(expect.objectContaining({ number: 1, trigger: 'schedule', orderCount: 2, cancelledCount: 0, scheduledFor: shanghai(DAY, '10:00').toISOString(), firstDownloadedAt: null }));
    batches.push(first);
    // Due again only at 14:00.
    expect(await cutAt(shanghai(DAY, '10:01'))).toEqual([]);
    expect((await memberships()).map((row) => [row.number, row.kind, row.fulfillment_order_id])).toEqual([
      [1, 'order', orders.a.fulfillmentOrderId],
      [1, 'order', orders.b.fulfillmentOrderId],
    ]);
  });

  it('puts the next order in the 14:00 batch, with the order cancelled after batch 1 on its cancelled list', async () => {
    await pushOrder('d', '丁');
    await cancel('a');
    const [second] = await cutAt(shanghai(DAY, '14:00'));
    expect(second).toEqual(expect.objectContaining({ number: 2, orderCount: 1, cancelledCount: 1 }));
    batches.push(second);
    const rows = (await memberships()).filter((row) => row.number === 2).map((row) => [row.kind, row.fulfillment_order_id]);
    expect(rows).toEqual([
      ['cancelled', orders.a.fulfillmentOrderId],
      ['order', orders.d.fulfillmentOrderId],
    ]);
  });

  it('cuts no empty batch at 18:00, and a day of missed cuts is one batch, not three', async () => {
    expect(await cutAt(shanghai(DAY, '18:00'))).toEqual([]);
    await pushOrder('e', '戊');
    // No worker ran the next day until 19:30: 10:00, 14:00 and 18:00 were missed.
    const missed = await cutAt(shanghai(NEXT_DAY, '19:30'));
    expect(missed).toHaveLength(1);
    expect(missed[0]).toEqual(expect.objectContaining({ number: 3, orderCount: 1, cancelledCount: 0, scheduledFor: shanghai(NEXT_DAY, '10:00').toISOString() }));
    batches.push(missed[0]);
    expect(await cutAt(shanghai(NEXT_DAY, '19:31'))).toEqual([]);
    const schedule = await api.get(`/v1/warehouses/${network.warehouses.zhejiang}/sheet-schedule`, network.factory.token);
    expect(schedule.body.nextCutAt).toBe(shanghai('2030-03-06', '10:00').toISOString());
  });

  it('keeps every order in exactly one batch, the one cancelled before any batch in none, the late cancellation listed once', async () => {
    const rows = await memberships();
    const inBatches = rows.filter((row) => row.kind === 'order').map((row) => row.fulfillment_order_id);
    expect(inBatches.sort()).toEqual(['a', 'b', 'd', 'e'].map((name) => orders[name].fulfillmentOrderId).sort());
    expect(new Set(inBatches).size).toBe(inBatches.length);
    expect(rows.filter((row) => row.fulfillment_order_id === orders.c.fulfillmentOrderId)).toEqual([]);
    expect(rows.filter((row) => row.kind === 'cancelled')).toEqual([{ fulfillment_order_id: orders.a.fulfillmentOrderId, kind: 'cancelled', number: 2 }]);
  });

  it('writes the batch file: its orders as the order sheet (店铺订单号, 规格), and the cancelled ones on their own sheet', async () => {
    const workbook = await download(batches[1].id);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['发货单', '已取消 请勿发货']);
    const [sheet, cancelled] = workbook.worksheets;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['发货单号', '订单号', '店铺订单号']);
    expect(header.slice(header.indexOf('商品名称'), header.indexOf('商品名称') + 2)).toEqual(['商品名称', '规格']);
    expect(recordsOf(sheet)).toEqual([
      expect.objectContaining({
        发货单号: orders.d.fulfillmentOrderId,
        订单号: orders.d.channelOrderId,
        店铺订单号: orders.d.externalOrderId,
        收件人: '丁',
        商品编码: 'TSHIRT-M',
        规格: '白色 / M',
        数量: 2,
        状态: '待发货',
      }),
    ]);
    expect((cancelled.getRow(1).values as unknown[]).slice(1)).toEqual(['发货单号', '订单号', '店铺订单号', '收件人', '商品编码', '商品名称', '数量', '取消数量', '仍需发货', '取消时间']);
    const [line, ...others] = recordsOf(cancelled);
    expect(others).toEqual([]);
    expect(line).toEqual({
      发货单号: orders.a.fulfillmentOrderId,
      订单号: orders.a.channelOrderId,
      店铺订单号: orders.a.externalOrderId,
      收件人: '甲',
      商品编码: 'TSHIRT-M',
      商品名称: expect.any(String),
      数量: 2,
      取消数量: 2,
      仍需发货: 0,
      取消时间: expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/),
    });
  });

  it('shows the current state when downloaded again (a shipped order shows its parcel), in English on request, and remembers the first download', async () => {
    const shipped = await api.post(`/v1/fulfillment-orders/${orders.b.fulfillmentOrderId}/shipments`, { carrierCode: 'SF', trackingNumber: 'SF0000111122223' }, network.factory.token);
    expectStatus(shipped, 201);
    const workbook = await download(batches[0].id, 'en');
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Fulfillment orders', 'Cancelled - do not ship']);
    const rows = recordsOf(workbook.worksheets[0]);
    expect(rows.map((row) => [row['Fulfillment order'], row['Shop order no.'], row['Spec'], row['Status'], row['Carrier'], row['Tracking number']])).toEqual([
      [orders.a.fulfillmentOrderId, orders.a.externalOrderId, '白色 / M', 'Cancelled', null, null],
      [orders.b.fulfillmentOrderId, orders.b.externalOrderId, '白色 / M', 'Shipped', 'SF Express', 'SF0000111122223'],
    ]);
    expect(recordsOf(workbook.worksheets[1])).toEqual([]);
    const first = (await api.get(`/v1/order-sheet-batches/${batches[0].id}`, network.factory.token)).body.firstDownloadedAt;
    expect(first).toEqual(expect.any(String));
    await download(batches[0].id);
    expect((await api.get(`/v1/order-sheet-batches/${batches[0].id}`, network.factory.token)).body.firstDownloadedAt).toBe(first);
  });

  it('announces every batch to the supplier’s subscriptions (order_sheet_batch.created)', async () => {
    const received = await eventually(async () => sink.on('/factory-batches').length >= 3 && sink.on('/factory-batches'), 20_000, 'three batch notices');
    expect(received.map((item) => item.body.event)).toEqual(['order_sheet_batch.created', 'order_sheet_batch.created', 'order_sheet_batch.created']);
    expect(received.map((item) => item.body.data).sort((x, y) => x.number - y.number)).toEqual(
      batches.map((batch) => ({
        batchId: batch.id,
        warehouseId: network.warehouses.zhejiang,
        number: batch.number,
        orderCount: batch.orderCount,
        cancelledCount: batch.cancelledCount,
        cutAt: batch.cutAt,
        file: `/v1/order-sheet-batches/${batch.id}/file.xlsx`,
      })),
    );
  });

  describe('over HTTP', () => {
    it('lists the batches newest first, by warehouse, with a cursor', async () => {
      const page = await api.get(`/v1/order-sheet-batches?warehouseId=${network.warehouses.zhejiang}&limit=2`, network.factory.token);
      expectStatus(page, 200);
      expect(page.body.data.map((batch: OrderSheetBatchResponseDto) => batch.number)).toEqual([3, 2]);
      const rest = await api.get(`/v1/order-sheet-batches?warehouseId=${network.warehouses.zhejiang}&limit=2&cursor=${page.body.nextCursor}`, network.factory.token);
      expect(rest.body).toEqual({ data: [expect.objectContaining({ number: 1 })], nextCursor: null });
      expect((await api.get(`/v1/order-sheet-batches?warehouseId=${network.warehouses.guangdong}`, network.factory.token)).body).toEqual({ data: [], nextCursor: null });
    });

    it('cuts a batch now (201), and answers 409 when nothing is new', async () => {
      await pushOrder('f', '己');
      // One of the two units of e (in batch 3) is cancelled: e is on batch 4's cancelled sheet.
      await cancelUnits('e', 1);
      const cut = await api.post(`/v1/warehouses/${network.warehouses.zhejiang}/order-sheet-batches`, {}, network.factory.token);
      expectStatus(cut, 201);
      expect(cut.body).toEqual(expect.objectContaining({ number: 4, trigger: 'manual', scheduledFor: null, orderCount: 1, cancelledCount: 1 }));
      batches.push(cut.body);
      const [line, ...others] = recordsOf((await download(cut.body.id)).worksheets[1]);
      expect(others).toEqual([]);
      expect(line).toEqual(expect.objectContaining({ 发货单号: orders.e.fulfillmentOrderId, 数量: 2, 取消数量: 1, 仍需发货: 1 }));
      expectError(await api.post(`/v1/warehouses/${network.warehouses.zhejiang}/order-sheet-batches`, {}, network.factory.token), 409, 'order_sheet_batch_empty');
      expectError(await api.post(`/v1/warehouses/${network.warehouses.guangdong}/order-sheet-batches`, {}, network.factory.token), 409, 'order_sheet_batch_empty');
    });

    it('never cuts the same orders twice when two cuts race', async () => {
      await pushOrder('g', '辛');
      // The other unit of e is cancelled too: e is on batch 5's cancelled sheet again, for that unit only.
      await cancelUnits('e', 1);
      const url = `/v1/warehouses/${network.warehouses.zhejiang}/order-sheet-batches`;
      const answers = await Promise.all([api.post(url, {}, network.factory.token), api.post(url, {}, network.factory.token), cutAt(new Date())]);
      expect(
        answers
          .slice(0, 2)
          .map((answer) => (answer as { status: number }).status)
          .sort(),
      ).toEqual([201, 409]);
      expect(answers[2]).toEqual([]);
      const rows = (await memberships()).filter((row) => row.fulfillment_order_id === orders.g.fulfillmentOrderId);
      expect(rows).toEqual([{ fulfillment_order_id: orders.g.fulfillmentOrderId, kind: 'order', number: 5 }]);
      const winner = answers.slice(0, 2).find((answer) => (answer as { status: number }).status === 201) as { body: OrderSheetBatchResponseDto };
      expect(winner.body).toEqual(expect.objectContaining({ number: 5, orderCount: 1, cancelledCount: 1 }));
      batches.push(winner.body);
    });

    it('lists units cancelled of an order in an earlier batch on the next batch, each cancellation once, with what is still to ship', async () => {
      const cancelledSheet = async (batch: OrderSheetBatchResponseDto) => recordsOf((await download(batch.id)).worksheets[1]);
      const [fourth, fifth] = [batches[3], batches[4]];
      const e = { 发货单号: orders.e.fulfillmentOrderId, 订单号: orders.e.channelOrderId, 店铺订单号: orders.e.externalOrderId, 收件人: '戊', 商品编码: 'TSHIRT-M', 数量: 2 };
      // Batch 4 listed one unit of two (one was still to ship then: see above), batch 5 the other; both show what is left now: nothing.
      expect(await cancelledSheet(fourth)).toEqual([expect.objectContaining({ ...e, 取消数量: 1, 仍需发货: 0 })]);
      expect(await cancelledSheet(fifth)).toEqual([expect.objectContaining({ ...e, 取消数量: 1, 仍需发货: 0 })]);
      const inEnglish = recordsOf((await download(fourth.id, 'en')).worksheets[1]);
      expect(inEnglish.map((row) => [row['Fulfillment order'], row['Quantity'], row['Cancelled'], row['Still to ship']])).toEqual([[orders.e.fulfillmentOrderId, 2, 1, 0]]);
      // Once per cancellation: each of e's two is listed by exactly one batch, the first cut after it.
      const listed = await withDatabase(database.url, async (client) => {
        const { rows } = await client.query<{ number: number; quantity: number; listed: boolean }>(
          `select b.number, c.quantity, c.listed from fulfillment_line_cancellation c join order_sheet_batch b on b.id = c.batch_id where c.fulfillment_order_id = $1 order by c.id`,
          [orders.e.fulfillmentOrderId],
        );
        return rows;
      });
      expect(listed).toEqual([
        { number: 4, quantity: 1, listed: true },
        { number: 5, quantity: 1, listed: true },
      ]);
      expect((await memberships()).filter((row) => row.fulfillment_order_id === orders.e.fulfillmentOrderId).map((row) => [row.number, row.kind])).toEqual([
        [3, 'order'],
        [4, 'cancelled'],
        [5, 'cancelled'],
      ]);
      // Batch 3's own sheet shows e as it is now: cancelled.
      expect(recordsOf((await download(batches[2].id)).worksheets[0]).map((row) => [row['发货单号'], row['数量'], row['状态']])).toEqual([[orders.e.fulfillmentOrderId, 2, '已取消']]);
    });

    it('shows a unit cancelled before its order’s batch only as what is left on the order sheet, never as cancelled', async () => {
      await pushOrder('h', '壬');
      await cancelUnits('h', 1);
      const sixth = await cutNow();
      expect(sixth).toEqual(expect.objectContaining({ number: 6, orderCount: 1, cancelledCount: 0 }));
      const workbook = await download(sixth.id);
      expect(recordsOf(workbook.worksheets[0]).map((row) => [row['发货单号'], row['数量'], row['状态']])).toEqual([[orders.h.fulfillmentOrderId, 1, '待发货']]);
      expect(recordsOf(workbook.worksheets[1])).toEqual([]);
      // That cancellation was settled by batch 6 without being listed, so nothing is left to cut.
      expectError(await api.post(`/v1/warehouses/${network.warehouses.zhejiang}/order-sheet-batches`, {}, network.factory.token), 409, 'order_sheet_batch_empty');
      // A unit cancelled after it is listed by batch 7, with the one unit of h that was left now cancelled too.
      await cancelUnits('h', 1);
      const seventh = await cutNow();
      expect(seventh).toEqual(expect.objectContaining({ number: 7, orderCount: 0, cancelledCount: 1 }));
      expect(recordsOf((await download(seventh.id)).worksheets[1])).toEqual([expect.objectContaining({ 发货单号: orders.h.fulfillmentOrderId, 数量: 2, 取消数量: 1, 仍需发货: 0 })]);
    });

    it('sets a schedule and refuses bad times and zones, changing nothing', async () => {
      const url = `/v1/warehouses/${network.warehouses.guangdong}/sheet-schedule`;
      expect((await api.get(url, network.factory.token)).body).toEqual({ warehouseId: network.warehouses.guangdong, times: [], timeZone: 'Asia/Shanghai', nextCutAt: null, updatedAt: null });
      expectError(await api.put(url, { times: ['10:00', '25:00'] }, network.factory.token), 400, 'validation_failed');
      expectError(await api.put(url, { times: ['10:00', '10:00'] }, network.factory.token), 400, 'validation_failed', 'times[1]');
      expectError(await api.put(url, { times: ['10:00'], timeZone: 'Mars/Olympus' }, network.factory.token), 400, 'validation_failed', 'timeZone');
      expectError(await api.put(url, { times: Array.from({ length: 13 }, (_, hour) => `${String(hour).padStart(2, '0')}:00`) }, network.factory.token), 400, 'validation_failed');
      expect((await api.get(url, network.factory.token)).body.updatedAt).toBeNull();
      const set = await api.put(url, { times: ['14:00', '09:30'], timeZone: 'Asia/Tokyo' }, network.factory.token);
      expectStatus(set, 200);
      expect(set.body).toEqual(expect.objectContaining({ times: ['09:30', '14:00'], timeZone: 'Asia/Tokyo', nextCutAt: expect.any(String), updatedAt: expect.any(String) }));
      expect(Date.parse(set.body.nextCutAt)).toBeGreaterThan(Date.now());
      expect(Date.parse(set.body.nextCutAt) - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    });

    it('defaults the schedule’s zone to the merchant’s time zone, and writes the sheet’s times in it', async () => {
      expectStatus(await api.put('/v1/settlement/settings', { timeZone: 'Europe/Berlin' }, network.factory.token), 200);
      const url = `/v1/warehouses/${network.warehouses.zhejiang}/sheet-schedule`;
      expect((await api.put(url, { times: ['10:00'] }, network.factory.token)).body.timeZone).toBe('Europe/Berlin');
      const created = (await api.get(`/v1/fulfillment-orders/${orders.d.fulfillmentOrderId}`, network.factory.token)).body.createdAt;
      const berlin = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(new Date(created));
      expect(recordsOf((await download(batches[1].id)).worksheets[0])[0]['下单时间']).toBe(berlin);
    });

    it('answers 404 for another merchant’s warehouse and batch, and shows it none of them', async () => {
      const outsider = network.farm.token;
      const batch = batches[0].id;
      expectError(await api.get(`/v1/warehouses/${network.warehouses.zhejiang}/sheet-schedule`, outsider), 404, 'warehouse_not_found');
      expectError(await api.put(`/v1/warehouses/${network.warehouses.zhejiang}/sheet-schedule`, { times: ['11:00'] }, outsider), 404, 'warehouse_not_found');
      expectError(await api.post(`/v1/warehouses/${network.warehouses.zhejiang}/order-sheet-batches`, {}, outsider), 404, 'warehouse_not_found');
      expectError(await api.get(`/v1/order-sheet-batches/${batch}`, outsider), 404, 'order_sheet_batch_not_found');
      expectError(await api.get(`/v1/order-sheet-batches/${batch}/file.xlsx`, outsider), 404, 'order_sheet_batch_not_found');
      expectError(await api.get('/v1/order-sheet-batches/not-an-id', network.factory.token), 404, 'order_sheet_batch_not_found');
      expect((await api.get('/v1/order-sheet-batches', outsider)).body).toEqual({ data: [], nextCursor: null });
      expect((await api.get(`/v1/warehouses/${network.warehouses.zhejiang}/sheet-schedule`, network.factory.token)).body.times).toEqual(['10:00']);
    });
  });

  describe('in the worker', () => {
    it('is cut by the worker’s minutely job once a schedule’s time has come', async () => {
      const order = shopOrder([{ code: 'MUG', quantity: 1, unitPrice: PRICES.retailMug }], { name: '庚', province: '广东省', city: '广州市', district: '天河区' });
      const push = await api.signedPost(`/v1/shops/${network.shop.id}/orders`, order, network.shop.secret);
      expectStatus(push, 202);
      expect((await orderRouted(api, network, push.body.id)).status).toBe('routed');
      // A schedule set yesterday at 09:00 whose 10:00 has long passed: the next run of the job cuts it.
      const yesterday = new Date(Date.now() - 86_400_000);
      await inContext(() => api.app.get(SheetSchedulesService).put(factory, network.warehouses.guangdong, { times: ['10:00'], timeZone: 'Asia/Shanghai' }, yesterday));
      const batch = await eventually(
        async () => (await api.get(`/v1/order-sheet-batches?warehouseId=${network.warehouses.guangdong}`, network.factory.token)).body.data[0],
        20_000,
        'the worker to cut the Guangdong batch',
      );
      expect(batch).toEqual(expect.objectContaining({ number: 1, trigger: 'schedule', orderCount: 1 }));
      const schedule = (await api.get(`/v1/warehouses/${network.warehouses.guangdong}/sheet-schedule`, network.factory.token)).body;
      expect(Date.parse(schedule.nextCutAt)).toBeGreaterThan(Date.now());
    }, 40_000);
  });
});
