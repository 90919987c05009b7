import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { sqlRows } from '@gongxiao/core';
import { shopChangedListingsQuery } from '@gongxiao/availability';
import { cancellationRatesQuery, inboxPageQuery, orderSheetPageQuery } from '@gongxiao/fulfillment';
import { channelOrdersPageQuery } from '@gongxiao/orders';
import { withDatabase } from '../support/merchant-network';
import { buildOrderNetwork, OrderNetwork } from '../support/order-network';
import { useStage } from '../support/stage';

/** Shop orders of history per supplier: a year of them, every one with a fulfillment order and a line. */
const HISTORY = 20_000;
const DAY = 86_400_000;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(nodesOf)];
}

/**
 * Cost that stays flat as history grows: the hot list queries of the inbox, the distributor's orders
 * and the order sheet are explained against a year of history (set-based seed, analyzed), exactly as
 * the services run them (each statement comes from its own exported function). None may read a big
 * table sequentially, and a date window must be read by the index on its date, not by walking the
 * merchant's whole history newest-first and filtering.
 */
describe('query plans of the hot lists over a year of history', () => {
  const stage = useStage();
  const { api, database } = stage;
  let network: OrderNetwork;
  const oneDay = { createdFrom: new Date(Date.now() - 30 * DAY).toISOString(), createdTo: new Date(Date.now() - 29 * DAY).toISOString() };

  const explain = async (statement: { sql: string; params: unknown[] }): Promise<PlanNode[]> => {
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    const [row] = await sqlRows<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(em, `explain (format json) ${statement.sql}`, statement.params);
    return nodesOf(row['QUERY PLAN'][0].Plan);
  };
  const sequentialScans = (nodes: PlanNode[]) => nodes.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => node['Relation Name']);
  const indexes = (nodes: PlanNode[]) => nodes.flatMap((node) => (node['Index Name'] ? [node['Index Name']] : []));

  beforeAll(async () => {
    network = await buildOrderNetwork(api, { stock: 10 });
    await withDatabase(database.url, async (client) => {
      // A year of shop orders of the distributor, half supplied by the factory and half by the farm.
      await client.query(
        `insert into channel_order (merchant_id, shop_id, external_order_id, source, payload_hash, raw_payload, consignee_name, consignee_phone, province, city, district, address,
                                    currency, goods_amount, total_amount, status, received_at, routed_at)
         select $1, $2, 'SEED-' || g, 'push', 'seed', '{}'::jsonb, '张三', '13800138000', '浙江省', '杭州市', '西湖区', '文三路 100 号', 'CNY', 100, 100,
                case when g % 50 = 0 then 'exception' else 'shipped' end, now() - make_interval(secs => (g * 3153.6)::int), now() - make_interval(secs => (g * 3153.6)::int)
           from generate_series(1, $3::int * 2) g`,
        [network.distributor.merchantId, network.shop.id, HISTORY],
      );
      await client.query(
        `insert into channel_order_line (channel_order_id, line_no, shop_sku_code, quantity, unit_price_amount)
         select id, 1, 'TSHIRT', 1, 100 from channel_order where external_order_id like 'SEED-%'`,
      );
      // The consignee key carries the shop order's id, so that the lines below find their fulfillment order.
      await client.query(
        `insert into fulfillment_order (supplier_merchant_id, warehouse_id, status, consignee_name, consignee_phone, province, city, district, address, consignee_key, created_at, released_at, shipped_at)
         select case when c.id % 2 = 0 then $1 else $2 end::bigint, case when c.id % 2 = 0 then $3 else $4 end::bigint, 'shipped', c.consignee_name, c.consignee_phone,
                c.province, c.city, c.district, c.address, 'seed:' || c.id, c.received_at, c.received_at, c.received_at + interval '1 day'
           from channel_order c where c.external_order_id like 'SEED-%'`,
        [network.factory.merchantId, network.farm.merchantId, network.warehouses.zhejiang, network.warehouses.farm],
      );
      await client.query(
        `insert into fulfillment_order_line (fulfillment_order_id, channel_order_id, channel_order_line_id, distributor_merchant_id, sku_id, quantity, shipped_quantity, supply_price_amount, currency)
         select f.id, c.id, l.id, c.merchant_id, case when f.supplier_merchant_id = $1 then $2 else $3 end::bigint, 1, 1, 3000, 'CNY'
           from fulfillment_order f join channel_order c on 'seed:' || c.id = f.consignee_key join channel_order_line l on l.channel_order_id = c.id`,
        [network.factory.merchantId, network.skus.tshirt, network.skus.honey],
      );
      // The distributor sells through 50 shops, 400 listings each, every one computed and half of them told.
      await client.query(`insert into shop (merchant_id, platform, name, webhook_secret) select $1, 'youzan', 'Seed shop ' || g, 'seed' from generate_series(1, 49) g`, [
        network.distributor.merchantId,
      ]);
      await client.query(
        `insert into listing (merchant_id, shop_id, shop_sku_code, offer_id, retail_price_amount, currency)
         select $1, s.id, 'SEED-' || g, $2, 1990, 'CNY' from shop s cross join generate_series(1, 400) g where s.merchant_id = $1`,
        [network.distributor.merchantId, network.offers.brokerTshirt],
      );
      await client.query(`insert into listing_availability (listing_id, merchant_id, shop_id, available, version) select id, merchant_id, shop_id, 5, 2 from listing on conflict do nothing`);
      await client.query(`insert into listing_sync (listing_id, shop_id, synced_version) select listing_id, shop_id, 1 + listing_id % 2 from listing_availability on conflict do nothing`);
      await client.query(`analyze channel_order, channel_order_line, fulfillment_order, fulfillment_order_line, listing, listing_availability, listing_sync`);
    });
  });

  it('the inbox: the first page walks the newest of the supplier, a day of it reads that day by date', async () => {
    // Newest first straight off an index (which one depends on how many suppliers there are): never all rows sorted.
    const first = await explain(inboxPageQuery(network.factory.merchantId, {}, null, 51));
    expect(sequentialScans(first)).toEqual([]);
    expect(first.map((node) => node['Node Type'])).not.toContain('Sort');
    const day = await explain(inboxPageQuery(network.factory.merchantId, oneDay, null, 51));
    expect(sequentialScans(day)).toEqual([]);
    expect(indexes(day)).toContain('fulfillment_order_supplier_created_idx');
  });

  it("the distributor's orders: the first page and a status list by the merchant's newest, a day of them by arrival", async () => {
    const merchantId = network.distributor.merchantId;
    for (const query of [{}, { status: 'exception' as const }]) {
      const plan = await explain(channelOrdersPageQuery(merchantId, query, null, 51));
      expect(sequentialScans(plan)).toEqual([]);
      expect(plan.map((node) => node['Node Type'])).not.toContain('Sort');
    }
    // A day of them, with a status or without: off the date index, never the merchant's history walked backwards by id.
    for (const query of [oneDay, { ...oneDay, status: 'shipped' as const }]) {
      const day = await explain(channelOrdersPageQuery(merchantId, query, null, 51));
      expect(sequentialScans(day)).toEqual([]);
      expect(indexes(day)).toContain('channel_order_merchant_received_idx');
    }
  });

  it("a day's order sheet: every 2,000-line page reads the supplier's orders of that day, never the whole line table", async () => {
    const plan = await explain(orderSheetPageQuery(network.factory.merchantId, { status: 'shipped', warehouseId: null, ...oneDay }, '0'));
    expect(sequentialScans(plan)).toEqual([]);
    expect(indexes(plan)).toContain('fulfillment_order_supplier_created_idx');
    expect(indexes(plan)).not.toContain('fulfillment_order_line_pkey');
  });

  it("a supplier's cancellation figures read its orders of the window, not every supplier's lines", async () => {
    const plan = await explain(cancellationRatesQuery(network.factory.merchantId, new Date(Date.now() - 7 * DAY)));
    expect(sequentialScans(plan)).toEqual([]);
    expect(indexes(plan)).toContain('fulfillment_order_supplier_created_idx');
  });

  it("a shop's changed listings: its own rows off the (merchant, shop) index, each sync looked up by key", async () => {
    const plan = await explain(shopChangedListingsQuery([{ id: network.shop.id, merchantId: network.distributor.merchantId }], 1000));
    expect(sequentialScans(plan)).toEqual([]);
    expect(indexes(plan)).toEqual(expect.arrayContaining(['listing_availability_shop_idx', 'listing_sync_pkey']));
  });

  it('recomputing, telling shops and moving stock rewrite rows heap-only: no index holds a column they change, and pages keep room', async () => {
    const em = api.app.get(MikroORM).em.fork() as EntityManager;
    // Any index that names a changing column (as a key, in an expression or in a partial index's predicate) stops heap-only updates.
    const changingColumns: Record<string, string[]> = {
      listing_availability: ['available', 'version', 'updated_at'],
      listing_sync: ['synced_version', 'synced_at'],
      stock_level: ['on_hand', 'reserved', 'safety_stock', 'updated_at'],
    };
    const definitions = await sqlRows<{ tablename: string; indexname: string; indexdef: string }>(em, `select tablename, indexname, indexdef from pg_indexes where tablename = any(?::text[])`, [
      Object.keys(changingColumns),
    ]);
    expect(definitions.length).toBeGreaterThanOrEqual(3);
    const changing = definitions.filter((index) => changingColumns[index.tablename].some((column) => new RegExp(`\\b${column}\\b`).test(index.indexdef.split(' USING ')[1])));
    expect(changing).toEqual([]);
    const options = await sqlRows<{ relname: string; reloptions: string[] | null }>(
      em,
      `select relname, reloptions from pg_class where relname in ('listing_availability', 'listing_sync', 'stock_level') order by relname`,
    );
    expect(options).toEqual([
      { relname: 'listing_availability', reloptions: ['fillfactor=70'] },
      { relname: 'listing_sync', reloptions: ['fillfactor=70'] },
      { relname: 'stock_level', reloptions: ['fillfactor=80'] },
    ]);
  });
});
