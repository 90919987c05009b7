import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/**
 * The walls between contexts, read from the code itself.
 *
 * A table (or view) belongs to the library whose migration creates it. Every other library's SQL may
 * neither write it nor read it: reads across a wall go through the owner's exported query functions.
 * The owner of each table is derived from the `create table` / `create view` statements of the
 * migrations, and every string or template literal of a library's source that reads like SQL is
 * searched for the tables it names, so a wall cannot be broken by a new statement without this
 * analysis seeing it.
 */

export interface TableReference {
  library: string;
  file: string;
  line: number;
  table: string;
  owner: string;
  access: 'read' | 'write' | 'schema';
  sql: string;
}

export interface Ownership {
  /** table or view → library whose migration creates it */
  owners: Map<string, string>;
  /** The views among them: an owner's published read model, which other libraries may read. */
  views: Set<string>;
  /** view → the relations its definition reads */
  viewSources: Map<string, string[]>;
  /** tables created by more than one library (itself a broken wall) */
  duplicates: { table: string; libraries: string[] }[];
}

const CREATE = /\bcreate\s+(?:or\s+replace\s+)?(?:unlogged\s+)?(table|(?:materialized\s+)?view)\s+(?:if\s+not\s+exists\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
const WRITES: RegExp[] = [
  /\binsert\s+into\s+"?([a-z_][a-z0-9_]*)"?/gi,
  /\bupdate\s+"?([a-z_][a-z0-9_]*)"?(?:\s+(?:as\s+)?[a-z_][a-z0-9_]*)?\s+set\b/gi,
  /\bdelete\s+from\s+"?([a-z_][a-z0-9_]*)"?/gi,
  /\btruncate\s+(?:table\s+)?"?([a-z_][a-z0-9_]*)"?/gi,
  /\bmerge\s+into\s+"?([a-z_][a-z0-9_]*)"?/gi,
];
const SCHEMA: RegExp[] = [
  /\balter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?"?([a-z_][a-z0-9_]*)"?/gi,
  /\bcreate\s+(?:unique\s+)?index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?[a-z_0-9]*\s+on\s+"?([a-z_][a-z0-9_]*)"?/gi,
  /\bcreate\s+trigger\s+[a-z_0-9]+\s+(?:after|before)\s+[a-z ,]+\s+on\s+"?([a-z_][a-z0-9_]*)"?/gi,
];
/** `from x`, `from x a, y b`, `join x` — every relation a statement reads. */
const READS = /\b(?:from|join)\s+("?[a-z_][a-z0-9_]*"?(?:\s+(?:as\s+)?[a-z_][a-z0-9_]*)?(?:\s*,\s*"?[a-z_][a-z0-9_]*"?(?:\s+(?:as\s+)?[a-z_][a-z0-9_]*)?)*)/gi;
/** A literal is treated as SQL when it has one of these shapes. */
const LOOKS_LIKE_SQL =
  /\b(select\b[\s\S]*\bfrom\b|insert\s+into\b|update\s+[a-z_"][\s\S]*\bset\b|delete\s+from\b|create\s+(table|view|index|trigger|function)\b|alter\s+table\b|returning\b|\bjoin\s+[a-z_"])/i;

export function librariesUnder(root: string): string[] {
  return readdirSync(join(root, 'libs')).filter((name) => statSync(join(root, 'libs', name, 'src')).isDirectory());
}

function sourceFiles(directory: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(directory)) {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

const isMigration = (file: string) => /\.migration\.ts$|[\\/]migrations[\\/][^\\/]+\.ts$/.test(file);
const isSpec = (file: string) => /\.(spec|e2e-spec)\.ts$/.test(file);

/** Every string and template literal of a source file with its line, `${…}` parts read as `?`. */
export function literalsOf(fileName: string, text: string): { text: string; line: number }[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: { text: string; line: number }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      found.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    } else if (ts.isTemplateExpression(node)) {
      const parts = [node.head.text, ...node.templateSpans.map((span) => ` ? ${span.literal.text}`)];
      found.push({ text: parts.join(''), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

export function tablesCreatedIn(sql: string): string[] {
  return relationsCreatedIn(sql).map((relation) => relation.name);
}

export function relationsCreatedIn(sql: string): { name: string; view: boolean }[] {
  return [...stripComments(sql).matchAll(CREATE)].map((match) => ({ name: match[2].toLowerCase(), view: /view/i.test(match[1]) }));
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/** The relations one SQL text names, with how it uses each (writes win over reads of the same name). */
export function tablesNamedIn(sql: string): { table: string; access: 'read' | 'write' | 'schema' }[] {
  const text = stripComments(sql);
  if (!LOOKS_LIKE_SQL.test(text)) return [];
  const found = new Map<string, 'read' | 'write' | 'schema'>();
  for (const pattern of SCHEMA) for (const match of text.matchAll(pattern)) found.set(match[1].toLowerCase(), 'schema');
  for (const pattern of WRITES) for (const match of text.matchAll(pattern)) if (!found.has(match[1].toLowerCase())) found.set(match[1].toLowerCase(), 'write');
  for (const match of text.matchAll(READS)) {
    // Function calls in from clauses (`from unnest(…)`, `from jsonb_to_recordset(…)`) are not relations.
    const after = text.slice((match.index ?? 0) + match[0].length).trimStart();
    const items = match[1].split(',');
    items.forEach((item, index) => {
      const name = item.trim().split(/\s+/)[0].replace(/"/g, '').toLowerCase();
      if (index === items.length - 1 && after.startsWith('(') && item.trim().split(/\s+/).length === 1) return;
      if (!found.has(name)) found.set(name, 'read');
    });
  }
  return [...found].map(([table, access]) => ({ table, access }));
}

export function ownershipOf(root: string): Ownership {
  const owners = new Map<string, string>();
  const views = new Set<string>();
  const viewSources = new Map<string, string[]>();
  const creators = new Map<string, Set<string>>();
  for (const library of librariesUnder(root)) {
    for (const file of sourceFiles(join(root, 'libs', library, 'src')).filter(isMigration)) {
      for (const literal of literalsOf(file, readFileSync(file, 'utf8'))) {
        for (const relation of relationsCreatedIn(literal.text)) {
          owners.set(relation.name, library);
          creators.set(relation.name, (creators.get(relation.name) ?? new Set()).add(library));
          if (!relation.view) continue;
          views.add(relation.name);
          viewSources.set(
            relation.name,
            tablesNamedIn(literal.text.replace(CREATE, ' ')).map((named) => named.table),
          );
        }
      }
    }
  }
  const duplicates = [...creators].filter(([, libraries]) => libraries.size > 1).map(([table, libraries]) => ({ table, libraries: [...libraries].sort() }));
  return { owners, views, viewSources, duplicates };
}

/**
 * Every place a library's SQL (migrations included) names a table another library owns, and every
 * table named by the SQL of the api and worker (applications own no table: they compose libraries).
 * The demo, a client of the public HTTP API, is left out.
 */
export function foreignReferences(root: string, ownership = ownershipOf(root)): TableReference[] {
  const found: TableReference[] = [];
  const places = [
    ...librariesUnder(root).map((library) => ({ owner: library, directory: join(root, 'libs', library, 'src') })),
    ...['api', 'worker'].map((app) => ({ owner: `app:${app}`, directory: join(root, 'apps', app, 'src') })),
  ];
  for (const { owner, directory } of places) {
    for (const file of sourceFiles(directory).filter((path) => !isSpec(path))) {
      found.push(...foreignReferencesInSource(owner, relative(root, file), readFileSync(file, 'utf8'), ownership.owners, ownership.views));
    }
  }
  return found;
}

/**
 * The foreign relations one source file names. Reading another library's view is allowed (that is
 * what its views are for); writing one, or naming another library's table at all, is not.
 */
export function foreignReferencesInSource(library: string, file: string, text: string, owners: Map<string, string>, views: Set<string> = new Set()): TableReference[] {
  const found: TableReference[] = [];
  for (const literal of literalsOf(file, text)) {
    const created = new Set(tablesCreatedIn(literal.text));
    for (const { table, access } of tablesNamedIn(literal.text)) {
      const owner = owners.get(table);
      if (!owner || owner === library || created.has(table)) continue;
      if (views.has(table) && access === 'read') continue;
      found.push({ library, file, line: literal.line, table, owner, access, sql: literal.text.replace(/\s+/g, ' ').trim().slice(0, 160) });
    }
  }
  return found;
}
