import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, payloadHash } from './canonical-json';

/** The first implementation, kept as the model: stored request hashes were made with it. */
function modelCanonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(modelCanonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${modelCanonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const payloads = fc.anything({ withObjectString: true, withNullPrototype: true, withSparseArray: false, values: [fc.jsonValue(), fc.constant(undefined)] as never });

describe('canonicalJson', () => {
  it('writes exactly what the first implementation wrote, so hashes stored before still match', () => {
    fc.assert(
      fc.property(payloads, (value) => expect(canonicalJson(value)).toBe(modelCanonicalJson(value))),
      { numRuns: 2000 },
    );
  });

  it('sorts keys at every level and leaves undefined fields out', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: null, y: undefined }], c: 'x' }, e: undefined })).toBe('{"a":{"c":"x","d":[1,{"z":null}]},"b":1}');
  });

  it('hashes as a SHA-256 Hash object over the same text does', () => {
    fc.assert(
      fc.property(
        payloads.filter((value) => value !== undefined),
        (value) => expect(payloadHash(value)).toBe(createHash('sha256').update(modelCanonicalJson(value)).digest('hex')),
      ),
      { numRuns: 500 },
    );
  });
});
