import { randomUUID } from 'node:crypto';
import { access, rename, rm } from 'node:fs/promises';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { OsirisError } from '../errors.js';
import { outputTableName, type ManifestStep } from '../oml/manifest.js';
import type { RunContext } from './step-contract.js';
import { stepFile } from './workspace.js';

// Extensions are never fetched or loaded at run time: what a step may do is fixed by the build.
const INSTANCE_OPTIONS = { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };

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

/** Opens DuckDB on `file` (":memory:" for none), runs `fn`, and always closes it again. */
export async function withDuckDB<T>(file: string, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(file, INSTANCE_OPTIONS);
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

/** Runs `fn` on an in-memory DuckDB with the step's inputs attached (writers only read). */
export async function withStepInputs<T>(step: ManifestStep, ctx: RunContext, fn: (conn: DuckDBConnection) => Promise<T>): Promise<T> {
  return withDuckDB(':memory:', async (conn) => {
    await attachInputs(conn, step, ctx);
    return fn(conn);
  });
}

/**
 * Runs `fn` against a fresh DuckDB file that must end up holding `step.output_table`, and renames it
 * onto `steps/<id>.duckdb` only if `fn` succeeds. A failed or retried attempt therefore never leaves a
 * half-written table, and parallel steps never share a file. Returns the table's row count.
 */
export async function produceStepOutput(step: ManifestStep, ctx: RunContext, fn: (conn: DuckDBConnection) => Promise<void>): Promise<number> {
  const target = stepFile(ctx.workspaceDir, step.id);
  const temp = `${target}.${randomUUID()}.tmp`;
  try {
    const rows = await withDuckDB(temp, async (conn) => {
      await fn(conn);
      const reader = await conn.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(step.output_table)}`);
      // Fold the WAL into the file so the rename below moves everything.
      await conn.run('CHECKPOINT');
      return Number(reader.getRows()[0]?.[0] ?? 0);
    });
    await rename(temp, target);
    return rows;
  } finally {
    await rm(temp, { force: true });
    await rm(`${temp}.wal`, { force: true });
  }
}

/** The output table of a writer's single input step. */
export function singleInputTable(step: ManifestStep): string {
  const [need, ...rest] = step.needs;
  if (need === undefined || rest.length > 0) {
    throw new OsirisError('CONFIG_INVALID', `Step "${step.id}" (${step.component}) must read exactly one earlier step, but needs [${step.needs.join(', ')}]`, {
      hint: `Set \`needs: [<one step id>]\` on step "${step.id}"; join several inputs in a duckdb.processor step first.`,
    });
  }
  return outputTableName(need);
}

/** Column names and DuckDB types of a table. */
export async function describeTable(conn: DuckDBConnection, table: string): Promise<{ name: string; type: string }[]> {
  const reader = await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(table)})`);
  return reader.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
}
