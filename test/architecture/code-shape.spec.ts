import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as ts from 'typescript';
import { OUTBOX_EVENT_TYPES } from '@gongxiao/core';

const root = resolve(__dirname, '../..');
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((entry) => {
    const path = join(directory, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    // TypeScript and the console's TSX; generated declarations (the console's api schema) and generated data modules (`*.data.ts`, e.g. the division codes) aside.
    return /\.tsx?$/.test(path) && !path.endsWith('.d.ts') && !path.endsWith('.data.ts') && !/\.(spec|e2e-spec)\.ts$/.test(path) ? [path] : [];
  });
}

const files = [...sourceFiles(join(root, 'libs')), ...sourceFiles(join(root, 'apps'))].map((path) => ({
  path: relative(root, path),
  source: ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.ES2022, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS),
}));

/** `channel_order.received` → `channel-order-received.job.ts` and `ChannelOrderReceivedJob`. */
const jobFileOf = (type: string) => `${type.replace(/[._]/g, '-')}.job.ts`;
const jobClassOf = (type: string) =>
  `${type
    .split(/[._]/)
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join('')}Job`;

function handlerClasses(source: ts.SourceFile): { name: string; eventType: string | undefined }[] {
  const found: { name: string; eventType: string | undefined }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) && node.heritageClauses?.some((clause) => clause.types.some((type) => type.expression.getText(source) === 'OutboxJobHandler'))) {
      const eventType = node.members.find((member) => ts.isPropertyDeclaration(member) && member.name.getText(source) === 'eventType') as ts.PropertyDeclaration | undefined;
      const literal = eventType?.initializer?.getText(source).match(/'([^']+)'/)?.[1];
      found.push({ name: node.name?.text ?? '(anonymous)', eventType: literal });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('code shape', () => {
  it(`has no source file over ${MAX_FILE_LINES} lines`, () => {
    const long = files.filter((file) => file.source.getLineAndCharacterOfPosition(file.source.end).line + 1 > MAX_FILE_LINES);
    expect(long.map((file) => `${file.path}: ${file.source.getLineAndCharacterOfPosition(file.source.end).line + 1} lines`)).toEqual([]);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const long: string[] = [];
    for (const { path, source } of files) {
      const visit = (node: ts.Node): void => {
        if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isConstructorDeclaration(node)) && node.body) {
          const start = source.getLineAndCharacterOfPosition(node.getStart()).line;
          const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
          if (end - start + 1 > MAX_FUNCTION_LINES) long.push(`${path}:${start + 1} ${end - start + 1} lines`);
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(long).toEqual([]);
  });

  it('has one handler class per outbox event, alone in a *.job.ts named after the event', () => {
    const handlers = files.flatMap((file) => handlerClasses(file.source).map((handler) => ({ ...handler, path: file.path })));
    const problems: string[] = [];
    for (const type of OUTBOX_EVENT_TYPES) {
      const mine = handlers.filter((handler) => handler.eventType === type);
      if (mine.length !== 1) problems.push(`${type}: ${mine.length} handler classes`);
      for (const handler of mine) {
        if (!handler.path.endsWith(`/${jobFileOf(type)}`)) problems.push(`${type}: handled in ${handler.path}, not in a ${jobFileOf(type)}`);
        if (handler.name !== jobClassOf(type)) problems.push(`${type}: handled by ${handler.name}, not ${jobClassOf(type)}`);
      }
    }
    for (const handler of handlers) if (!OUTBOX_EVENT_TYPES.includes(handler.eventType as never)) problems.push(`${handler.path}: ${handler.name} handles no known event (${handler.eventType})`);
    const jobFiles = files.filter((file) => file.path.endsWith('.job.ts'));
    for (const file of jobFiles) if (handlerClasses(file.source).length !== 1) problems.push(`${file.path}: ${handlerClasses(file.source).length} handler classes`);
    expect(problems).toEqual([]);
  });
});
