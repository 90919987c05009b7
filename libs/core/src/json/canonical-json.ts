import { hash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal payloads hash equally however serialised. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    // An element JSON cannot write (undefined) leaves an empty slot, as Array.join would.
    for (let index = 0; index < value.length; index++) out += (index > 0 ? ',' : '') + (canonicalJson(value[index]) ?? '');
    return `${out}]`;
  }
  // A loop over sorted keys, not entries filtered, sorted and mapped: bulk routes hash thousands of rows a request.
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += (out.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(item);
  }
  return `${out}}`;
}

/** SHA-256 (hex) of the canonical JSON: one-shot hashing, several times cheaper than a Hash object per value. */
export function payloadHash(value: unknown): string {
  return hash('sha256', canonicalJson(value), 'hex');
}
