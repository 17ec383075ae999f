/** Rows into an eval suite's SQLite database: one prepared statement per table, rows in the order given. */
import type Database from 'better-sqlite3';

export function insertRows(db: Database.Database, table: string, rows: readonly (readonly unknown[])[]): void {
  if (rows.length === 0) return;
  const statement = db.prepare(`INSERT INTO ${table} VALUES (${rows[0]!.map(() => '?').join(', ')})`);
  for (const row of rows) statement.run(...row);
}

/** Fixed rows with their key in front, numbered from 1 in the order listed. */
export function numbered<T extends readonly unknown[]>(rows: readonly T[]): unknown[][] {
  return rows.map((row, index) => [index + 1, ...row]);
}
