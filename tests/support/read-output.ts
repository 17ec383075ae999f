import { DuckDBInstance } from '@duckdb/node-api';

/** Reads a CSV/Parquet/JSON file with DuckDB into plain row objects, for row-by-row assertions. */
export async function readRows(file: string, order = '1'): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const quoted = `'${file.replaceAll("'", "''")}'`;
    const reader = await connection.runAndReadAll(`SELECT * FROM ${quoted} ORDER BY ${order}`);
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
