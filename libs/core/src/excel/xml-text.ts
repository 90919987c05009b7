/** One attribute's value in a tag's attribute text (decoded), or undefined. Names match whole (`r` is not `ref`). */
export function xmlAttribute(attributes: string, name: string): string | undefined {
  let pattern = ATTRIBUTE_PATTERNS.get(name);
  if (!pattern) ATTRIBUTE_PATTERNS.set(name, (pattern = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)));
  const match = pattern.exec(attributes);
  return match ? decodeXmlText(match[1] ?? match[2] ?? '') : undefined;
}

const ATTRIBUTE_PATTERNS = new Map<string, RegExp>();

const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Text as written in XML, decoded: the five named entities, character references, and the `_xHHHH_`
 * escapes Office uses for characters XML cannot hold (a line break typed in a cell is `_x000D_`; a
 * literal "_x" is written `_x005F_x`). An unknown entity stays as written (none is ever defined: a
 * DOCTYPE is never read, so no entity expansion and no XML bomb). CDATA sections are kept literally.
 */
export function decodeXmlText(raw: string): string {
  if (raw.includes('<![CDATA[')) return withCdata(raw);
  let text = raw;
  if (text.includes('&'))
    text = text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, entity: string) => {
      if (entity[0] !== '#') return NAMED_ENTITIES[entity] ?? whole;
      const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    });
  if (text.includes('_x')) text = text.replace(/_x([0-9a-fA-F]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return text;
}

/** Text with CDATA sections: those kept as written, the rest decoded. */
function withCdata(raw: string): string {
  let text = '';
  let at = 0;
  for (let open = raw.indexOf('<![CDATA[', at); open >= 0; open = raw.indexOf('<![CDATA[', at)) {
    const close = raw.indexOf(']]>', open + 9);
    if (close < 0) throw new DamagedXmlError('a CDATA section is never closed');
    text += decodeXmlText(raw.slice(at, open)) + raw.slice(open + 9, close);
    at = close + 3;
  }
  return text + decodeXmlText(raw.slice(at));
}

/** XML a file cannot be read by: refused as a damaged workbook. */
export class DamagedXmlError extends Error {}

/**
 * Where the closing tag of `name` (any prefix: `</c>`, `</x:c>`) first found from `from` starts and
 * ends, or undefined. Every search here goes forward with indexOf, never a backtracking pattern, so a
 * hostile part (openings never closed, tags never ended) costs time in proportion to its size.
 */
export function closingTag(text: string, from: number, name: string): { start: number; end: number } | undefined {
  for (let at = text.indexOf('</', from); at >= 0; at = text.indexOf('</', at + 2)) {
    const gt = text.indexOf('>', at + 2);
    if (gt < 0) return undefined;
    const tag = text.slice(at + 2, gt).trimEnd();
    if (tag === name || (tag.endsWith(`:${name}`) && /^\w+:/.test(tag))) return { start: at, end: gt + 1 };
  }
  return undefined;
}

const OPENING_PATTERNS = new Map<string, RegExp>();

/** An opening (or empty) tag of one of `names`, any prefix; its attributes hold no `<` or `>` (well-formed XML escapes `<`), so a failed match stops at the next tag. */
export function openingTags(names: string): RegExp {
  let pattern = OPENING_PATTERNS.get(names);
  if (!pattern) OPENING_PATTERNS.set(names, (pattern = new RegExp(`<(?:\\w+:)?(${names})(?=[\\s>/])([^<>]*?)(\\/?)>`, 'g')));
  return pattern;
}

/** The content of the first element `name` in `text`: '' when it is empty (`<v/>`), undefined when there is none. */
export function firstElementContent(text: string, name: string): string | undefined {
  const pattern = openingTags(name);
  pattern.lastIndex = 0;
  const open = pattern.exec(text);
  if (!open) return undefined;
  if (open[3] === '/') return '';
  const close = closingTag(text, pattern.lastIndex, name);
  if (!close) throw new DamagedXmlError(`a <${name}> element is never closed`);
  return text.slice(pattern.lastIndex, close.start);
}

/** The text a string item shows (`<si>` or a cell's `<is>`): its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
export function runsText(content: string): string {
  const pattern = openingTags('t|rPh');
  pattern.lastIndex = 0;
  let text = '';
  for (let open = pattern.exec(content); open; open = pattern.exec(content)) {
    if (open[3] === '/') continue;
    const close = closingTag(content, pattern.lastIndex, open[1]);
    if (!close) throw new DamagedXmlError(`a <${open[1]}> element is never closed`);
    if (open[1] === 't') text += decodeXmlText(content.slice(pattern.lastIndex, close.start));
    pattern.lastIndex = close.end;
  }
  return detached(text);
}

/**
 * The same text, not a slice of the piece of XML it was found in: V8 keeps a whole 256 KB piece alive
 * for as long as any slice of it (13 characters or more) lives, and kept rows would hold the sheet's XML.
 */
export const detached = (text: string): string => (text.length < 13 ? text : (' ' + text).slice(1));
