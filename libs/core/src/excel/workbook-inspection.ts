import { createInflateRaw } from 'node:zlib';
import { UnprocessableError } from '../errors/domain-error';

/** How much of a workbook is looked at before any parser sees it. */
export interface WorkbookLimits {
  /** Files (parts) inside the zip. */
  maxEntries: number;
  /** All parts inflated, together (declared and actual). */
  maxUncompressedBytes: number;
  /** Inflated ÷ compressed size of one part, checked once that part inflates beyond `ratioGraceBytes`. */
  maxCompressionRatio: number;
  ratioGraceBytes: number;
}

/** An Excel workbook of 200,000 rows is a few hundred MB of XML at most; real ones compress 5–30×, a zip bomb ~1000×. */
export const WORKBOOK_LIMITS: WorkbookLimits = { maxEntries: 10_000, maxUncompressedBytes: 500 * 1_048_576, maxCompressionRatio: 200, ratioGraceBytes: 1_048_576 };

/** A worksheet as the workbook lists it, in the workbook's order (the tab order Excel shows). */
export interface WorkbookSheet {
  name: string;
  /** Its part in the zip, e.g. "xl/worksheets/sheet1.xml". */
  path: string;
  hidden: boolean;
  /** Merged ranges ("A2:B3"): a merged range's value is only in its first cell. */
  mergedRanges: string[];
  /** Rows holding a value (`<v>` or an inline string), counted up to 2: 0, 1 (at most a header row), or 2 for two or more. */
  rowsWithValues: number;
}

export interface WorkbookInspection {
  entries: number;
  uncompressedBytes: number;
  sheets: WorkbookSheet[];
  /** Each part's whole local record (header, data, descriptor) in the file, in file order. */
  records: { name: string; start: number; end: number }[];
  /** Where the central directory starts (the local records tile the file up to here). */
  centralOffset: number;
  /** Every part's compressed data, as the central directory states it (checked while inflating). */
  parts: WorkbookPart[];
  /** The shared strings and styles parts the workbook's relationships name, if any. */
  sharedStringsPath: string | undefined;
  stylesPath: string | undefined;
  /** Dates counted from 1904 (old Mac workbooks) instead of 1900. */
  date1904: boolean;
}

/** Where one part's data is in the file, how it is compressed, and its inflated size (checked). */
export interface WorkbookPart {
  name: string;
  dataStart: number;
  compressedSize: number;
  method: number;
  size: number;
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ENCRYPTION_STREAMS = ['EncryptionInfo', 'EncryptedPackage'].map((name) => Buffer.from(name, 'utf16le'));
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const DATA_DESCRIPTOR = 0x08074b50;
const SAVE_AS_XLSX = 'Open it in Excel (or WPS) and save it as "Excel Workbook (*.xlsx)", then upload that file.';
const megabytes = (bytes: number) => `${Math.round(bytes / 1_048_576)} MB`;

const notXlsx = (what: string) => new UnprocessableError('sheet_not_xlsx', `The file is not an .xlsx workbook: ${what}. ${SAVE_AS_XLSX}`, [{ field: 'file', reason: what }]);
const zipBomb = (what: string) =>
  new UnprocessableError('sheet_zip_bomb', `The workbook is refused: ${what}. Nothing was read. If it is a real workbook, copy its rows into a new one and save that as .xlsx.`, [
    { field: 'file', reason: what },
  ]);
const passwordProtected = () =>
  new UnprocessableError(
    'sheet_password_protected',
    'The workbook is protected by a password, so it cannot be read. Remove the password (File → Info → Protect Workbook → Encrypt with Password, clear it), save it and upload it again.',
    [{ field: 'file', reason: 'encrypted with a password' }],
  );

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
}

/**
 * Looks at an upload before any spreadsheet parser does, and refuses (422, changing nothing) what is
 * not a workbook we can read safely: empty or text files and CSV (`sheet_not_xlsx`), old .xls and
 * password-protected workbooks (both OLE compound files: `sheet_is_xls`, `sheet_password_protected`),
 * encrypted zip entries, and zip bombs (`sheet_zip_bomb`): too many parts, declared or actual inflated
 * size over the limit, a part compressed beyond any real workbook's ratio, a part holding more than its
 * declared size. The zip is read from its central directory, every part is inflated with a hard output
 * cap (declared sizes are not trusted), and the parts must tile the file (no hidden data a streaming
 * unzip would read). Returns the worksheets in tab order with their merged ranges.
 */
