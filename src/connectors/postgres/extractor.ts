import type pg from 'pg';
import type { ManifestStep } from '../../oml/manifest.js';
import { produceStepOutput } from '../../dataplane/step-db.js';
import { sinkBatches, DEFAULT_BATCH_SIZE } from '../../dataplane/table-sink.js';
import { stepConnection, type RunContext, type StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { connectPg, pgQueryError, pgTarget, qualifiedTable, quotePgIdent, TEXT_FORMAT_SETTINGS, type PgTarget } from './client.js';
import { checkTableSource, selectFromTable, type TableSourceConfig } from '../table-config.js';
import { postgresExtractorSpec } from './spec.js';
import { planSourceColumn, type SourceColumnPlan } from './types.js';

export type PgExtractorConfig = TableSourceConfig;

function sourceQuery(config: PgExtractorConfig, target: PgTarget): string {
  if (config.query !== undefined) return config.query.trim().replace(/;+\s*$/, '');
  return selectFromTable(config, quotePgIdent, qualifiedTable(target, config.table!));
}

/**
 * Streams a query into the step's output table through a server-side cursor, `batchSize` rows per
 * round trip, so memory stays flat however large the result. The cursor lives in a READ ONLY,
 * REPEATABLE READ transaction: the source cannot be changed, and every batch sees one snapshot.
 * Values are fetched as text and converted by type (see planSourceColumn).
 */
export async function extractPg(target: PgTarget, config: PgExtractorConfig, step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<number> {
  checkTableSource(config, step.id);
  const sql = sourceQuery(config, target);
  const batchSize = config.batch_size ?? DEFAULT_BATCH_SIZE;
  const context = `Step "${step.id}"`;
  const client = await connectPg(target);
  const fetch = (count: number) =>
    // Every type parser off: values arrive as PostgreSQL text.
    client.query<unknown[]>({ text: `FETCH FORWARD ${count} FROM osiris_extract`, rowMode: 'array', types: { getTypeParser: () => (text: string) => text } });
  try {
    await client.query(`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; ${TEXT_FORMAT_SETTINGS}`);
    // The extended protocol (pg's queryMode, missing from @types/pg) refuses a second statement after the query.
    const declare: pg.QueryConfig & { queryMode: 'extended' } = { text: `DECLARE osiris_extract NO SCROLL CURSOR FOR ${sql}`, queryMode: 'extended' };
    await client.query(declare);
    const first = await fetch(batchSize);
    const plans = await planColumns(client, first.fields);
    async function* batches(): AsyncGenerator<unknown[][]> {
      let rows = first.rows;
      while (rows.length > 0) {
        // Converted in place: the driver's row arrays are ours, and a copy per row is only more garbage.
        for (const row of rows) {
          for (let index = 0; index < row.length; index++) if (row[index] !== null) row[index] = plans[index]!.convert(row[index]);
        }
        yield rows;
        if (rows.length < batchSize) return;
        rows = (await fetch(batchSize)).rows;
      }
    }
    const rows = await produceStepOutput(step, ctx, async (conn) => {
      await sinkBatches(conn, step.output_table, plans.map((plan) => plan.sink), batches(), { ...options, stepId: step.id, batchSize });
    });
    await client.query('COMMIT');
    return rows;
  } catch (err) {
    throw pgQueryError(target, err, context);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Column plans from the cursor's row description: type names as `format_type` spells them. */
async function planColumns(client: pg.Client, fields: { name: string; dataTypeID: number; dataTypeModifier: number }[]): Promise<SourceColumnPlan[]> {
  if (fields.length === 0) return [];
  const { rows } = await client.query<{ type: string }>(
    'SELECT format_type(oid, typmod) AS type FROM unnest($1::oid[], $2::int4[]) WITH ORDINALITY AS f(oid, typmod, n) ORDER BY n',
    [fields.map((f) => f.dataTypeID), fields.map((f) => f.dataTypeModifier)],
  );
  return fields.map((field, index) => planSourceColumn(field.name, rows[index]!.type, 'text', field.dataTypeID));
}

/** `postgres.extractor`. */
export async function runPostgresExtractor(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = postgresExtractorSpec.config.parse(step.config) as PgExtractorConfig;
  const target = pgTarget(stepConnection(ctx, config.connection, step.id), 'url');
  return { rows: await extractPg(target, config, step, ctx, options), outputs: [] };
}
