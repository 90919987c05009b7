import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../..');

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(path) && !/\.(spec|e2e-spec)\.ts$/.test(path) && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** The statement with every parenthesised part (sub-selects, function calls) blanked out: what is left is its own level. */
function outerStatement(sql: string): string {
  let depth = 0;
  let outer = '';
  for (const character of sql) {
    if (character === '(') depth += 1;
    if (depth === 0) outer += character;
    if (character === ')') depth = Math.max(0, depth - 1);
  }
  return outer.replace(/\s+/g, ' ');
}

/** Every level of a query: the query itself and each parenthesised part (a sub-select, a CTE's body), each with its own parts blanked. */
function levels(sql: string): string[] {
  const found = [outerStatement(sql)];
  const opened: number[] = [];
  for (let at = 0; at < sql.length; at += 1) {
    if (sql[at] === '(') opened.push(at);
    else if (sql[at] === ')' && opened.length > 0) found.push(outerStatement(sql.slice(opened.pop()! + 1, at)));
  }
  return found;
}

/**
 * In PostgreSQL, `select id::text … order by id` sorts by the output column, the text: "10" before
 * "9". A keyset page (`where id > ? order by id limit ?`) then skips rows once ids differ in length,
 * and rows locked `for update` in that order are locked in another order than elsewhere (deadlocks).
 * Every query that selects `id::text` as `id` must order by the table's column (`t.id`), never the
 * bare name.
 */
describe('Ids are sorted as numbers, never as the text they are selected as', () => {
  const files = [...sourceFiles(join(root, 'libs')), ...sourceFiles(join(root, 'apps'))];

  /** Line numbers of the template literals in `text` whose outer statement has the mistake. */
  const offendingLines = (text: string): number[] =>
    [...text.matchAll(/`([^`]*)`/g)]
      .filter((match) =>
        levels(match[1]).some((level) => {
          const selectsTextId = /\bselect\s+(distinct\s+)?([\w.]+\.)?id::text(\s+as\s+id)?\s*(,|from\b)/i.test(level) || /::text\s+as\s+id\b/i.test(level);
          return selectsTextId && /\border by id\b(?!\s*::)/i.test(level);
        }),
      )
      .map((match) => text.slice(0, match.index).split('\n').length);

  it('no query orders by a bare `id` that its select list turned into text', () => {
    const offenders = files.flatMap((path) => offendingLines(readFileSync(path, 'utf8')).map((line) => `${relative(root, path)}:${line}`));
    expect(offenders).toEqual([]);
  });

  it('finds the mistake it is written for, and not its correct forms', () => {
    expect(offendingLines('const a = `select id::text, name from product where id > ? order by id limit 10`;')).toEqual([1]);
    expect(offendingLines('\nconst b = `select name, id::text as id from product order by id`;')).toEqual([2]);
    expect(offendingLines('const c = `select id::text, name from product where id > ? order by product.id limit 10`;')).toEqual([]);
    expect(offendingLines('const d = `update t set x = 1 where id in (select id from t order by id limit 5) returning id::text`;')).toEqual([]);
    expect(offendingLines('const e = `select array(select id::text from t where x order by id) as ids`;')).toEqual([1]);
  });
});
