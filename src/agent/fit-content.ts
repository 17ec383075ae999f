/** Keeps tool results small: whole rows dropped to fit a size cap, long cells clipped. */
import type { JsonValue, RowSet } from '../connectors/discovery.js';

/** Upper bound of ToolResult.content, in characters: rows are dropped whole to stay under it. */
export const MAX_CONTENT_CHARS = 8000;
/** Longer text cells are clipped: one long comment must not crowd out every other row. */
const MAX_CELL_CHARS = 200;

export function clipCell(value: JsonValue): JsonValue {
  return typeof value === 'string' && value.length > MAX_CELL_CHARS ? `${value.slice(0, MAX_CELL_CHARS)}…` : value;
}

/** The largest prefix (`count` items) whose JSON fits MAX_CONTENT_CHARS: whole items dropped, never cut JSON. */
export function fit(build: (count: number) => unknown, total: number): { json: string; count: number } {
  let json = JSON.stringify(build(total));
  if (json.length <= MAX_CONTENT_CHARS) return { json, count: total };
  let low = 0;
  let high = total - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (JSON.stringify(build(mid)).length <= MAX_CONTENT_CHARS) low = mid;
    else high = mid - 1;
  }
  json = JSON.stringify(build(low));
  return { json, count: low };
}

/** Rows with clipped cells, as many as fit: the JSON for the model and the same rows for display. */
export function fitRows<T>(set: RowSet, build: (rows: RowSet) => T): { json: string; rows: RowSet } {
  const rows = set.rows.map((row) => row.map(clipCell));
  const shown = (n: number): RowSet => ({ columns: set.columns, rows: rows.slice(0, n), truncated: set.truncated || n < rows.length });
  const { json, count } = fit((n) => build(shown(n)), rows.length);
  return { json, rows: shown(count) };
}