export async function inspectWorkbook(file: Buffer, limits: WorkbookLimits = WORKBOOK_LIMITS): Promise<WorkbookInspection> {
  if (file.length === 0) throw notXlsx('the file is empty');
  if (file.subarray(0, 8).equals(OLE_MAGIC)) {
    if (ENCRYPTION_STREAMS.some((name) => file.includes(name))) throw passwordProtected();
    throw new UnprocessableError('sheet_is_xls', `The file is an old Excel 97–2003 workbook (.xls), which is not read. ${SAVE_AS_XLSX}`, [{ field: 'file', reason: 'an .xls workbook' }]);
  }
  if (file.length < 22 || file.readUInt32LE(0) !== LOCAL_HEADER) throw notXlsx(looksLikeText(file) ? 'it is a text file (CSV?), not a workbook' : 'it is not a zip-based Office file');
  const { entries, centralOffset } = centralDirectory(file, limits);
  const records = localRecords(file, entries, centralOffset);
  if (entries.some((entry) => entry.name === 'xl/workbook.bin')) throw notXlsx('it is a binary workbook (.xlsb)');
  const { texts, facts, total } = await inflateParts(file, entries, limits);
  const workbook = texts.get('xl/workbook.xml');
  if (workbook === undefined) throw notXlsx('it is a zip without an Excel workbook inside (xl/workbook.xml is missing)');
  const relationships = texts.get('xl/_rels/workbook.xml.rels') ?? '';
  const sheets = workbookSheets(workbook, relationships, facts);
  const parts = entries.map((entry) => ({ name: entry.name, dataStart: dataStart(file, entry), compressedSize: entry.compressedSize, method: entry.method, size: entry.declaredSize }));
  const date1904 = /<(?:\w+:)?workbookPr\s[^>]*date1904\s*=\s*["'](?:1|true)["']/.test(workbook);
  return { entries: entries.length, uncompressedBytes: total, sheets, records, centralOffset, parts, ...relatedParts(relationships, new Set(entries.map((entry) => entry.name))), date1904 };
}

function looksLikeText(file: Buffer): boolean {
  const head = file.subarray(0, 4096);
  return !head.includes(0) && /[,;\t\r\n]/.test(head.toString('utf8'));
}

function endOfCentralDirectory(file: Buffer): number {
  const lowest = Math.max(0, file.length - 22 - 0xffff);
  for (let at = file.length - 22; at >= lowest; at--) if (file.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  throw notXlsx('it is a damaged zip (no end of central directory)');
}

function centralDirectory(file: Buffer, limits: WorkbookLimits): { entries: ZipEntry[]; centralOffset: number } {
  const end = endOfCentralDirectory(file);
  const count = file.readUInt16LE(end + 10);
  const size = file.readUInt32LE(end + 12);
  const offset = file.readUInt32LE(end + 16);
  const zip64 = (end >= 20 && file.readUInt32LE(end - 20) === ZIP64_LOCATOR) || count === 0xffff || size === 0xffffffff || offset === 0xffffffff;
  if (zip64) throw notXlsx('it is a ZIP64 archive (a format for files over 4 GB, which a workbook upload never needs)');
  if (file.readUInt16LE(end + 4) !== 0 || file.readUInt16LE(end + 6) !== 0) throw notXlsx('it is a zip split across several files');
  if (count > limits.maxEntries) throw zipBomb(`it has ${count} parts; a workbook has at most ${limits.maxEntries.toLocaleString('en')}`);
  if (offset + size > end) throw notXlsx('it is a damaged zip (the central directory is outside the file)');
  const entries: ZipEntry[] = [];
  let at = offset;
  let declared = 0;
  for (let index = 0; index < count; index++) {
    if (at + 46 > end || file.readUInt32LE(at) !== CENTRAL_HEADER) throw notXlsx('it is a damaged zip (bad central directory)');
    const nameLength = file.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      flags: file.readUInt16LE(at + 8),
      method: file.readUInt16LE(at + 10),
      compressedSize: file.readUInt32LE(at + 20),
      declaredSize: file.readUInt32LE(at + 24),
      localOffset: file.readUInt32LE(at + 42),
      name: file.toString('utf8', at + 46, at + 46 + nameLength),
    };
    if (entry.flags & 0x1) throw passwordProtected();
    if (entry.declaredSize === 0xffffffff || entry.compressedSize === 0xffffffff || entry.localOffset === 0xffffffff) throw notXlsx('it is a ZIP64 archive');
    declared += entry.declaredSize;
    if (declared > limits.maxUncompressedBytes) throw zipBomb(`its parts declare more than ${megabytes(limits.maxUncompressedBytes)} once inflated (the limit)`);
    entries.push(entry);
    at += 46 + nameLength + file.readUInt16LE(at + 30) + file.readUInt16LE(at + 32);
  }
  return { entries, centralOffset: offset };
}

/** The local parts must follow each other with no gap up to the central directory: nothing hidden for a streaming unzip to find. */
function localRecords(file: Buffer, entries: ZipEntry[], centralOffset: number): WorkbookInspection['records'] {
  const records: WorkbookInspection['records'] = [];
  let expected = 0;
  for (const entry of [...entries].sort((left, right) => left.localOffset - right.localOffset)) {
    if (entry.localOffset !== expected || entry.localOffset + 30 > centralOffset || file.readUInt32LE(entry.localOffset) !== LOCAL_HEADER)
      throw notXlsx('it is a damaged zip (its parts do not follow each other)');
    let next = dataStart(file, entry) + entry.compressedSize;
    if (entry.flags & 0x8) next += next + 4 <= centralOffset && file.readUInt32LE(next) === DATA_DESCRIPTOR ? 16 : 12;
    records.push({ name: entry.name, start: entry.localOffset, end: next });
    expected = next;
  }
  if (expected !== centralOffset) throw notXlsx('it is a damaged zip (data between its parts and the central directory)');
  return records;
}

function dataStart(file: Buffer, entry: ZipEntry): number {
  return entry.localOffset + 30 + file.readUInt16LE(entry.localOffset + 26) + file.readUInt16LE(entry.localOffset + 28);
}

type SheetFacts = Pick<WorkbookSheet, 'mergedRanges' | 'rowsWithValues'>;

/**
 * Inflates every part with a hard cap, streaming (a worksheet of 100,000 rows is ~100 MB of XML:
 * never held whole); keeps the workbook and its relationships as text, and each worksheet's merged
 * ranges and whether it has rows.
 */
async function inflateParts(file: Buffer, entries: ZipEntry[], limits: WorkbookLimits): Promise<{ texts: Map<string, string>; facts: Map<string, SheetFacts>; total: number }> {
  const texts = new Map<string, string>();
  const facts = new Map<string, SheetFacts>();
  let total = 0;
  for (const entry of entries) {
    const ratioCap = Math.max(limits.ratioGraceBytes, limits.maxCompressionRatio * entry.compressedSize);
    if (entry.declaredSize > ratioCap)
      throw zipBomb(
        `the part ${entry.name} declares ${Math.round(entry.declaredSize / Math.max(1, entry.compressedSize))}× its compressed size (a workbook compresses at most ${limits.maxCompressionRatio}×)`,
      );
    const start = dataStart(file, entry);
    const kept = entry.name === 'xl/workbook.xml' || entry.name === 'xl/_rels/workbook.xml.rels' ? new KeptText() : /^xl\/worksheets\/[^/]+\.xml$/.test(entry.name) ? new SheetScan() : undefined;
    const size = await inflatePart(file.subarray(start, start + entry.compressedSize), entry, Math.min(entry.declaredSize, limits.maxUncompressedBytes - total), kept);
    total += size;
    if (size !== entry.declaredSize) throw notXlsx(`it is a damaged zip (the part ${entry.name} is not the size it declares)`);
    if (kept instanceof KeptText) texts.set(entry.name, kept.text());
    else if (kept instanceof SheetScan) facts.set(entry.name, kept.facts());
  }
  return { texts, facts, total };
}

interface InflatedSink {
  take(chunk: Buffer): void;
}

/** A small part kept whole as text (the workbook, its relationships). */
class KeptText implements InflatedSink {
  private readonly chunks: Buffer[] = [];
  take(chunk: Buffer): void {
    this.chunks.push(chunk);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** How much of a worksheet's start is kept to count its first rows with values (a header and one row fit many times over). */
const HEAD_SCAN_BYTES = 1_048_576;

/**
 * A worksheet streamed past: only its start (until two rows with values are seen, at most
 * HEAD_SCAN_BYTES) and what follows its first "mergeCell" (the <mergeCells> at its end) are kept.
 */
class SheetScan implements InflatedSink {
  private head: Buffer | undefined = Buffer.alloc(0);
  private rowsSeen = 0;
  private tail = Buffer.alloc(0);
  private readonly found: Buffer[] = [];
  take(chunk: Buffer): void {
    this.scanHead(chunk);
    if (this.found.length > 0) {
      this.found.push(chunk);
      return;
    }
    const joined = Buffer.concat([this.tail, chunk]);
    const at = joined.indexOf('mergeCell');
    if (at >= 0) this.found.push(joined.subarray(at));
    else this.tail = joined.subarray(Math.max(0, joined.length - 'mergeCell'.length));
  }
  facts(): SheetFacts {
    if (this.head) this.rowsSeen = rowsWithValues(this.head);
    return { mergedRanges: this.ranges(), rowsWithValues: this.rowsSeen };
  }
  private scanHead(chunk: Buffer): void {
    if (!this.head) return;
    this.head = Buffer.concat([this.head, chunk]);
    this.rowsSeen = rowsWithValues(this.head);
    if (this.rowsSeen >= 2 || this.head.length >= HEAD_SCAN_BYTES) this.head = undefined;
  }
  private ranges(): string[] {
    if (this.found.length === 0) return [];
    return [
      ...Buffer.concat(this.found)
        .toString('utf8')
        .matchAll(/<(?:\w+:)?mergeCell\s([^>]*)>/g),
    ]
      .map(([, attributes]) => attributeValue(attributes, 'ref') ?? '')
      .filter((ref) => ref !== '');
  }
}

/** Inflates one part in a stream, never beyond `cap` bytes (its declared size within the limits): more is a lie about its size. Returns its inflated size. */
async function inflatePart(data: Buffer, entry: ZipEntry, cap: number, sink: InflatedSink | undefined): Promise<number> {
  if (entry.method === 0) {
    sink?.take(data);
    return data.length;
  }
  if (entry.method !== 8) throw notXlsx(`the part ${entry.name} uses a compression Excel does not write (method ${entry.method})`);
  // Pieces of 256 KB: a 90 MB sheet streams past in ~350 steps of the event loop, holding at most a few of them.
  const inflater = createInflateRaw({ chunkSize: 262_144 });
  inflater.end(data);
  let size = 0;
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > cap) break;
      sink?.take(chunk);
    }
  } catch {
    throw notXlsx(`it is a damaged zip (the part ${entry.name} cannot be inflated)`);
  } finally {
    inflater.destroy();
  }
  if (size > cap) throw zipBomb(`the part ${entry.name} inflates to more than it declares (${entry.declaredSize} bytes) or more than the limit`);
  return size;
}

