/**
 * A made-up schema for the offline planner's unit tests: the DDL runs in an in-memory SQLite database,
 * and the planner sees it the way describe_table would report it.
 */
import Database from 'better-sqlite3';
import { SchemaModel } from '../../src/agent/providers/offline/schema-model.js';
import { parseIntent } from '../../src/agent/providers/offline/intent.js';
import { buildSql, type Equality } from '../../src/agent/providers/offline/sql-builder.js';
import { tokenize } from '../../src/agent/providers/offline/intent-lexicon.js';
import type { DescribeTableContent } from '../../src/agent/tool-content.js';

export function schemaOf(ddl: string, qualifiers: Record<string, string[]> = {}): { db: Database.Database; model: SchemaModel } {
  const db = new Database(':memory:');
  db.exec(ddl);
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
  const details: DescribeTableContent[] = tables.map((table) => {
    const columns = db.prepare('SELECT name, type, "notnull" AS nn, pk FROM pragma_table_info(?)').all(table) as { name: string; type: string; nn: number; pk: number }[];
    const fks = db.prepare('SELECT "table" AS ref, "from" AS col, "to" AS refcol FROM pragma_foreign_key_list(?)').all(table) as { ref: string; col: string; refcol: string }[];
    return {
      connection: '@sqlite.test',
      table,
      kind: 'table',
      columns: columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nn === 0 })),
      primaryKey: columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      foreignKeys: fks.map((f) => ({ columns: [f.col], refTable: f.ref, refColumns: [f.refcol] })),
    };
  });
  const model = new SchemaModel(details);
  // What the planner learns from sampling link tables ("table.column" -> values).
  for (const [key, values] of Object.entries(qualifiers)) model.qualifierValues.set(key.replace('.', '\u0000'), values);
  return { db, model };
}

/** Parses, builds and runs `text`; values (and `subject`) stand in for what search_data would have found. Numbers rounded to 2 decimals. */
export function runRequest(ddl: string, text: string, equalities: Equality[] = [], qualifiers: Record<string, string[]> = {}, subject?: string) {
  const { db, model } = schemaOf(ddl, qualifiers);
  try {
    const intent = parseIntent(text, model, subject);
    const sql = buildSql(model, { intent, equalities, family: 'sqlite', words: new Set(tokenize(text).map((t) => t.low)) });
    const rows = db.prepare(sql).raw(true).all() as unknown[][];
    return { intent, sql, rows: rows.map((r) => r.map((v) => (typeof v === 'number' ? Math.round(v * 100) / 100 : v))) };
  } finally {
    db.close();
  }
}

export const sortedRows = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r)).sort();
