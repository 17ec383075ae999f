import type pg from 'pg';
import type { ManifestStep } from '../../oml/manifest.js';
import { produceCsvStepOutput } from '../../dataplane/csv-step-output.js';
import { DEFAULT_BATCH_SIZE } from '../../dataplane/table-sink.js';
import { stepConnection, type RunContext, type StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { copyCsvParts } from './copy-csv.js';
import { connectPg, pgQueryError, pgTarget, qualifiedTable, quotePgIdent, TEXT_FORMAT_SETTINGS, type PgTarget } from './client.js';
import { checkTableSource, selectFromTable, type TableSourceConfig } from '../table-config.js';
import { postgresExtractorSpec } from './spec.js';
import { planCopyColumn, type CopyColumnPlan } from './types.js';

export type PgExtractorConfig = TableSourceConfig;

function sourceQuery(config: PgExtractorConfig, target: PgTarget): string {
  if (config.query !== undefined) return config.query.trim().replace(/;+\s*$/, '');
  return selectFromTable(config, quotePgIdent, qualifiedTable(target, config.table!));
}

/**
 * Streams a query into the step's output (its table, or its Parquet file) with `COPY (query) TO STDOUT (FORMAT csv)`: the server
 * writes every value as text and DuckDB's CSV reader parses it with each column's type (csv-load.ts), so
 * no value becomes a JavaScript object on the way. It runs in a READ ONLY, REPEATABLE READ transaction:
 * the source cannot be changed, and the column types read first describe the same snapshot.
 */
export async function extractPg(target: PgTarget, config: PgExtractorConfig, step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<number> {
  checkTableSource(config, step.id);
  const sql = sourceQuery(config, target);
  const batchSize = config.batch_size ?? DEFAULT_BATCH_SIZE;
  const context = `Step "${step.id}"`;
  const client = await connectPg(target);
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${TEXT_FORMAT_SETTINGS}`);
    // Planned, not run: the result's columns and their types. (Newlines: the query may end in a -- comment.)
    let plans: CopyColumnPlan[] = [];
    const columns = client
      .query({ text: `SELECT * FROM (\n${sql}\n) AS osiris_source LIMIT 0`, rowMode: 'array' })
      .then((described) => planColumns(client, described.fields))
      .then((planned) => (plans = planned).map((plan) => plan.column));
    // The parts are asked for only once the columns are known.
    const parts = () => copyCsvParts(client, `COPY (${copyQuery(sql, plans)}) TO STDOUT (FORMAT csv)`, batchSize);
    const rows = await produceCsvStepOutput(step, ctx, { columns, parts }, options);
    await client.query('COMMIT');
    return rows;
  } catch (err) {
    throw pgQueryError(target, err, context);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The source query as it is, or, when some column needs converting on the server, wrapped with its columns renamed by position (names may repeat). */
function copyQuery(sql: string, plans: readonly CopyColumnPlan[]): string {
  if (plans.every((plan) => plan.source === undefined)) return `\n${sql}\n`;
  const names = plans.map((_, index) => `c${index}`);
  const select = plans.map((plan, index) => `${plan.source?.(names[index]!) ?? names[index]} AS ${quotePgIdent(plan.column.name)}`);
  return `SELECT ${select.join(', ')} FROM (\n${sql}\n) AS osiris_source(${names.join(', ')})`;
}

/** Column plans from the result's row description: type names as `format_type` spells them. */
async function planColumns(client: pg.Client, fields: { name: string; dataTypeID: number; dataTypeModifier: number }[]): Promise<CopyColumnPlan[]> {
  if (fields.length === 0) return [];
  const { rows } = await client.query<{ type: string }>(
    'SELECT format_type(oid, typmod) AS type FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS f(oid, typmod, n) ORDER BY n',
    [fields.map((f) => f.dataTypeID), fields.map((f) => f.dataTypeModifier)],
  );
  return fields.map((field, index) => planCopyColumn(field.name, rows[index]!.type));
}

/** `postgres.extractor`. */
export async function runPostgresExtractor(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = postgresExtractorSpec.config.parse(step.config) as PgExtractorConfig;
  const target = pgTarget(stepConnection(ctx, config.connection, step.id), 'url');
  return { rows: await extractPg(target, config, step, ctx, options), outputs: [] };
}