const attribute = (attributes: string, name: string) => new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(attributes);
const attributeValue = (attributes: string, name: string) => {
  const match = attribute(attributes, name);
  return match ? xmlText(match[1] ?? match[2] ?? '') : undefined;
};

function xmlText(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, entity: string) => {
    const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
    if (named[entity.toLowerCase()]) return named[entity.toLowerCase()];
    return String.fromCodePoint(entity[1].toLowerCase() === 'x' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10));
  });
}

/** The workbook's shared strings and styles parts, through its relationships (else where Excel puts them, as exceljs reads them). */
function relatedParts(relationships: string, names: Set<string>): Pick<WorkbookInspection, 'sharedStringsPath' | 'stylesPath'> {
  const related: Pick<WorkbookInspection, 'sharedStringsPath' | 'stylesPath'> = {
    sharedStringsPath: names.has('xl/sharedStrings.xml') ? 'xl/sharedStrings.xml' : undefined,
    stylesPath: names.has('xl/styles.xml') ? 'xl/styles.xml' : undefined,
  };
  for (const [, attributes] of relationships.matchAll(/<(?:\w+:)?Relationship\s([^>]*)>/g)) {
    const type = attributeValue(attributes, 'Type') ?? '';
    const target = attributeValue(attributes, 'Target');
    if (target === undefined) continue;
    const path = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
    if (/\/sharedStrings$/.test(type)) related.sharedStringsPath = path;
    else if (/\/styles$/.test(type)) related.stylesPath = path;
  }
  return related;
}

