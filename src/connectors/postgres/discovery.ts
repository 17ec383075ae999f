import { OsirisError } from '../../errors.js';
import { foldText, SQL_FOLD, toJsonValue, type DiscoveryClient, type ForeignKey, type JsonValue, type RowSet, type SearchHit, type TableDetail, type TableSummary } from '../discovery.js';
import type { ResolvedConnection } from '../../connections/types.js';
import { connectPg, pgQueryError, pgTarget, qualifiedTable, quotePgIdent, TEXT_FORMAT_SETTINGS, type PgTarget } from './client.js';

/** Types whose values search looks into (ILIKE): text, varchar(n), char(n)... but not arrays of them. */
export const isTextType = (type: string): boolean => /^(text|character varying|character|varchar|char|citext|name)(\(\d+\))?$/.test(type);

const jsonRow = (row: unknown[]): JsonValue[] => row.map((value) => (Array.isArray(value) ? JSON.stringify(value) : toJsonValue(value)));

/**
 * Discovery over one PostgreSQL connection, from the catalog of the connection's schema: tables and
 * views with the planner's row estimates, columns, primary and foreign keys. Every query that reads
 * data runs in a READ ONLY transaction, so a preview can never write.
 */
export async function openPgDiscovery(target: PgTarget): Promise<DiscoveryClient> {
  const client = await connectPg(target);
  const run = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw pgQueryError(target, err, what);
    }
  };
  const readOnly = <T>(what: string, fn: () => Promise<T>): Promise<T> =>
    run(what, async () => {
      await client.query(`BEGIN READ ONLY; ${TEXT_FORMAT_SETTINGS}`);
      try {
        return await fn();
      } finally {
        await client.query('ROLLBACK');
      }
    });
  const rowSet = async (sql: string, limit: number, values: unknown[] = []): Promise<RowSet> => {
    const result = await client.query<unknown[]>({ text: sql, values, rowMode: 'array' });
    return { columns: result.fields.map((f) => f.name), rows: result.rows.slice(0, limit).map(jsonRow), truncated: result.rows.length > limit };
  };

  const listTables = async (): Promise<TableSummary[]> => {
    const { rows } = await client.query<{ name: string; kind: string; estimate: string }>(
      `SELECT c.relname AS name, c.relkind AS kind, c.reltuples::bigint AS estimate
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname`,
      [target.schema],
    );
    // reltuples is -1 (or 0) until the table is first vacuumed or analyzed: unknown, not empty.
    return rows.map((r) => ({ name: r.name, kind: r.kind === 'v' || r.kind === 'm' ? 'view' : 'table', ...(Number(r.estimate) > 0 ? { rowEstimate: Number(r.estimate) } : {}) }));
  };

  const describe = async (table: string): Promise<TableDetail> => {
    const summary = (await listTables()).find((t) => t.name === table);
    if (!summary) throw new OsirisError('SQL_ERROR', `${target.label} has no table "${table}" in schema "${target.schema}"`, { hint: 'List the tables first; names are case-sensitive.' });
    const relation = qualifiedTable(target, table);
    const columns = await client.query<{ name: string; type: string; nullable: boolean }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type, NOT attnotnull AS nullable
       FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [relation],
    );
    const keys = await client.query<{ kind: string; columns: string[]; ref_table: string | null; ref_columns: string[] | null }>(
      `SELECT con.contype AS kind,
              ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.i) AS columns,
              (SELECT r.relname::text FROM pg_class r WHERE r.oid = con.confrelid) AS ref_table,
              ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, i) JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.i) AS ref_columns
       FROM pg_constraint con WHERE con.conrelid = $1::regclass AND con.contype IN ('p', 'f') ORDER BY con.conname`,
      [relation],
    );
    const foreignKeys: ForeignKey[] = keys.rows
      .filter((k) => k.kind === 'f')
      .map((k) => ({ columns: k.columns, refTable: k.ref_table!, refColumns: k.ref_columns ?? [] }));
    return { ...summary, columns: columns.rows, primaryKey: keys.rows.find((k) => k.kind === 'p')?.columns ?? [], foreignKeys };
  };

  return {
    listTables: () => run('listing tables', listTables),
    describeTable: (table) => run(`describing ${table}`, () => describe(table)),
    sampleRows: (table, limit) => readOnly(`sampling ${table}`, () => rowSet(`SELECT * FROM ${qualifiedTable(target, table)} LIMIT $1`, limit, [limit + 1])),
    async search(term, options) {
      const hits: SearchHit[] = [];
      const tables = options.tables ?? (await run('listing tables', listTables)).map((t) => t.name);
      // Case- and accent-insensitive: both sides folded (the column by translate(), which needs no extension).
      const pattern = `%${foldText(term).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      for (const table of tables) {
        const detail = await run(`describing ${table}`, () => describe(table));
        for (const column of detail.columns.filter((c) => isTextType(c.type))) {
          // The LIMIT keeps the scan bounded per column.
          const found = await readOnly(`searching ${table}`, () =>
            client.query<Record<string, unknown>>(`SELECT * FROM ${qualifiedTable(target, table)} WHERE translate(lower(${quotePgIdent(column.name)}::text), $3, $4) LIKE $1 LIMIT $2`, [
              pattern,
              options.limitPerColumn,
              SQL_FOLD.from,
              SQL_FOLD.to,
            ]),
          );
          for (const row of found.rows) {
            hits.push({ table, column: column.name, row: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, jsonRow([v])[0]!])) });
          }
        }
      }
      return hits;
    },
    // Wrapped as a subquery: anything but a single SELECT / VALUES / WITH query is a syntax error,
    // and the READ ONLY transaction refuses data-modifying CTEs and functions that write.
    async previewQuery(sql, limit) {
      if (!/^\s*(select|with|values|table|\()/i.test(sql)) {
        throw new OsirisError('SQL_REFUSED', `${target.label}: only a single read-only SELECT can be previewed`, { hint: 'Rewrite it as a SELECT; writes belong in a pipeline writer step.' });
      }
      return readOnly('the preview query', () => rowSet(`SELECT * FROM (${sql.trim().replace(/;+\s*$/, '')}) AS preview LIMIT $1`, limit, [limit + 1]));
    },
    async close() {
      await client.end().catch(() => undefined);
    },
  };
}

/** `postgres` family discovery: host/port/user/password/database or url. */
export function openPostgresDiscovery(connection: ResolvedConnection): Promise<DiscoveryClient> {
  return openPgDiscovery(pgTarget(connection, 'url'));
}
