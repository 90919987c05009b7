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
  if (raw.includes('<![CDATA['))
    return raw
      .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
      .map((piece) => (piece.startsWith('<![CDATA[') ? piece.slice(9, -3) : decodeXmlText(piece)))
      .join('');
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

/** The text a string item shows (`<si>` or a cell's `<is>`): its `<t>` runs joined, phonetic guides (`<rPh>`) left out. */
export function runsText(content: string): string {
  const shown = content.includes('rPh') ? content.replace(/<(?:\w+:)?rPh\b[\s\S]*?<\/(?:\w+:)?rPh>/g, '') : content;
  let text = '';
  for (const match of shown.matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)) text += decodeXmlText(match[1]);
  return detached(text);
}

/**
 * The same text, not a slice of the piece of XML it was found in: V8 keeps a whole 256 KB piece alive
 * for as long as any slice of it (13 characters or more) lives, and kept rows would hold the sheet's XML.
 */
export const detached = (text: string): string => (text.length < 13 ? text : (' ' + text).slice(1));
