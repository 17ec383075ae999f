import duckdb, { type Database, type Result } from '@duckdb/node-bindings';

/**
 * One VARCHAR out of DuckDB through its C bindings alone. @duckdb/node-api (~180 modules) costs
 * ~0.15 s to import, the bindings ~20 ms: a command that only asks DuckDB one question (the SQL
 * guard's parse) should not pay for the whole client.
 */

/** An in-memory database; `options` are DuckDB configuration options by name. */
export async function openMemoryDatabase(options: Record<string, string>): Promise<Database> {
  const config = duckdb.create_config();
  for (const [name, value] of Object.entries(options)) duckdb.set_config(config, name, value);
  return duckdb.open(':memory:', config);
}

/**
 * Runs `sql` on a connection of its own, `params` bound as VARCHAR ($1, $2, ...), and returns the
 * first row's first column (a VARCHAR), or null when it is NULL or there is no row. Bound, not
 * spliced: the text of a parameter is never read as SQL.
 */
export async function queryVarchar(database: Database, sql: string, params: readonly string[] = []): Promise<string | null> {
  const connection = await duckdb.connect(database);
  try {
    const prepared = await duckdb.prepare(connection, sql);
    try {
      params.forEach((value, index) => duckdb.bind_value(prepared, index + 1, duckdb.create_varchar(value)));
      return firstVarchar(await duckdb.execute_prepared(prepared));
    } finally {
      duckdb.destroy_prepare_sync(prepared);
    }
  } finally {
    duckdb.disconnect_sync(connection);
  }
}

// A VARCHAR vector holds 16-byte duckdb_string_t: a uint32 length, then up to 12 bytes inline, or a
// 4-byte prefix and a pointer to the bytes (as @duckdb/node-api's dataAccessors read it).
const STRING_T_BYTES = 16;
const INLINE_MAX = 12;

function firstVarchar(result: Result): string | null {
  const type = duckdb.column_type(result, 0);
  if (type !== duckdb.Type.VARCHAR) throw new Error(`expected a VARCHAR column, DuckDB returned type ${type}`);
  if (duckdb.result_chunk_count(result) === 0) return null;
  const chunk = duckdb.result_get_chunk(result, 0);
  if (duckdb.data_chunk_get_size(chunk) === 0) return null;
  const vector = duckdb.data_chunk_get_vector(chunk, 0);
  if (!duckdb.validity_row_is_valid(duckdb.vector_get_validity(vector, 8), 0)) return null;
  const data = duckdb.vector_get_data(vector, STRING_T_BYTES);
  const length = new DataView(data.buffer, data.byteOffset, STRING_T_BYTES).getUint32(0, true);
  const bytes = length <= INLINE_MAX ? data.subarray(4, 4 + length) : duckdb.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + 8, length);
  return new TextDecoder().decode(bytes);
}
