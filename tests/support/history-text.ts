/**
 * Every string in a history, payload bytes decoded, joined for searching. JSON.stringify is no good
 * here: protobuf messages serialise payload bytes as base64, and a secret scan over that would
 * find nothing whatever the payloads hold.
 */
export function historyText(history: unknown): string {
  const parts: string[] = [];
  const seen = new Set<object>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    else if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (value && typeof value === 'object' && !seen.has(value)) {
      seen.add(value);
      for (const child of Object.values(value)) walk(child);
    }
  };
  walk(history);
  return parts.join('\n');
}
