import fc from 'fast-check';
import { Client } from 'pg';
import { pgArray } from '@gongxiao/core';
import { databaseUrl } from '../support/database-admin';

/**
 * Every array parameter of sqlRows/sqlExec reaches PostgreSQL as the literal pgArray writes. Whatever
 * the elements (quotes, backslashes, commas, braces, spaces, the word NULL, any script), PostgreSQL
 * reads back exactly the array that was given, and numbers read back as the same numbers.
 */
describe('pgArray: array parameters as PostgreSQL reads them', () => {
  // The server's maintenance database: nothing is written, and the run's template must stay free for cloning.
  const client = new Client({ connectionString: databaseUrl(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres', 'postgres') });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  // PostgreSQL text cannot hold U+0000; every other character may appear.
  const text = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((value) => !value.includes('\u0000'));
  const tricky = fc.constantFrom('', 'NULL', 'null', ' ', '"', '\\', '\\"', '{}', 'a,b', '{"x"}', '  padded  ', '中文，逗号', 'line\nbreak');

  it('reads back any text array, nulls in their places', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.option(fc.oneof(text, tricky), { nil: null }), { maxLength: 20 }), async (values) => {
        const { rows } = await client.query<{ back: (string | null)[] }>('select $1::text[] as back', [pgArray(values)]);
        expect(rows[0].back).toEqual(values);
      }),
      { numRuns: 300 },
    );
  });

  it('reads back integers and bigints as the same numbers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }), { maxLength: 20 }),
        fc.array(fc.bigInt({ min: 1n, max: 9_223_372_036_854_775_807n }), { maxLength: 20 }),
        async (ints, bigints) => {
          const { rows } = await client.query<{ ints: number[]; bigints: string[] }>('select $1::int[] as ints, $2::bigint[]::text[] as bigints', [pgArray(ints), pgArray(bigints)]);
          expect(rows[0].ints).toEqual(ints);
          expect(rows[0].bigints).toEqual(bigints.map(String));
        },
      ),
      { numRuns: 200 },
    );
  });
});
