/**
 * What the agent (and `osiris discover`) can learn about a source, family by family. Every value
 * returned is JSON-safe (it travels in activity results and, capped, into the model's context).
 */
export type JsonValue = string | number | boolean | null;

export interface TableSummary {
  name: string;
  kind: 'table' | 'view';
  /** Row count or the engine's estimate; absent when unknown. */
  rowEstimate?: number;
}

export interface ColumnInfo {
  name: string;
  /** The source's own type name (e.g. `INTEGER`, `varchar(255)`). */
  type: string;
  nullable: boolean;
}

export interface ForeignKey {
  columns: string[];
  refTable: string;
  refColumns: string[];
}

export interface TableDetail extends TableSummary {
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
}

export interface RowSet {
  columns: string[];
  rows: JsonValue[][];
  /** True when more rows existed than were returned. */
  truncated: boolean;
}

export interface SearchHit {
  table: string;
  column: string;
  /** The whole matching row, by column name. */
  row: Record<string, JsonValue>;
}

export interface SearchOptions {
  /** Restrict to these tables (default: all). */
  tables?: string[];
  /** Rows returned per searched column at most: search never scans into unbounded results. */
  limitPerColumn: number;
}

export interface DiscoveryClient {
  listTables(): Promise<TableSummary[]>;
  describeTable(table: string): Promise<TableDetail>;
  sampleRows(table: string, limit: number): Promise<RowSet>;
  /** Case-insensitive substring search across the text columns of the tables. */
  search(term: string, options: SearchOptions): Promise<SearchHit[]>;
  /** Runs one read-only SELECT, at most `limit` rows. Writes are refused (SQL_REFUSED). */
  previewQuery(sql: string, limit: number): Promise<RowSet>;
  close(): Promise<void>;
}

/** Converts a driver value to JSON: bigint within the safe range -> number else string, Date -> ISO, bytes -> `<N bytes>`. */
export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  return JSON.stringify(value);
}

/**
 * Lowercase accented letters and their base letters, one for one: SQL's translate() folds a column with
 * them where the database has no accent-insensitive comparison (PostgreSQL without unaccent).
 */
export const ACCENTED_LETTERS = 'àáâãäåāăąçćčďđèéêëēėęěìíîïīįıłñńňòóôõöøōőŕřśšşßťùúûüūůűųýÿžźżğ';
export const BASE_LETTERS = 'aaaaaaaaacccddeeeeeeeeiiiiiiilnnnoooooooorrsssstuuuuuuuuyyzzzg';

/** translate() arguments that also fold the capitals ("É"), which lower() keeps under a C locale. */
export const SQL_FOLD = (() => {
  let from = ACCENTED_LETTERS;
  let to = BASE_LETTERS;
  for (const [i, ch] of [...ACCENTED_LETTERS].entries()) {
    const upper = ch.toUpperCase();
    if (upper.length === 1 && !/[A-Z]/.test(upper)) {
      from += upper;
      to += BASE_LETTERS[i];
    }
  }
  return { from, to };
})();

/** Lowercase without diacritics ("Agnès" -> "agnes"): the form both sides of a search are compared in. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  let out = '';
  for (const ch of lower) {
    const i = ACCENTED_LETTERS.indexOf(ch);
    out += i >= 0 ? BASE_LETTERS[i] : ch;
  }
  return out.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
}
