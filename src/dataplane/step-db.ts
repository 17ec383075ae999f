import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { z } from 'zod';
import { OsirisError } from '../errors.js';
import { outputTableName, type ManifestStep } from '../oml/manifest.js';
import type { RunContext } from './step-contract.js';
import { stepFile } from './workspace.js';

// Extensions are never fetched or loaded at run time: what a step may do is fixed by the build.
const INSTANCE_OPTIONS = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };

/**
 * DuckDB's own limits for one step. Left to its defaults DuckDB may use up to 80 % of the machine's
 * RAM, and it keeps the blocks of every table a step writes or reads cached, so a step's memory grew
 * with its table (a 10M-row Parquet COPY peaked at ~890 MB). With a limit, blocks beyond it are
 * evicted or spilled to the step's temp directory, and memory stays flat whatever the table's size.
 * Streaming steps (extractors, writers) work a row group at a time and get 64 MB: measured on 1M MySQL
 * rows, the extractor's process stopped growing after 300k rows with it and kept growing with 128 MB.
 * Transforms (joins, aggregations) hold hash tables and get 256 MB before they spill.
 * Threads: a statement's calling thread busy-waits (mutex spinning) whenever it has no task of its own,
 * so with two threads a streaming step's single-task statements (a CSV load, a Parquet COPY) burned a
 * second core for nothing: measured on 1M rows under load, an extractor took 6.4 s CPU with two threads
 * and 3.4 s with one, the Parquet writer 0.9-1.9 s and 0.9-1.2 s. Streaming steps get one thread (the
 * extractor's JavaScript thread and the source's server use the other core); transforms, whose joins
 * and aggregations do split into parallel tasks, get two.
 * OSIRIS_DUCKDB_MEMORY_LIMIT (a DuckDB size, e.g. `1GB`) and OSIRIS_DUCKDB_THREADS override them for every step.
 */
export interface DuckDBLimits {
  memoryLimit: string;
  threads: number;
}

const STEP_MEMORY_LIMIT: Record<ManifestStep['mode'], string> = { read: '64MB', write: '64MB', transform: '256MB' };
const STEP_THREADS: Record<ManifestStep['mode'], number> = { read: 1, write: 1, transform: 2 };

const limitsFromEnv = z.object({
  OSIRIS_DUCKDB_MEMORY_LIMIT: z
    .string()
    .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i, 'expected a size such as 128MB or 2GB')
    .optional(),
  OSIRIS_DUCKDB_THREADS: z.coerce.number().int().min(1).max(256).optional(),
});

