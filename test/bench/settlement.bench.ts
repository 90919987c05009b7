import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { freshDatabase, OUT, percentile } from './bench-support';

/**
 * Settlement: closing a month of ENTRIES ledger entries (BENCH_SETTLEMENT_ENTRIES, 200,000 by default;
 * the figure is 1,000,000) over PAIRS statements of one payee. What a close costs is freezing
 * every statement's totals from its entries in one set-based statement (`update statement … from
 * (select statement_id, sum(…) filter (…) … group by statement_id)`), under the payee's period lock,
 * with the closed_period row: timed beside a bare `select statement_id, sum(amount) … group by` of the
 * same rows, in the same run. Each is run three times (the close rolled back each time); medians.
 */
const QUICK = process.env.BENCH_QUICK === '1';
const ENTRIES = Number(process.env.BENCH_SETTLEMENT_ENTRIES ?? (QUICK ? 20_000 : 200_000));
const PAIRS = Number(process.env.BENCH_SETTLEMENT_PAIRS ?? 200);
const RUNS = 3;
const PERIOD = '2026-01-01';

const log = (message: string) => console.log(`[bench:settlement] ${message}`);

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Freezing the totals as a close does (the close service's statement, in essence). */
const FREEZE = `
  update statement s
     set goods_amount = t.goods, shipping_amount = t.shipping, refund_amount = t.refunds, adjustment_amount = t.adjustments, payment_amount = t.payments,
         opening_balance_amount = 0, due_amount = t.goods + t.shipping - t.refunds + t.adjustments,
         closing_balance_amount = t.goods + t.shipping - t.refunds + t.adjustments - t.payments, updated_at = now()
    from (select statement_id,
                 coalesce(sum(amount) filter (where kind = 'goods'), 0) as goods,
                 coalesce(sum(amount) filter (where kind = 'shipping'), 0) as shipping,
                 coalesce(sum(amount) filter (where kind = 'refund'), 0) as refunds,
                 coalesce(sum(case when debit_account = 'receivable' then amount else -amount end) filter (where kind = 'adjustment'), 0) as adjustments,
                 coalesce(sum(amount) filter (where kind in ('payment', 'top_up')), 0) as payments
            from ledger_entry where seller_merchant_id = $1 and period = $2::date group by statement_id) t
   where s.id = t.statement_id`;

const BARE = `select statement_id, sum(amount) from ledger_entry where seller_merchant_id = $1 and period = $2::date group by statement_id`;

async function main(): Promise<void> {
  const base = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  mkdirSync(OUT, { recursive: true });
  log(`fresh database gongxiao_bench_settlement; ${ENTRIES} entries over ${PAIRS} statements`);
  const url = await freshDatabase(base, 'gongxiao_bench_settlement');
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const seeding = await timed(async () => {
      const [seller] = (await db.query<{ id: string }>(`insert into merchant (name) values ('Bench supplier') returning id::text`)).rows;
      await db.query(`insert into merchant (name) select 'Bench buyer ' || g from generate_series(1, $1) g`, [PAIRS]);
      await db.query(
        `insert into statement (seller_merchant_id, buyer_merchant_id, currency, period)
         select $1, id, 'CNY', $2::date from merchant where id <> $1`,
        [seller.id, PERIOD],
      );
      // One statement: ENTRIES entries spread over the statements, of every kind, across the month.
      await db.query(
        `insert into ledger_entry (seller_merchant_id, buyer_merchant_id, currency, debit_account, credit_account, amount, kind, source_key, period, statement_id, occurred_at, quantity, unit_price_amount)
         select s.seller_merchant_id, s.buyer_merchant_id, 'CNY', k.debit, k.credit, 100 + g % 9900, k.kind, 'bench:' || g, s.period, s.id,
                s.period + ((g % 2592000) || ' seconds')::interval, 1, 100 + g % 9900
           from generate_series(1, $1) g
           join (select id, seller_merchant_id, buyer_merchant_id, period, row_number() over (order by id) - 1 as n from statement) s on s.n = g % $2
           join (values (0, 'goods', 'receivable', 'revenue'), (1, 'goods', 'receivable', 'revenue'), (2, 'goods', 'receivable', 'revenue'), (3, 'goods', 'receivable', 'revenue'),
                        (4, 'goods', 'receivable', 'revenue'), (5, 'shipping', 'receivable', 'revenue'), (6, 'refund', 'revenue', 'receivable'),
                        (7, 'adjustment', 'receivable', 'revenue'), (8, 'payment', 'cash', 'receivable'), (9, 'top_up', 'cash', 'receivable')) as k(n, kind, debit, credit) on k.n = g % 10`,
        [ENTRIES, PAIRS],
      );
      await db.query('analyze');
    });
    const sellerId = (await db.query<{ id: string }>(`select id::text from merchant where name = 'Bench supplier'`)).rows[0].id;
    const count = (await db.query<{ n: number }>(`select count(*)::int as n from ledger_entry`)).rows[0].n;
    log(`seeded ${count} entries in ${seeding.toFixed(1)} s`);

    const bare: number[] = [];
    const close: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      bare.push(await timed(() => db.query(BARE, [sellerId, PERIOD])));
      close.push(
        await timed(async () => {
          await db.query('begin');
          try {
            await db.query(`select pg_advisory_xact_lock(hashtextextended($1, 0))`, [`settlement_period:${sellerId}`]);
            await db.query(`insert into closed_period (merchant_id, period) values ($1, $2::date)`, [sellerId, PERIOD]);
            const frozen = await db.query(FREEZE, [sellerId, PERIOD]);
            if (frozen.rowCount !== PAIRS) throw new Error(`froze ${frozen.rowCount} statements, expected ${PAIRS}`);
          } finally {
            await db.query('rollback');
          }
        }),
      );
    }
    const results = {
      entries: count,
      statements: PAIRS,
      seedingSeconds: Math.round(seeding * 100) / 100,
      closeSeconds: Math.round(percentile(close, 50) * 1000) / 1000,
      bareAggregateSeconds: Math.round(percentile(bare, 50) * 1000) / 1000,
      runs: { close, bare },
    };
    const ratio = results.closeSeconds / results.bareAggregateSeconds;
    const table = [
      '| scenario | Gongxiao | baseline (same run) | ratio / goal |',
      '|---|---|---|---|',
      `| Closing a month of ${count} ledger entries over ${PAIRS} statements (period lock, closed_period, totals frozen in one update … group by), seconds | ${results.closeSeconds} s | ${results.bareAggregateSeconds} s (bare select statement_id, sum(amount) … group by) | ${ratio.toFixed(2)}× |`,
    ].join('\n');
    writeFileSync(resolve(OUT, 'settlement.json'), JSON.stringify({ ...results, ratio: Math.round(ratio * 100) / 100 }, null, 2));
    writeFileSync(resolve(OUT, 'settlement.md'), `${table}\n`);
    console.log(`\n${table}\n`);
  } finally {
    await db.end().catch(() => undefined);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
