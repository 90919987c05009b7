import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { isDateFormat } from './sheet-cell-text';
import { WorkbookInspection, WorkbookPart } from './workbook-inspection';
import { runsText, xmlAttribute } from './xml-text';

/** One part of an inspected workbook as text, inflated in 256 KB steps and never past the size `inspectWorkbook` found it to have. */
async function* partChunks(file: Buffer, part: WorkbookPart): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  const data = file.subarray(part.dataStart, part.dataStart + part.compressedSize);
  if (part.method === 0) {
    yield decoder.write(data) + decoder.end();
    return;
  }
  const inflater = createInflateRaw({ chunkSize: 262_144 });
  inflater.end(data);
  let size = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > part.size) throw new Error(`the part ${part.name} inflates beyond its size`);
      yield decoder.write(chunk);
    }
    yield decoder.end();
  } finally {
    inflater.destroy();
  }
}

/**
 * The part in pieces that each end right after the last `</element>` they hold (an element is never
 * cut in two; what follows waits for the next piece). The caller may stop early: the rest is never inflated.
 */
export async function* partPieces(file: Buffer, part: WorkbookPart, element: string): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of partChunks(file, part)) {
    const text = pending + chunk;
    const cut = lastEnd(text, element);
    if (cut < 0) pending = text;
    else {
      pending = text.slice(cut);
      yield text.slice(0, cut);
    }
  }
  if (pending !== '') yield pending;
}

/** Where the text after the last `</element>` (or `</prefix:element>`) starts, or -1 when it holds none. */
function lastEnd(text: string, element: string): number {
  const tail = `${element}>`;
  for (let at = text.lastIndexOf(tail); at > 1; at = text.lastIndexOf(tail, at - 1)) {
    const before = text.charCodeAt(at - 1);
    if (before === 0x2f && text.charCodeAt(at - 2) === 0x3c) return at + tail.length;
    if (before === 0x3a && /^<\/\w+:$/.test(text.slice(text.lastIndexOf('</', at), at))) return at + tail.length;
  }
  return -1;
}

async function partText(file: Buffer, part: WorkbookPart): Promise<string> {
  let text = '';
  for await (const chunk of partChunks(file, part)) text += chunk;
  return text;
}

export const partNamed = (inspection: WorkbookInspection, name: string | undefined) => (name === undefined ? undefined : inspection.parts.find((part) => part.name === name));

/** Built-in number formats that show a date or a time (Excel's own, and those of its Chinese, Japanese and Korean editions). */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A tag's attributes, quoted values allowed to hold `>`. */
const TAG_ATTRIBUTES = `((?:[^>"']|"[^"]*"|'[^']*')*)`;

/** For each cell style (`s` of a cell, an index into cellXfs): whether its number format shows a date. */
export async function dateStyles(file: Buffer, inspection: WorkbookInspection): Promise<boolean[]> {
  const part = partNamed(inspection, inspection.stylesPath);
  if (!part) return [];
  const styles = await partText(file, part);
  const formats = new Map<number, string>();
  for (const [, attributes] of styles.matchAll(new RegExp(`<(?:\\w+:)?numFmt\\b${TAG_ATTRIBUTES}>`, 'g')))
    formats.set(Number(xmlAttribute(attributes, 'numFmtId')), xmlAttribute(attributes, 'formatCode') ?? '');
  const cellXfs = new RegExp(`<(?:\\w+:)?cellXfs\\b${TAG_ATTRIBUTES}>([\\s\\S]*?)</(?:\\w+:)?cellXfs>`).exec(styles)?.[2] ?? '';
  return [...cellXfs.matchAll(new RegExp(`<(?:\\w+:)?xf\\b${TAG_ATTRIBUTES}>`, 'g'))].map(([, attributes]) => {
    const id = Number(xmlAttribute(attributes, 'numFmtId') ?? 0);
    return formats.has(id) ? isDateFormat(formats.get(id)) : BUILT_IN_DATE_FORMATS.has(id);
  });
}

/** The shared strings, in order: each one's text runs joined, phonetic guides (rPh) left out, as Excel shows the cell. */
export async function sharedStrings(file: Buffer, inspection: WorkbookInspection): Promise<string[]> {
  const part = partNamed(inspection, inspection.sharedStringsPath);
  if (!part) return [];
  const strings: string[] = [];
  const item = /<(?:\w+:)?si\b[^>]*?(?:\/>|>([\s\S]*?)<\/(?:\w+:)?si>)/g;
  for await (const piece of partPieces(file, part, 'si')) for (const match of piece.matchAll(item)) strings.push(match[1] === undefined ? '' : runsText(match[1]));
  return strings;
}
