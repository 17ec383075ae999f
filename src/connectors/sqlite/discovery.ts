import type Database from 'better-sqlite3';
import { OsirisError } from '../../errors.js';
import { foldText, toJsonValue, type DiscoveryClient, type JsonValue, type RowSet, type SearchHit, type TableDetail, type TableSummary } from '../discovery.js';
import type { ResolvedConnection } from '../../connections/types.js';
import { openSqlite, quoteSqliteIdent } from './client.js';

/** Column types SQLite treats as text (type affinity rules): the ones search looks into. */
const TEXT_AFFINITY = /CHAR|CLOB|TEXT/i;

function readRows(statement: Database.Statement, limit: number): RowSet {
  statement.raw(true);
  const columns = statement.columns().map((c) => c.name);
  const rows: JsonValue[][] = [];
  let truncated = false;
  for (const row of statement.iterate() as Iterable<unknown[]>) {
    if (rows.length === limit) {
      truncated = true;
      break;
    }
    rows.push(row.map(toJsonValue));
  }
  return { columns, rows, truncated };
}

/** Discovery over a SQLite file, opened read-only (no query can change it). */
export async function openSqliteDiscovery(connection: ResolvedConnection): Promise<DiscoveryClient> {
  const file = connection.values.path;
  if (typeof file !== 'string' || file === '') {
    throw new OsirisError('CONFIG_INVALID', `@sqlite.${connection.alias} has no "path"`, { hint: 'Add "path: <file.sqlite>" to it in osiris_connections.yaml.' });
  }
  let db: Database.Database;
  try {
    db = openSqlite(file, 'read');
  } catch (err) {
    throw new OsirisError('CONNECTION_FAILED', `@sqlite.${connection.alias}: cannot open the database file (${(err as { code?: string }).code ?? 'error'})`, {
      hint: 'Check that the path in osiris_connections.yaml points at an existing SQLite file.',
    });
  }

  // Search folds case and accents ("agnes varda" finds "Agnès Varda"): SQLite's LIKE folds ASCII case only.
  db.function('osiris_fold', { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldText(value) : value));

  const tableNames = (): TableSummary[] =>
    (db.prepare("SELECT name, type FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string; type: string }[]).map(
      (t) => ({ name: t.name, kind: t.type === 'view' ? 'view' : 'table' }),
    );

  const requireTable = (table: string): TableSummary => {
    const found = tableNames().find((t) => t.name === table);
    if (!found) {
      throw new OsirisError('SQL_ERROR', `@sqlite.${connection.alias} has no table "${table}"`, { hint: 'List the tables first; names are case-sensitive.' });
    }
    return found;
  };

  const countRows = (table: string): number => Number((db.prepare(`SELECT COUNT(*) AS n FROM ${quoteSqliteIdent(table)}`).get() as { n: bigint }).n);

  const describe = (table: string): TableDetail => {
    const summary = requireTable(table);
    const info = db.prepare(`SELECT name, type, "notnull" AS "notnull", pk FROM pragma_table_info(?) ORDER BY cid`).all(table) as { name: string; type: string; notnull: bigint; pk: bigint }[];
    const fks = db.prepare('SELECT id, "table" AS ref, "from" AS col, "to" AS refcol FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(table) as { id: bigint; ref: string; col: string; refcol: string }[];
    const grouped = new Map<bigint, { columns: string[]; refTable: string; refColumns: string[] }>();
    for (const fk of fks) {
      const entry = grouped.get(fk.id) ?? { columns: [], refTable: fk.ref, refColumns: [] };
      entry.columns.push(fk.col);
      entry.refColumns.push(fk.refcol);
      grouped.set(fk.id, entry);
    }
    return {
      ...summary,
      rowEstimate: countRows(table),
      columns: info.map((c) => ({ name: c.name, type: c.type || 'ANY', nullable: Number(c.notnull) === 0 })),
      primaryKey: info.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk)).map((c) => c.name),
      foreignKeys: [...grouped.values()],
    };
  };

  return {
    async listTables() {
      return tableNames().map((t) => ({ ...t, rowEstimate: countRows(t.name) }));
    },
    async describeTable(table) {
      return describe(table);
    },
    async sampleRows(table, limit) {
      requireTable(table);
      return readRows(db.prepare(`SELECT * FROM ${quoteSqliteIdent(table)} LIMIT ?`).bind(limit + 1), limit);
    },
    async search(term, options) {
      const hits: SearchHit[] = [];
      const tables = options.tables ?? tableNames().map((t) => t.name);
      for (const table of tables) {
        const detail = describe(table);
        for (const column of detail.columns.filter((c) => TEXT_AFFINITY.test(c.type) || c.type === 'ANY')) {
          // Both sides folded (lowercase, no accents); the LIMIT keeps the scan bounded per column.
          const statement = db.prepare(`SELECT * FROM ${quoteSqliteIdent(table)} WHERE osiris_fold(${quoteSqliteIdent(column.name)}) LIKE ? ESCAPE '\\' LIMIT ?`);
          const pattern = `%${foldText(term).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          for (const row of statement.all(pattern, options.limitPerColumn) as Record<string, unknown>[]) {
            hits.push({ table, column: column.name, row: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJsonValue(v)])) });
          }
        }
      }
      return hits;
    },
    async previewQuery(sql, limit) {
      let statement: Database.Statement;
      try {
        statement = db.prepare(sql);
      } catch (err) {
        throw new OsirisError('SQL_ERROR', `The query failed: ${(err as Error).message}`, { hint: 'Check table and column names against the schema.' });
      }
      if (!statement.reader || !statement.readonly) {
        throw new OsirisError('SQL_REFUSED', 'Only a single read-only SELECT can be previewed', { hint: 'Rewrite it as a SELECT; writes belong in a pipeline writer step.' });
      }
      return readRows(statement, limit);
    },
    async close() {
      db.close();
    },
  };
}