/** The limits a step's DuckDB runs with: by the step's mode, unless the environment overrides them. */
export function stepDuckDBLimits(mode: ManifestStep['mode'], env: NodeJS.ProcessEnv = process.env): DuckDBLimits {
  const parsed = limitsFromEnv.safeParse({ OSIRIS_DUCKDB_MEMORY_LIMIT: env.OSIRIS_DUCKDB_MEMORY_LIMIT?.trim() || undefined, OSIRIS_DUCKDB_THREADS: env.OSIRIS_DUCKDB_THREADS?.trim() || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new OsirisError('CONFIG_INVALID', `${String(issue.path[0])} is invalid: ${issue.message}`, {
      hint: 'Set OSIRIS_DUCKDB_MEMORY_LIMIT to a size like 256MB and OSIRIS_DUCKDB_THREADS to a whole number >= 1, or unset them.',
    });
  }
  return {
    memoryLimit: parsed.data.OSIRIS_DUCKDB_MEMORY_LIMIT?.replaceAll(' ', '') ?? STEP_MEMORY_LIMIT[mode],
    threads: parsed.data.OSIRIS_DUCKDB_THREADS ?? STEP_THREADS[mode],
  };
}

/** A DuckDB identifier, double-quoted. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A DuckDB string literal, for statements that take no parameters (ATTACH, COPY, read_csv options). */
export function sqlString(value: string): string {
  if (value.includes('\0')) {
    throw new OsirisError('CONFIG_INVALID', `Value contains a NUL character: ${JSON.stringify(value)}`, {
      hint: 'Remove the NUL character from the path or option.',
    });
  }
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Opens DuckDB on `file` (":memory:" for none), runs `fn`, and always closes it again. `spill` bounds
 * it for a step: the step's limits, and a temp directory of its own (removed afterwards) to spill to.
 */
export async function withDuckDB<T>(file: string, fn: (conn: DuckDBConnection) => Promise<T>, spill?: StepSpill, options: Record<string, string> = {}): Promise<T> {
  if (spill === undefined) return openDuckDB(file, fn, { ...INSTANCE_OPTIONS, ...options });
  const { limits } = spill;
  try {
    return await openDuckDB(file, fn, { ...INSTANCE_OPTIONS, ...options, memory_limit: limits.memoryLimit, threads: String(limits.threads), temp_directory: spill.tempDirectory });
  } finally {
    await rm(spill.tempDirectory, { recursive: true, force: true });
  }
}

async function openDuckDB<T>(file: string, fn: (conn: DuckDBConnection) => Promise<T>, options: Record<string, string>): Promise<T> {
  const instance = await DuckDBInstance.create(file, options);
  try {
    const conn = await instance.connect();
    try {
      return await fn(conn);
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Attaches each step in `step.needs` read-only and makes its `df_<id>` resolvable unqualified through
 * a temp view (temp views are never persisted, so an output file holds no reference to its inputs).
 */
export async function attachInputs(conn: DuckDBConnection, step: ManifestStep, ctx: RunContext): Promise<void> {
  for (const need of step.needs) {
    const file = stepFile(ctx.workspaceDir, need);
    try {
      await access(file);
    } catch {
      throw new OsirisError('INPUT_MISSING', `Step "${step.id}" needs the output of step "${need}", which is not in the workspace (${file})`, {
        hint: `Run step "${need}" before "${step.id}" in the same workspace.`,
      });
    }
    const table = outputTableName(need);
    const alias = quoteIdent(`input_${table}`);
    await conn.run(`ATTACH ${sqlString(file)} AS ${alias} (READ_ONLY)`);
    await conn.run(`CREATE TEMP VIEW ${quoteIdent(table)} AS SELECT * FROM ${alias}.main.${quoteIdent(table)}`);
  }
}

/** Runs `fn` on an in-memory DuckDB with the step's limits and a spill directory of its own. */
export async function withStepDuckDB<T>(step: ManifestStep, ctx: RunContext, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withDuckDB(':memory:', fn, stepSpill(ctx, step));
}

/** Runs `fn` on an in-memory DuckDB with the step's inputs attached (writers only read). */
export async function withStepInputs<T>(step: ManifestStep, ctx: RunContext, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withStepDuckDB(step, ctx, async (conn) => {
    await attachInputs(conn, step, ctx);
    return fn(conn);
  });
}

/**
 * Runs `fn` against a fresh DuckDB file that must end up holding `step.output_table`, and renames it
 * onto `steps/<id>.duckdb` only if `fn` succeeds. A failed or retried attempt therefore never leaves a
 * half-written table, and parallel steps never share a file. `fn` also gets a scratch directory of
 * the attempt's own (for files it stages, e.g. CSV parts), removed afterwards. Returns the table's row count.
 */
export async function produceStepOutput(step: ManifestStep, ctx: RunContext, fn: (conn: DuckDBConnection, scratchDir: string) => Promise<void>): Promise<number> {
  const target = stepFile(ctx.workspaceDir, step.id);
  const temp = `${target}.${randomUUID()}.tmp`;
  const scratch = `${temp}.scratch`;
  try {
    const rows = await withDuckDB(temp, async (conn) => {
      await mkdir(scratch);
      await fn(conn, scratch);
      const reader = await conn.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(step.output_table)}`);
      // Fold the WAL into the file so the rename below moves everything.
      await conn.run('CHECKPOINT');
      return Number(reader.getRows()[0]?.[0] ?? 0);
    }, stepSpill(ctx, step), STEP_OUTPUT_OPTIONS);
    await rename(temp, target);
    return rows;
  } finally {
    await rm(temp, { force: true });
    await rm(`${temp}.wal`, { force: true });
    await rm(scratch, { recursive: true, force: true });
  }
}

interface StepSpill {
  limits: DuckDBLimits;
  tempDirectory: string;
}

/**
 * A step's output file is read once or twice by later steps of the same run and deleted with its
 * workspace, so its columns are stored uncompressed: choosing and applying compression (dictionary,
 * FSST, bit packing) took ~35 % of the CPU of loading 1M rows, for a file nobody keeps.
 */
const STEP_OUTPUT_OPTIONS = { force_compression: 'uncompressed' };

/** A step's limits, and where its DuckDB spills what does not fit them: inside the run's workspace, one directory per attempt. */
function stepSpill(ctx: RunContext, step: ManifestStep): StepSpill {
  return { limits: stepDuckDBLimits(step.mode), tempDirectory: `${stepFile(ctx.workspaceDir, step.id)}.${randomUUID()}.spill` };
}

/** The output table of a writer's single input step. */
export function singleInputTable(step: ManifestStep): string {
  return outputTableName(singleInputStep(step));
}

/** The id of a writer's single input step. */
export function singleInputStep(step: ManifestStep): string {
  const [need, ...rest] = step.needs;
  if (need === undefined || rest.length > 0) {
    throw new OsirisError('CONFIG_INVALID', `Step "${step.id}" (${step.component}) must read exactly one earlier step, but needs [${step.needs.join(', ')}]`, {
      hint: `Set \`needs: [<one step id>]\` on step "${step.id}"; join several inputs in a duckdb.processor step first.`,
    });
  }
  return need;
}

/** Refuses a source result with two columns of one name (DuckDB's names ignore case): the step's table cannot hold both. */
export function assertDistinctColumns(names: readonly string[], stepId: string): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const first = seen.get(name.toLowerCase());
    if (first !== undefined) {
      throw new OsirisError('SQL_ERROR', `Step "${stepId}": the source returns two columns named ${first === name ? `"${name}"` : `"${first}" and "${name}" (names ignore case)`}`, {
        hint: 'Give each column a name of its own in the query, e.g. SELECT o.id AS order_id, c.id AS customer_id.',
      });
    }
    seen.set(name.toLowerCase(), name);
  }
}

/** Column names and DuckDB types of a table. */
export async function describeTable(conn: DuckDBConnection, table: string): Promise<{ name: string; type: string }[]> {
  const reader = await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(table)})`);
  return reader.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
}
