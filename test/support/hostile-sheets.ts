import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { createDeflateRaw, crc32, deflateRawSync } from 'node:zlib';

/**
 * Uploads that must be refused (or read carefully), made in memory by code: nothing binary is
 * checked in, and each file says what it is. Zip files are written by `zipFile` below so a test can
 * make them lie (flags, declared sizes) in ways no real zip library would.
 */

export interface ZipPart {
  name: string;
  data: Buffer;
  /** Deflated bytes to store instead of deflating `data` (a bomb made by streaming). */
  deflated?: Buffer;
  /** The inflated size and CRC to declare (defaults: the truth). */
  size?: number;
  crc?: number;
  /** General-purpose flags (bit 0: encrypted). */
  flags?: number;
}

/** A plain zip (deflate) of `parts`, with local headers, central directory and end record. */
export function zipFile(parts: ZipPart[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8');
    const compressed = part.deflated ?? deflateRawSync(part.data);
    const size = part.size ?? part.data.length;
    const crc = part.crc ?? crc32(part.data);
    const flags = part.flags ?? 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const xml = (text: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${text}`, 'utf8');

/** The parts of a one-sheet workbook (sheet XML given), enough for the inspection and for exceljs. */
export function workbookParts(sheetXml = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'): ZipPart[] {
  return [
    {
      name: '[Content_Types].xml',
      data: xml(
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
      ),
    },
    {
      name: '_rels/.rels',
      data: xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
      ),
    },
    {
      name: 'xl/workbook.xml',
      data: xml(
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="发货单" sheetId="1" r:id="rId1"/></sheets></workbook>',
      ),
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: xml(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
      ),
    },
    { name: 'xl/worksheets/sheet1.xml', data: xml(sheetXml) },
  ];
}

/** Random bytes, a CSV, a PNG's first bytes, an empty file: none of them a workbook. */
export const notWorkbooks = {
  empty: Buffer.alloc(0),
  randomBytes: Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919 + 13) % 251)),
  csv: Buffer.from('快递单号,快递公司\nSF1234567890,顺丰\n', 'utf8'),
  png: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]),
  /** A zip with no workbook inside (a .docx-like or plain archive). */
  plainZip: zipFile([{ name: 'readme.txt', data: Buffer.from('hello') }]),
};

/**
 * A minimal OLE compound file (what .xls and password-protected .xlsx are): the 512-byte header
 * with its magic, then one directory sector holding "Root Entry" and the given stream names, each
 * a 128-byte directory entry with its UTF-16LE name. Enough for detection, which reads only the
 * magic and the stream names; a real CFB reader would also want the FAT, which no test needs.
 */
export function oleFile(streamNames: string[]): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header, 0);
  header.writeUInt16LE(0x3e, 24);
  header.writeUInt16LE(3, 26);
  header.writeUInt16LE(0xfffe, 28);
  header.writeUInt16LE(9, 30);
  header.writeUInt16LE(6, 32);
  header.writeUInt32LE(0, 48);
  const directory = Buffer.alloc(512);
  ['Root Entry', ...streamNames].slice(0, 4).forEach((name, index) => {
    const encoded = Buffer.from(`${name}\u0000`, 'utf16le');
    encoded.copy(directory, index * 128);
    directory.writeUInt16LE(encoded.length, index * 128 + 64);
    directory.writeUInt8(index === 0 ? 5 : 2, index * 128 + 66);
  });
  return Buffer.concat([header, directory]);
}

export const xlsFile = () => oleFile(['Workbook', '\u0005SummaryInformation']);
export const passwordProtectedFile = () => oleFile(['EncryptionInfo', 'EncryptedPackage', '\u0006DataSpaces']);

/** `bytes` zeros, deflated by streaming one reused chunk: 1 GB of zeros is ~1 MB deflated and never in memory at once. */
export async function deflatedZeros(bytes: number): Promise<{ deflated: Buffer; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const output: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => output.push(chunk));
  const done = new Promise<void>((resolve, reject) => deflate.on('end', resolve).on('error', reject));
  const chunk = Buffer.alloc(1_048_576);
  let crc = 0;
  for (let written = 0; written < bytes; written += chunk.length) {
    const piece = bytes - written >= chunk.length ? chunk : chunk.subarray(0, bytes - written);
    crc = crc32(piece, crc);
    if (!deflate.write(piece)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return { deflated: Buffer.concat(output), crc };
}

/** A workbook whose worksheet is `bytes` zeros, declared honestly (or, with `declaredSize`, lying about it). */
export async function zipBomb(bytes: number, declaredSize?: number): Promise<Buffer> {
  const { deflated, crc } = await deflatedZeros(bytes);
  const parts = workbookParts();
  parts[parts.length - 1] = { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(0), deflated, size: declaredSize ?? bytes, crc };
  return zipFile(parts);
}

/** A workbook with `count` extra tiny parts. */
export const zipWithEntries = (count: number) => zipFile([...workbookParts(), ...Array.from({ length: count }, (_, index) => ({ name: `xl/media/p${index}.bin`, data: Buffer.from([index % 256]) }))]);

/** A workbook one of whose parts carries the zip "encrypted" flag. */
export const zipWithEncryptedEntry = () => zipFile(workbookParts().map((part) => (part.name === 'xl/worksheets/sheet1.xml' ? { ...part, flags: 0x1 } : part)));

/** A workbook made by exceljs, each sheet from rows of cell values (a sheet's `prepare` may style, merge or format it). */
export async function workbookOf(sheets: { name: string; rows: ExcelJS.CellValue[][]; prepare?: (sheet: ExcelJS.Worksheet) => void; hidden?: boolean }[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  for (const sheet of sheets) {
    const worksheet = workbook.addWorksheet(sheet.name, { state: sheet.hidden ? 'hidden' : 'visible' });
    sheet.rows.forEach((row, index) => {
      if (row.length > 0) worksheet.getRow(index + 1).values = row;
    });
    sheet.prepare?.(worksheet);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A big sheet written with exceljs' streaming writer (as a shop's export would be): `rows` rows of a tracking backfill. */
export async function bigWorkbook(rows: number): Promise<Buffer> {
  const output = new PassThrough();
  const chunks: Buffer[] = [];
  output.on('data', (chunk: Buffer) => chunks.push(chunk));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useSharedStrings: true, useStyles: false });
  const sheet = workbook.addWorksheet('发货单');
  sheet.addRow(['发货单号', '快递公司', '快递单号', '数量']).commit();
  for (let index = 1; index <= rows; index++) sheet.addRow([String(100000 + index), index % 2 ? '顺丰' : '中通', `SF${String(1234567890 + index)}`, (index % 5) + 1]).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}
