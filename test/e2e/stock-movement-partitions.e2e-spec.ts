import { randomBytes } from 'node:crypto';
import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { runMigrations } from '@gongxiao/core';
import { ensureStockMovementPartitions } from '@gongxiao/inventory';
import { MIGRATIONS } from '../../apps/api/src/migrations';
import { Sweeper } from '../../apps/worker/src/sweeper';
import { databaseUrl, dropDatabase, withAdminClient } from '../support/database-admin';
import { withDatabase } from '../support/merchant-network';
import { buildOrderNetwork } from '../support/order-network';
import { useStage } from '../support/stage';

/** `stock_movement_y2026m12` for a date in December 2026 (UTC). */
function partitionOf(date: Date): string {
  return `stock_movement_y${date.getUTCFullYear()}m${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

function monthsFrom(date: Date, months: number): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 15, 12));
}

const partitionsSql = `select child.relname as name from pg_inherits join pg_class child on child.oid = inhrelid where inhparent = 'stock_movement'::regclass order by 1`;

/**
 * Stock movements, the audit trail kept for ever, are partitioned by UTC month: movements land in
 * their month's partition, the sweep keeps three months ready ahead, a movement of a month with no
 * partition waits in the default one and moves into its month when that is created, and the
 * migration carries existing movements over with their ids.
 */
describe('stock movements partitioned by month', () => {
  describe('on a running network', () => {
    const stage = useStage({ worker: 'in-process' });
    const em = () => stage.api.app.get(MikroORM).em.fork() as EntityManager;

    it('puts every movement in its month and keeps three months ready ahead', async () => {
      await buildOrderNetwork(stage.api, { stock: 10 });
      const now = new Date();
      await withDatabase(stage.database.url, async (client) => {
        const placed = await client.query<{ part: string; count: string }>(`select tableoid::regclass::text as part, count(*) from stock_movement group by 1`);
        expect(placed.rows).toEqual([{ part: partitionOf(now), count: expect.any(String) }]);
        expect(Number(placed.rows[0].count)).toBeGreaterThan(0);
        const names = (await client.query<{ name: string }>(partitionsSql)).rows.map((row) => row.name);
        for (let month = 0; month <= 3; month++) expect(names).toContain(partitionOf(monthsFrom(now, month)));
        expect(names).toContain('stock_movement_default');

        // A month ahead that lost its partition: the sweep puts it back.
        await client.query(`drop table ${partitionOf(monthsFrom(now, 3))}`);
        await stage.worker.get(Sweeper).sweep();
        expect((await client.query<{ name: string }>(partitionsSql)).rows.map((row) => row.name)).toContain(partitionOf(monthsFrom(now, 3)));
      });
    });

    it('moves movements that waited in the default partition into their month, once, even when two sweeps race', async () => {
      const later = monthsFrom(new Date(), 8);
      await withDatabase(stage.database.url, async (client) => {
        const inserted = await client.query<{ id: string }>(
          `insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reason, created_at)
           select 1, 1, 1, g, 'manual_adjustment', $1::timestamptz + make_interval(mins => g) from generate_series(1, 5) g returning id`,
          [later.toISOString()],
        );
        const waiting = await client.query(`select tableoid::regclass::text as part from stock_movement where id = any($1)`, [inserted.rows.map((row) => row.id)]);
        expect(waiting.rows.every((row) => row.part === 'stock_movement_default')).toBe(true);

        const created = await Promise.all([ensureStockMovementPartitions(em(), later, 0), ensureStockMovementPartitions(em(), later, 0)]);
        expect(created.flat()).toEqual([partitionOf(later)]);
        const moved = await client.query<{ part: string; total: string; count: string }>(
          `select tableoid::regclass::text as part, sum(on_hand_delta) as total, count(*) from stock_movement where id = any($1) group by 1`,
          [inserted.rows.map((row) => row.id)],
        );
        expect(moved.rows).toEqual([{ part: partitionOf(later), total: '15', count: '5' }]);
        expect((await client.query(`select count(*)::int as n from stock_movement_default`)).rows[0].n).toBe(0);
        expect(await ensureStockMovementPartitions(em(), later, 0)).toEqual([]);
      });
    });
  });

  describe('the migration', () => {
    const name = `gongxiao_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const url = databaseUrl(process.env.DATABASE_URL!, name);
    const index = MIGRATIONS.findIndex((migration) => migration.name === 'Migration20261203000874StockMovementPartitions');

    beforeAll(() => withAdminClient(process.env.DATABASE_URL!, (client) => client.query(`create database "${name}"`)));
    afterAll(() => withAdminClient(process.env.DATABASE_URL!, (client) => dropDatabase(client, name)));

    it('carries existing movements over with their ids, each into its month, and new ids continue after them', async () => {
      expect(index).toBeGreaterThan(0);
      await runMigrations(url, MIGRATIONS.slice(0, index));
      const history = ['2025-11-30T23:59:59Z', '2025-12-01T00:00:00Z', '2026-06-15T08:00:00Z', new Date().toISOString()];
      await withDatabase(url, (client) =>
        client.query(
          `insert into stock_movement (merchant_id, warehouse_id, sku_id, on_hand_delta, reserved_delta, reason, reference, created_at)
           select 7, 8, 9, 10 * ordinality, ordinality, 'manual_set', 'ref-' || ordinality, at from unnest($1::timestamptz[]) with ordinality at`,
          [history],
        ),
      );
      const before = await withDatabase(url, (client) => client.query(`select id, on_hand_delta, reserved_delta, reason, reference, created_at from stock_movement order by id`));

      expect(await runMigrations(url, MIGRATIONS)).toContain('Migration20261203000874StockMovementPartitions');
      await withDatabase(url, async (client) => {
        const after = await client.query(`select id, on_hand_delta, reserved_delta, reason, reference, created_at from stock_movement order by id`);
        expect(after.rows).toEqual(before.rows);
        const placed = await client.query<{ id: string; part: string }>(`select id, tableoid::regclass::text as part from stock_movement order by id`);
        expect(placed.rows.map((row) => row.part)).toEqual(history.map((at) => partitionOf(new Date(at))));
        const names = (await client.query<{ name: string }>(partitionsSql)).rows.map((row) => row.name);
        // Every month from the oldest movement to three months ahead.
        expect(names).toContain('stock_movement_y2026m01');
        expect(names).toContain(partitionOf(monthsFrom(new Date(), 3)));
        const next = await client.query<{ id: string }>(`insert into stock_movement (merchant_id, warehouse_id, sku_id, reason) values (7, 8, 9, 'manual_set') returning id`);
        expect(BigInt(next.rows[0].id)).toBe(BigInt(before.rows[before.rows.length - 1].id) + 1n);
        expect((await client.query(`select relkind from pg_class where relname = 'stock_movement'`)).rows[0].relkind).toBe('p');
      });
    }, 120_000);
  });
});
