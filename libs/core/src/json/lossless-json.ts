/**
 * JSON as platforms send it, read without loss: every number is kept as the text it was written as
 * ("2873491203477823746", "199.00", "1e3"), so ids above 2^53 and decimal prices survive untouched.
 * Strings, booleans, null, arrays and objects read as JSON.parse reads them. A malformed document
 * throws a SyntaxError naming the position.
 */
export type LosslessJson = string | boolean | null | LosslessJson[] | { [key: string]: LosslessJson };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

/** `number` turns each number's text into its value (the text itself unless told otherwise). */
export function parseLosslessJson(text: string, number: (lexeme: string) => LosslessJson = (lexeme) => lexeme): LosslessJson {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`Invalid JSON at position ${at}: ${what}`);
  };
  const skip = () => {
    WHITESPACE.lastIndex = at;
    WHITESPACE.exec(text);
    at = WHITESPACE.lastIndex;
  };
  const stringAt = (): string => {
    // The string's extent, then JSON.parse for its escapes: exact, and fast for long strings.
    const start = at;
    at++;
    for (;;) {
      const char = text.charCodeAt(at);
      if (Number.isNaN(char)) fail('unterminated string');
      if (char === 0x22) break;
      at += char === 0x5c ? 2 : 1;
    }
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const literal = (word: string, value: LosslessJson): LosslessJson => {
    if (!text.startsWith(word, at)) fail(`unexpected ${JSON.stringify(text.slice(at, at + 10))}`);
    at += word.length;
    return value;
  };
  const value = (depth: number): LosslessJson => {
    if (depth > 200) fail('nested too deeply');
    skip();
    const char = text[at];
    if (char === '"') return stringAt();
    if (char === '{') {
      at++;
      const object: Record<string, LosslessJson> = {};
      skip();
      if (text[at] === '}') return (at++, object);
      for (;;) {
        skip();
        if (text[at] !== '"') fail('expected a property name');
        const key = stringAt();
        skip();
        if (text[at] !== ':') fail('expected ":"');
        at++;
        // Own property, even for "__proto__": never the prototype.
        Object.defineProperty(object, key, { value: value(depth + 1), enumerable: true, writable: true, configurable: true });
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === '}') return (at++, object);
        else fail('expected "," or "}"');
      }
    }
    if (char === '[') {
      at++;
      const array: LosslessJson[] = [];
      skip();
      if (text[at] === ']') return (at++, array);
      for (;;) {
        array.push(value(depth + 1));
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === ']') return (at++, array);
        else fail('expected "," or "]"');
      }
    }
    if (char === 't') return literal('true', true);
    if (char === 'f') return literal('false', false);
    if (char === 'n') return literal('null', null);
    NUMBER.lastIndex = at;
    const found = NUMBER.exec(text);
    if (!found) return fail(char === undefined ? 'unexpected end' : `unexpected ${JSON.stringify(char)}`);
    at = NUMBER.lastIndex;
    return number(found[0]);
  };
  const result = value(0);
  skip();
  if (at < text.length) fail('unexpected text after the document');
  return result;
}

/**
 * A decimal amount as platforms write it ("199.00", "0.5", 12, "-3.10") in minor units, exactly: no
 * floating point. More decimals than the currency has are refused (null), as is anything not a
 * plain decimal number.
 */
export function decimalToMinorUnits(amount: string | number, decimals = 2): bigint | null {
  const text = typeof amount === 'number' ? (Number.isSafeInteger(amount) ? String(amount) : null) : amount.trim();
  if (text === null) return null;
  const match = /^(-)?(\d{1,15})(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) return null;
  const minor = BigInt(match[2]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  return match[1] ? -minor : minor;
}
