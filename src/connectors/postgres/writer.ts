import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import { describeTable, quoteIdent, singleInputTable, withStepInputs } from '../../dataplane/step-db.js';
import { DEFAULT_BATCH_SIZE } from '../../dataplane/table-sink.js';
import { stepConnection, type RunContext, type StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { connectPg, pgQueryError, pgTarget, qualifiedTable, quotePgIdent, type PgTarget } from './client.js';
import { checkKeyColumns, writerPrimaryKey, type TableWriterConfig } from '../table-config.js';
import { postgresWriterSpec } from './spec.js';
import { createTableSql, planTargetColumn, type TargetColumnPlan } from './types.js';

export type PgWriterConfig = TableWriterConfig;

/** What a writer writes: the input table, its columns as PostgreSQL sees them, and the key. */
export interface WritePlan {
  input: string;
  columns: TargetColumnPlan[];
  primaryKey: string[];
}

/** Reads the input's columns and checks the primary key against them (both write paths). */
export async function planWrite(conn: DuckDBConnection, step: ManifestStep, config: PgWriterConfig): Promise<WritePlan> {
  const input = singleInputTable(step);
  const primaryKey = writerPrimaryKey(config, step.id);
  const columns = (await describeTable(conn, input)).map(planTargetColumn);
  checkKeyColumns(primaryKey, columns, input, step.id);
  return { input, columns, primaryKey };
}

/** The input's rows in batches of `batchSize`, every value rendered as PostgreSQL input text (or null). */
export async function* inputBatches(conn: DuckDBConnection, plan: WritePlan, batchSize: number): AsyncGenerator<(string | null)[][]> {
  const result = await conn.stream(`SELECT ${plan.columns.map((column) => column.select).join(', ')} FROM ${quoteIdent(plan.input)}`);
  let batch: (string | null)[][] = [];
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    for (const row of chunk.getRows()) {
      batch.push(row as (string | null)[]);
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/** A JSON array as a PostgreSQL array literal (`[1,"a b"]` -> `{1,"a b"}`), for array-typed destination columns. */
export function pgArrayLiteral(json: string): string {
  const element = (value: unknown): string => {
    if (value === null) return 'NULL';
    if (Array.isArray(value)) return `{${value.map(element).join(',')}}`;
    const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    return `"${text.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  };
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? element(parsed) : json;
}

// COPY text format: tab-separated, `\N` for NULL, backslash escapes for the separators.
const COPY_SPECIAL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyField = (value: string | null): string => (value === null ? '\\N' : value.replace(COPY_SPECIAL, (c) => COPY_ESCAPES[c]!));

/** Streams batches into `COPY ... FROM STDIN`, honouring backpressure; progress after each batch. */
async function copyRows(client: pg.Client, sql: string, batches: AsyncIterable<(string | null)[][]>, arrayColumns: ReadonlySet<number>, step: ManifestStep, options: StepOptions): Promise<number> {
  const stream = client.query(copyFrom(sql));
  const field = (value: string | null, index: number) => copyField(value !== null && arrayColumns.has(index) ? pgArrayLiteral(value) : value);
  let written = 0;
  try {
    for await (const batch of batches) {
      let text = '';
      for (const row of batch) text += `${row.map(field).join('\t')}\n`;
      if (!stream.write(text)) await once(stream, 'drain');
      written += batch.length;
      options.onProgress?.({ stepId: step.id, rows: written });
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
    }
    stream.end();
    await finished(stream);
    return written;
  } catch (err) {
    // Sends CopyFail: the server abandons the COPY and the transaction can be rolled back.
    stream.destroy(err as Error);
    await finished(stream).catch(() => undefined);
    throw err;
  }
}

/**
 * Writes the input into a PostgreSQL table in ONE transaction: a failed or retried attempt rolls back
 * completely (no duplicated rows), and replace (TRUNCATE + COPY, keeping the table's grants and
 * policies) becomes visible all at once. Upsert COPYs into a temporary table, then
 * `INSERT ... ON CONFLICT (primary_key) DO UPDATE`.
 */
export async function writePg(target: PgTarget, config: PgWriterConfig, step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<number> {
  return withStepInputs(step, ctx, async (conn) => {
    const plan = await planWrite(conn, step, config);
    const table = qualifiedTable(target, config.table);
    const names = plan.columns.map((column) => quotePgIdent(column.name)).join(', ');
    const client = await connectPg(target);
    try {
      await client.query('BEGIN');
      const existing = await client.query<{ name: string; type: string }>(
        'SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped',
        [table],
      );
      // JSON arrays (how arrays are extracted) going into an existing array column are rewritten as array literals.
      const arrayColumns = new Set(plan.columns.flatMap((column, index) => (column.kind === 'json' && existing.rows.some((c) => c.name === column.name && c.type.endsWith('[]')) ? [index] : [])));
      if (existing.rows.length === 0) {
        if (!config.create_if_missing) {
          throw new OsirisError('CONFIG_INVALID', `Step "${step.id}": ${target.label} has no table ${table} and create_if_missing is false`, {
            hint: `Set \`create_if_missing: true\`, or create it first:\n${createTableSql(table, plan.columns, plan.primaryKey)};`,
          });
        }
        await client.query(createTableSql(table, plan.columns, plan.primaryKey));
      } else if (config.write_mode === 'replace') {
        await client.query(`TRUNCATE ${table}`);
      }
      const batches = inputBatches(conn, plan, config.batch_size ?? DEFAULT_BATCH_SIZE);
      let written: number;
      if (config.write_mode === 'upsert') {
        await client.query(`CREATE TEMP TABLE osiris_stage (LIKE ${table} INCLUDING DEFAULTS) ON COMMIT DROP`);
        written = await copyRows(client, `COPY osiris_stage (${names}) FROM STDIN`, batches, arrayColumns, step, options);
        await client.query(upsertSql(table, names, plan));
      } else {
        written = await copyRows(client, `COPY ${table} (${names}) FROM STDIN`, batches, arrayColumns, step, options);
      }
      await client.query('COMMIT');
      return written;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw pgQueryError(target, err, `Step "${step.id}"`);
    } finally {
      await client.end().catch(() => undefined);
    }
  });
}

function upsertSql(table: string, names: string, plan: WritePlan): string {
  const updates = plan.columns.filter((column) => !plan.primaryKey.includes(column.name)).map((column) => `${quotePgIdent(column.name)} = EXCLUDED.${quotePgIdent(column.name)}`);
  const action = updates.length === 0 ? 'DO NOTHING' : `DO UPDATE SET ${updates.join(', ')}`;
  return `INSERT INTO ${table} (${names}) SELECT ${names} FROM osiris_stage ON CONFLICT (${plan.primaryKey.map(quotePgIdent).join(', ')}) ${action}`;
}

/** `postgres.writer`. */
export async function runPostgresWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = postgresWriterSpec.config.parse(step.config) as PgWriterConfig;
  const target = pgTarget(stepConnection(ctx, config.connection, step.id), 'url');
  return { rows: await writePg(target, config, step, ctx, options), outputs: [] };
}
