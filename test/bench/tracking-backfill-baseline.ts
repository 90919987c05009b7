import { BARE_WRITER_PRELUDE } from './bench-support';

/**
 * The tracking backfill's baseline, run as its own node process (`node -e`): a bare exceljs streaming
 * read of the filled sheet (every cell of every row), then a bare set-based apply of its rows with
 * plain pg, one transaction per ~5,000 rows (whole fulfillment orders): the lines looked up by order
 * and SKU code, shipments, shipment lines, shipped units, order statuses, stock (reserved and on hand
 * with a movement per parcel and SKU), shop order lines and statuses, one outbox row per parcel.
 * Each transaction is rolled back, so the product then ships the very same lines.
 * Env: BENCH_URL, BENCH_FILE, BENCH_SUPPLIER. Prints one JSON line.
 */
export const BARE_BACKFILL = `${BARE_WRITER_PRELUDE}
const CHUNK = 5000;
(async () => {
  const startRssMb = rssMb('VmRSS');
  const started = process.hrtime.bigint();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(process.env.BENCH_FILE, { sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore', worksheets: 'emit' });
  const rows = [];
  let header = null, cells = 0;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => { values[column] = cell.text; cells++; });
      if (!header) { header = values; continue; }
      const at = (name) => values[header.indexOf(name)] ?? '';
      if (at('快递单号') === '') continue;
      rows.push({ order: at('发货单号'), sku: at('商品编码'), quantity: Number(at('数量')), carrier: at('快递公司'), tracking: at('快递单号') });
    }
    break;
  }
  const readSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const db = new Client({ connectionString: process.env.BENCH_URL });
  await db.connect();
  const carriers = { '顺丰速运': 'SF', '中通快递': 'ZTO', '圆通速递': 'YTO', '韵达快递': 'YUNDA' };
  let parcels = 0, applied = 0;
  const spent = {};
  const query = async (label, text, values) => {
    const at = process.hrtime.bigint();
    const result = await db.query(text, values);
    spent[label] = (spent[label] ?? 0) + Number(process.hrtime.bigint() - at) / 1e9;
    return result;
  };
  // Whole fulfillment orders per transaction (an order's rows need not be next to each other in the sheet).
  const byOrder = new Map();
  for (const row of rows) byOrder.set(row.order, [...(byOrder.get(row.order) ?? []), row]);
  const chunks = [[]];
  for (const orderRows of byOrder.values()) {
    if (chunks[chunks.length - 1].length >= CHUNK) chunks.push([]);
    chunks[chunks.length - 1].push(...orderRows);
  }
  for (const chunk of chunks) {
    await db.query('begin');
    const lines = (await query('lookup',
      \`select l.id::text, l.fulfillment_order_id::text as fo, s.code, l.sku_id::text, l.channel_order_line_id::text as col, l.channel_order_id::text as co, o.warehouse_id::text
         from fulfillment_order_line l join fulfillment_order o on o.id = l.fulfillment_order_id join sku s on s.id = l.sku_id
        where l.fulfillment_order_id = any($1::bigint[]) and o.supplier_merchant_id = $2 and o.status = 'new' for update of o\`,
      [[...new Set(chunk.map((row) => row.order))], process.env.BENCH_SUPPLIER])).rows;
    const lineOf = new Map(lines.map((line) => [line.fo + '|' + line.code, line]));
    const items = chunk.map((row) => ({ row, line: lineOf.get(row.order + '|' + row.sku) })).filter((item) => item.line);
    const orders = [...new Map(items.map((item) => [item.row.order, item.row])).values()];
    const shipments = (await query('shipment',
      \`insert into shipment (fulfillment_order_id, supplier_merchant_id, carrier_code, tracking_number)
       select o, $1, c, t from unnest($2::bigint[], $3::text[], $4::text[]) as r(o, c, t) returning id::text, fulfillment_order_id::text as fo\`,
      [process.env.BENCH_SUPPLIER, orders.map((row) => row.order), orders.map((row) => carriers[row.carrier] ?? row.carrier), orders.map((row) => row.tracking)])).rows;
    const shipmentOf = new Map(shipments.map((shipment) => [shipment.fo, shipment.id]));
    await query('shipment_line', \`insert into shipment_line (shipment_id, fulfillment_order_line_id, quantity) select * from unnest($1::bigint[], $2::bigint[], $3::int[])\`,
      [items.map((item) => shipmentOf.get(item.row.order)), items.map((item) => item.line.id), items.map((item) => item.row.quantity)]);
    await query('line_shipped', \`update fulfillment_order_line l set shipped_quantity = l.shipped_quantity + r.q from unnest($1::bigint[], $2::int[]) as r(id, q) where l.id = r.id\`,
      [items.map((item) => item.line.id), items.map((item) => item.row.quantity)]);
    await query('order_status', \`update fulfillment_order set status = 'shipped', shipped_at = now(), updated_at = now() where id = any($1::bigint[])\`, [orders.map((row) => row.order)]);
    await query('stock_level',
      \`with w as (select r.w, r.k, sum(r.q)::int as q from unnest($1::bigint[], $2::bigint[], $3::int[]) as r(w, k, q) group by r.w, r.k)
       update stock_level s set reserved = s.reserved - w.q, on_hand = greatest(s.on_hand - w.q, 0), updated_at = now() from w where s.warehouse_id = w.w and s.sku_id = w.k\`,
      [items.map((item) => item.line.warehouse_id), items.map((item) => item.line.sku_id), items.map((item) => item.row.quantity)]);
    await query('stock_movement',
      \`insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference)
       select $1, w, k, -q, -q, 'shipment', 'shipment:' || s from unnest($2::bigint[], $3::bigint[], $4::int[], $5::bigint[]) as r(w, k, q, s)\`,
      [process.env.BENCH_SUPPLIER, items.map((item) => item.line.warehouse_id), items.map((item) => item.line.sku_id), items.map((item) => item.row.quantity), items.map((item) => shipmentOf.get(item.row.order))]);
    await query('shop_line', \`update channel_order_line l set shipped_quantity = l.shipped_quantity + r.q from unnest($1::bigint[], $2::int[]) as r(id, q) where l.id = r.id\`,
      [items.map((item) => item.line.col), items.map((item) => item.row.quantity)]);
    await query('shop_order', \`update channel_order set status = 'shipped', updated_at = now() where id = any($1::bigint[])\`, [[...new Set(items.map((item) => item.line.co))]]);
    await query('outbox', \`insert into outbox_event (type, merchant_id, aggregate_id, payload, processed_at) select 'bench.baseline', $1, s, '{}'::jsonb, now() from unnest($2::text[]) s\`,
      [process.env.BENCH_SUPPLIER, shipments.map((shipment) => shipment.id)]);
    await db.query('rollback');
    parcels += shipments.length;
    applied += items.length;
  }
  await db.end();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  console.log(JSON.stringify({ rows: rows.length, cells, parcels, applied, readSeconds, seconds, statementSeconds: Object.fromEntries(Object.entries(spent).map(([k, v]) => [k, Math.round(v * 100) / 100])), peakRssMb: rssMb('VmHWM'), startRssMb }));
})().catch((error) => { console.error(error); process.exit(1); });
`;
