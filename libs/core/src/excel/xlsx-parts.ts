import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';
import { isDateFormat } from './sheet-cell-text';
import { WorkbookInspection, WorkbookPart } from './workbook-inspection';
import { closingTag, DamagedXmlError, openingTags, runsText, xmlAttribute } from './xml-text';

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

/** A piece of XML without the end of its element in it: more than a workbook ever writes between two rows (a row of 16,384 long cells is less). */
const MAX_PIECE_CHARS = 32 * 1_048_576;

/**
 * The part in pieces that each end right after the last `</element>` they hold (an element is never
 * cut in two; what follows waits for the next piece). The caller may stop early: the rest is never
 * inflated. A part that goes on for MAX_PIECE_CHARS without closing one is refused as damaged.
 */
export async function* partPieces(file: Buffer, part: WorkbookPart, element: string, maxPieceChars = MAX_PIECE_CHARS): AsyncGenerator<string> {
  let pending = '';
  for await (const chunk of partChunks(file, part)) {
    const text = pending + chunk;
    // Only the new chunk can hold the end (what was pending had none): never search the same text twice.
    const cut = lastEnd(text, element, Math.max(0, pending.length - element.length - 64));
    if (cut >= 0) {
      pending = text.slice(cut);
      yield text.slice(0, cut);
    } else if (text.length > maxPieceChars) throw new DamagedXmlError(`${part.name} has more than ${Math.round(maxPieceChars / 1_048_576)} MB of XML without a </${element}>`);
    else pending = text;
  }
  if (pending !== '') yield pending;
}

/** Where the text after the last `</element>` (or `</prefix:element>`) ending at or after `from` starts, or -1 when there is none. */
function lastEnd(text: string, element: string, from: number): number {
  const tail = `${element}>`;
  for (let at = text.lastIndexOf(tail); at > 1 && at >= from; at = text.lastIndexOf(tail, at - 1)) {
    const before = text.charCodeAt(at - 1);
    if (before === 0x2f && text.charCodeAt(at - 2) === 0x3c) return at + tail.length;
    if (before === 0x3a) {
      const open = text.lastIndexOf('</', at);
      if (open >= 0 && at - open <= 64 && /^<\/\w+:$/.test(text.slice(open, at))) return at + tail.length;
    }
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

/** For each cell style (`s` of a cell, an index into cellXfs): whether its number format shows a date. */
export async function dateStyles(file: Buffer, inspection: WorkbookInspection): Promise<boolean[]> {
  const part = partNamed(inspection, inspection.stylesPath);
  if (!part) return [];
  const styles = await partText(file, part);
  const formats = new Map<number, string>();
  for (const [, , attributes] of styles.matchAll(openingTags('numFmt'))) formats.set(Number(xmlAttribute(attributes, 'numFmtId')), xmlAttribute(attributes, 'formatCode') ?? '');
  const cellXfs = openingTags('cellXfs');
  cellXfs.lastIndex = 0;
  const open = cellXfs.exec(styles);
  const close = open && open[3] !== '/' ? closingTag(styles, cellXfs.lastIndex, 'cellXfs') : undefined;
  if (!open || !close) return [];
  return [...styles.slice(cellXfs.lastIndex, close.start).matchAll(openingTags('xf'))].map(([, , attributes]) => {
    const id = Number(xmlAttribute(attributes, 'numFmtId') ?? 0);
    return formats.has(id) ? isDateFormat(formats.get(id)) : BUILT_IN_DATE_FORMATS.has(id);
  });
}

/** The shared strings, in order: each one's text runs joined, phonetic guides (rPh) left out, as Excel shows the cell. */
export async function sharedStrings(file: Buffer, inspection: WorkbookInspection): Promise<string[]> {
  const part = partNamed(inspection, inspection.sharedStringsPath);
  if (!part) return [];
  const strings: string[] = [];
  const item = openingTags('si');
  for await (const piece of partPieces(file, part, 'si')) {
    item.lastIndex = 0;
    for (let open = item.exec(piece); open; open = item.exec(piece)) {
      if (open[3] === '/') {
        strings.push('');
        continue;
      }
      const close = closingTag(piece, item.lastIndex, 'si');
      if (!close) throw new DamagedXmlError('a shared string (<si>) is never closed');
      strings.push(runsText(piece.slice(item.lastIndex, close.start)));
      item.lastIndex = close.end;
    }
  }
  return strings;
}
