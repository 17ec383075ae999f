/**
 * Canonical JSON: object keys sorted (by UTF-16 code units), no whitespace, numbers in JavaScript's
 * shortest round-trip form (-0 as 0). The same value always gives the same bytes, which is what
 * makes a manifest's sha256 a fingerprint. Pure: safe in workflows.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$');
}

function write(value: unknown, at: string): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${String(value)} at ${at} has no JSON form`);
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item, index) => write(item, `${at}[${index}]`)).join(',')}]`;
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${write(item, `${at}.${key}`)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} at ${at} has no JSON form`);
  }
}
