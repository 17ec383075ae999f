import type { PoolConnection } from 'mysql2/promise';
import { OsirisError } from '../../errors.js';
import { toJsonValue, type DiscoveryClient, type ForeignKey, type JsonValue, type RowSet, type SearchHit, type TableDetail, type TableSummary } from '../discovery.js';
import type { ResolvedConnection } from '../../connections/types.js';
import { openMysqlClient, quoteMysqlIdent } from './client.js';
import { assertReadOnlyQuery } from './read-only.js';

const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json']);
/** Search reads at most this many rows per table unless a FULLTEXT index answers: a bounded cost on any table size. */
export const SEARCH_SCAN_ROWS = 100_000;

/**
 * Discovery over the connection's database. Every statement runs inside `START TRANSACTION READ ONLY`
 * and is bounded: samples and previews by `sql_select_limit`, search by a row budget per table.
 */
export async function openMysqlDiscovery(connection: ResolvedConnection): Promise<DiscoveryClient> {
  const client = openMysqlClient(connection);
  const readOnly = <T>(fn: (conn: PoolConnection) => Promise<T>): Promise<T> =>
    client.withConnection(async (conn) => {
      await conn.query('START TRANSACTION READ ONLY');
      const result = await fn(conn);
      await conn.query('COMMIT');
      return result;
    });
  const rowsOf = async <T>(conn: PoolConnection, sql: string, params: unknown[] = []): Promise<T[]> => (await conn.query(sql, params))[0] as T[];
  const limited = async (conn: PoolConnection, sql: string, params: unknown[], limit: number): Promise<RowSet> => {
    // Caps the rows of any top-level SELECT, whatever its shape, without rewriting the query.
    await conn.query('SET SESSION sql_select_limit = ?', [limit + 1]);
    try {
      const [rows, fields] = await conn.query({ sql, rowsAsArray: true }, params);
      const all = rows as unknown[][];
      return { columns: fields.map((field) => field.name), rows: all.slice(0, limit).map((row) => row.map(toJsonValue)), truncated: all.length > limit };
    } finally {
      await conn.query('SET SESSION sql_select_limit = DEFAULT');
    }
  };

  const tables = (conn: PoolConnection): Promise<TableSummary[]> =>
    rowsOf<{ name: string; kind: string; estimate: string | null }>(
      conn,
      'SELECT TABLE_NAME AS name, TABLE_TYPE AS kind, TABLE_ROWS AS estimate FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY BINARY TABLE_NAME',
    ).then((rows) => rows.map((t) => ({ name: t.name, kind: t.kind === 'VIEW' ? 'view' : 'table', ...(t.estimate === null ? {} : { rowEstimate: Number(t.estimate) }) })));

  const requireTable = async (conn: PoolConnection, table: string): Promise<TableSummary> => {
    const found = (await tables(conn)).find((t) => t.name === table);
    if (!found) throw new OsirisError('SQL_ERROR', `@mysql.${connection.alias} has no table "${table}"`, { hint: 'List the tables first; names may be case-sensitive.' });
    return found;
  };

  const describe = async (conn: PoolConnection, table: string): Promise<{ detail: TableDetail; textColumns: string[]; fulltext: Set<string> }> => {
    const summary = await requireTable(conn, table);
    const columns = await rowsOf<{ name: string; type: string; dataType: string; nullable: string }>(
      conn,
      'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, DATA_TYPE AS dataType, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      [table],
    );
    const keys = await rowsOf<{ constraintName: string; column: string; refTable: string | null; refColumn: string | null }>(
      conn,
      `SELECT CONSTRAINT_NAME AS constraintName, COLUMN_NAME AS \`column\`, REFERENCED_TABLE_NAME AS refTable, REFERENCED_COLUMN_NAME AS refColumn
       FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION`,
      [table],
    );
    const fulltext = await rowsOf<{ column: string }>(
      conn,
      `SELECT COLUMN_NAME AS \`column\` FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_TYPE = 'FULLTEXT'
       GROUP BY INDEX_NAME HAVING COUNT(*) = 1`,
      [table],
    );
    const foreignKeys = new Map<string, ForeignKey>();
    for (const key of keys.filter((k) => k.refTable !== null)) {
      const entry = foreignKeys.get(key.constraintName) ?? { columns: [], refTable: key.refTable!, refColumns: [] };
      entry.columns.push(key.column);
      entry.refColumns.push(key.refColumn!);
      foreignKeys.set(key.constraintName, entry);
    }
    return {
      detail: {
        ...summary,
        columns: columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable === 'YES' })),
        primaryKey: keys.filter((k) => k.constraintName === 'PRIMARY').map((k) => k.column),
        foreignKeys: [...foreignKeys.values()],
      },
      textColumns: columns.filter((c) => TEXT_TYPES.has(c.dataType.toLowerCase())).map((c) => c.name),
      fulltext: new Set(fulltext.map((f) => f.column)),
    };
  };

  // Fails now (clear error, alias named) rather than on the first tool call.
  await client.withConnection(async (conn) => conn.query('SELECT 1')).catch(async (err: unknown) => {
    await client.close();
    throw err;
  });

  return {
    listTables: () => readOnly(tables),
    describeTable: (table) => readOnly(async (conn) => (await describe(conn, table)).detail),
    sampleRows: (table, limit) =>
      readOnly(async (conn) => {
        await requireTable(conn, table);
        return limited(conn, `SELECT * FROM ${quoteMysqlIdent(table)}`, [], limit);
      }),
    search: (term, options) =>
      readOnly(async (conn) => {
        const hits: SearchHit[] = [];
        const names = options.tables ?? (await tables(conn)).map((t) => t.name);
        const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        for (const table of names) {
          const { textColumns, fulltext } = await describe(conn, table);
          for (const column of textColumns) {
            const col = quoteMysqlIdent(column);
            const matches = `CONVERT(${col} USING utf8mb4) COLLATE utf8mb4_unicode_ci LIKE ?`;
            // A FULLTEXT index finds candidate rows anywhere in the table; otherwise only the first rows are scanned.
            const sql = fulltext.has(column)
              ? `SELECT * FROM ${quoteMysqlIdent(table)} WHERE MATCH(${col}) AGAINST (? IN BOOLEAN MODE) AND ${matches} LIMIT ?`
              : `SELECT * FROM (SELECT * FROM ${quoteMysqlIdent(table)} LIMIT ${SEARCH_SCAN_ROWS}) AS scanned WHERE ${matches} LIMIT ?`;
            const params = fulltext.has(column) ? [`"${term.replaceAll('"', ' ')}"`, pattern, options.limitPerColumn] : [pattern, options.limitPerColumn];
            for (const row of await rowsOf<Record<string, unknown>>(conn, sql, params)) {
              hits.push({ table, column, row: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJsonValue(v)])) as Record<string, JsonValue> });
            }
          }
        }
        return hits;
      }),
    async previewQuery(sql, limit) {
      assertReadOnlyQuery(sql, `@mysql.${connection.alias}`);
      return readOnly((conn) => limited(conn, sql, [], limit));
    },
    close: () => client.close(),
  };
}
