import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { foreignReferences, foreignReferencesInSource, librariesUnder, ownershipOf, tablesNamedIn } from './table-ownership';

const root = resolve(__dirname, '../..');
const ownership = ownershipOf(root);
const describeReference = (reference: { access: string; file: string; line: number; table: string; owner: string; sql: string }) =>
  `${reference.access} of ${reference.table} (owned by ${reference.owner}) at ${reference.file}:${reference.line}: ${reference.sql}`;

describe('walls: every table belongs to the library whose migration creates it', () => {
  it('derives an owner for every table from the migrations, and no table has two', () => {
    expect(ownership.duplicates).toEqual([]);
    // The tables every context is known to own: a sanity check that the derivation reads the migrations.
    expect(ownership.owners.get('channel_order')).toBe('orders');
    expect(ownership.owners.get('fulfillment_order_line')).toBe('fulfillment');
    expect(ownership.owners.get('outbox_event')).toBe('core');
    expect(ownership.owners.get('stock_alert_rule')).toBe('availability');
    expect(ownership.owners.size).toBeGreaterThan(30);
  });

  it('has no library writing, altering or reading another library’s table, and no application naming any table', () => {
    const foreign = foreignReferences(root, ownership);
    expect(foreign.map(describeReference)).toEqual([]);
  });

  it('lets views (an owner’s published read model) read only their own library’s tables', () => {
    const leaks = [...ownership.viewSources].flatMap(([view, sources]) =>
      sources.filter((table) => ownership.owners.has(table) && ownership.owners.get(table) !== ownership.owners.get(view)).map((table) => `${view} reads ${table}`),
    );
    expect(ownership.views.size).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });

  describe('the analysis itself fails when a foreign table is named', () => {
    // A real source file of one library, with one statement naming another library's table added.
    const file = 'libs/aftersales/src/return-request.lifecycle.ts';
    const original = readFileSync(resolve(root, file), 'utf8');
    const check = (sql: string) => foreignReferencesInSource('aftersales', file, `${original}\nconst added = \`${sql}\`;\n`, ownership.owners, ownership.views);

    it.each([
      ['read', `select quantity from fulfillment_order_line where channel_order_id = ?`, 'fulfillment_order_line'],
      ['read', `select r.id from return_request r join channel_order o on o.id = r.channel_order_id`, 'channel_order'],
      ['read', `select 1 from return_request r, shipment s where s.id = r.id`, 'shipment'],
      ['write', `update fulfillment_order_line set returned_quantity = returned_quantity + ? where id = ?`, 'fulfillment_order_line'],
      ['write', `insert into outbox_event (type, merchant_id, aggregate_id, payload) values (?, ?, ?, ?)`, 'outbox_event'],
      ['write', `delete from idempotency_record where merchant_id = ?`, 'idempotency_record'],
      ['write', `with x as (select 1) update channel_order o set status = 'cancelled' from x where o.id = ?`, 'channel_order'],
      ['schema', `alter table channel_order add column note text`, 'channel_order'],
    ])('%s: %s', (access, sql, table) => {
      expect(check(sql)).toEqual([expect.objectContaining({ access, table })]);
    });

    it('finds nothing in the file as it is, nor in SQL naming only the library’s own tables and others’ views', () => {
      expect(foreignReferencesInSource('aftersales', file, original, ownership.owners, ownership.views)).toEqual([]);
      expect(check(`select * from return_request where id = any(?::bigint[])`)).toEqual([]);
      expect(foreignReferencesInSource('webhooks', 'x.ts', 'const q = `select secret from warehouse_signing_secret where warehouse_id = ?`;', ownership.owners, ownership.views)).toEqual([]);
      // Writing through another library's view is still a write to that library.
      expect(foreignReferencesInSource('webhooks', 'x.ts', 'const q = `update warehouse_signing_secret set secret = ? where warehouse_id = ?`;', ownership.owners, ownership.views)).toEqual([
        expect.objectContaining({ access: 'write', table: 'warehouse_signing_secret' }),
      ]);
    });

    it('reads table names out of SQL, not out of prose or function calls', () => {
      expect(tablesNamedIn('Ship from warehouse Hangzhou to the consignee')).toEqual([]);
      expect(tablesNamedIn('select x from unnest(?::bigint[]) as r(x)')).toEqual([]);
      expect(
        tablesNamedIn('select * from sku s join warehouse w on w.id = s.id')
          .map((named) => named.table)
          .sort(),
      ).toEqual(['sku', 'warehouse']);
    });
  });

  it('is what the README says: its ownership table names every table and view with its owner', () => {
    const readme = readFileSync(resolve(root, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- ownership:start -->'), readme.indexOf('<!-- ownership:end -->'));
    const documented = new Map<string, string>();
    for (const row of section.split('\n').filter((line) => /^\| [a-z]+ \|/.test(line))) {
      const [library, owns] = row
        .split('|')
        .slice(1, 3)
        .map((cell) => cell.trim());
      if (library === 'library') continue;
      for (const name of owns.split(',').map((item) => item.replace(/\(view\)/, '').trim())) documented.set(name, library);
    }
    expect(Object.fromEntries([...documented].sort())).toEqual(Object.fromEntries([...ownership.owners].sort()));
  });

  it('knows every library', () => {
    expect(librariesUnder(root)).toEqual(expect.arrayContaining(['core', 'orders', 'fulfillment', 'aftersales', 'availability', 'webhooks']));
  });
});