/** The worksheets in tab order: workbook.xml's <sheet> elements, through its relationships to their parts. */
function workbookSheets(workbook: string, relationships: string, facts: Map<string, SheetFacts>): WorkbookSheet[] {
  const targets = new Map<string, string>();
  for (const [, attributes] of relationships.matchAll(/<(?:\w+:)?Relationship\s([^>]*)>/g)) {
    const id = attributeValue(attributes, 'Id');
    const target = attributeValue(attributes, 'Target');
    if (id !== undefined && target !== undefined && /\/worksheet$/.test(attributeValue(attributes, 'Type') ?? '')) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`);
  }
  const sheets: WorkbookSheet[] = [];
  for (const [, attributes] of workbook.matchAll(/<(?:\w+:)?sheet\s([^>]*)>/g)) {
    const path = targets.get(attributeValue(attributes, '(?:\\w+:)?id') ?? '');
    if (path === undefined) continue;
    const state = attributeValue(attributes, 'state');
    const { mergedRanges = [], rowsWithValues = 0 } = facts.get(path) ?? {};
    sheets.push({ name: attributeValue(attributes, 'name') ?? '', path, hidden: state === 'hidden' || state === 'veryHidden', mergedRanges, rowsWithValues });
  }
  return sheets;
}

/**
 * Rows of the sheet's XML that hold a value, up to 2 — a scan for `<row`, not a parse: a row written
 * some other way (a namespace prefix), or cut at the end of what was scanned, is not counted, so a low
 * count means "read it to be sure".
 */
function rowsWithValues(sheet: Buffer): number {
  const rowAt = (from: number) => {
    for (let at = sheet.indexOf('<row', from); at >= 0; at = sheet.indexOf('<row', at + 4)) if ([0x20, 0x3e, 0x2f, 0x09, 0x0a, 0x0d].includes(sheet[at + 4])) return at;
    return -1;
  };
  let count = 0;
  for (let at = rowAt(0); at >= 0 && count < 2;) {
    const tagEnd = sheet.indexOf('>', at);
    if (tagEnd < 0) break;
    const next = rowAt(tagEnd);
    // A self-closing <row …/> has no cells; otherwise look for a value up to the next row only.
    const cells = sheet[tagEnd - 1] === 0x2f ? undefined : sheet.subarray(tagEnd, next < 0 ? sheet.length : next);
    if (cells && (cells.includes('<v>') || cells.includes('<is>'))) count++;
    at = next;
  }
  return count;
}

/** Refuses a sheet with merged cells, naming its ranges: only the first cell of a merged range holds the value. */
export function refuseMergedCells(sheet: WorkbookSheet | undefined): void {
  if (!sheet || sheet.mergedRanges.length === 0) return;
  const shown = sheet.mergedRanges.slice(0, 20).join(', ') + (sheet.mergedRanges.length > 20 ? ` and ${sheet.mergedRanges.length - 20} more` : '');
  throw new UnprocessableError(
    'sheet_merged_cells',
    `The sheet "${sheet.name}" has merged cells (${shown}): a merged range keeps its value only in its first cell. Unmerge them (Home → Merge & Center → Unmerge Cells), fill every row, and upload it again.`,
    sheet.mergedRanges.slice(0, 100).map((range) => ({ field: `cells ${range}`, reason: 'merged cells' })),
  );
}
