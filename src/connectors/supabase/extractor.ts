import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import { produceStepOutput } from '../../dataplane/step-db.js';
import { sinkBatches } from '../../dataplane/table-sink.js';
import { stepConnection, type RunContext, type StepOptions } from '../../dataplane/step-contract.js';
import { extractPg, type PgExtractorConfig } from '../postgres/extractor.js';
import { checkTableSource } from '../table-config.js';
import { planSourceColumn } from '../postgres/types.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { requireRestTable, restCall, supabaseTarget, type RestTarget } from './client.js';
import { supabaseExtractorSpec } from './spec.js';

/** Rows per REST page: Supabase caps responses at 1000 rows by default (max-rows). */
export const REST_BATCH_SIZE = 1000;

/** A column in a PostgREST `select=` list: plain names as they are, anything else double-quoted. */
const restColumn = (name: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '\\"')}"`);

/** `supabase.extractor`: the wire protocol with `database_url`, otherwise the REST API. */
export async function runSupabaseExtractor(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = supabaseExtractorSpec.config.parse(step.config) as PgExtractorConfig;
  const target = supabaseTarget(stepConnection(ctx, config.connection, step.id));
  const rows = target.kind === 'wire' ? await extractPg(target.pg, config, step, ctx, options) : await extractRest(target.rest, config, step, ctx, options);
  return { rows, outputs: [] };
}

/**
 * Reads a table page by page through the REST API, ordered by its primary key (or `order_by`, or
 * every non-JSON column for views without a key) so pages neither overlap nor skip rows. A page
 * shorter than asked does not end the read (the server may cap pages); an empty page does.
 */
async function extractRest(target: RestTarget, config: PgExtractorConfig, step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<number> {
  checkTableSource(config, step.id);
  if (config.query !== undefined || config.where !== undefined) {
    throw new OsirisError('CONFIG_INVALID', `Step "${step.id}": "query" and "where" need SQL access, and ${target.label} has only the REST API (url + key)`, {
      hint: `Add database_url: postgresql://... to ${target.label} in osiris_connections.yaml, or read a table and filter it in a duckdb.processor step.`,
    });
  }
  const context = `Step "${step.id}"`;
  const table = await requireRestTable(target, config.table!, context);
  const columns = (config.columns ?? table.columns.map((c) => c.name)).map((name) => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) {
      throw new OsirisError('CONFIG_INVALID', `${context}: ${target.label} table "${table.name}" has no column "${name}"`, { hint: `Columns: ${table.columns.map((c) => c.name).join(', ')}.` });
    }
    return column;
  });
  const order = config.order_by ?? (table.primaryKey.length > 0 ? table.primaryKey : columns.filter((c) => !/json/.test(c.type)).map((c) => c.name));
  const plans = columns.map((column) => planSourceColumn(column.name, column.type));
  const pageSize = config.batch_size ?? REST_BATCH_SIZE;
  const select = columns.map((c) => restColumn(c.name)).join(',');

  async function* pages(): AsyncGenerator<unknown[][]> {
    for (let offset = 0; config.limit === undefined || offset < config.limit; ) {
      const end = offset + Math.min(pageSize, (config.limit ?? Infinity) - offset) - 1;
      const { data } = await restCall(target, context, () => {
        let query = target.client.from(table.name).select(select);
        for (const column of order) query = query.order(column, { ascending: true });
        // Retries are ours (restCall): supabase-js would retry only some statuses, with long waits.
        return query.range(offset, end).retry(false);
      });
      const rows = (data ?? []) as unknown as Record<string, unknown>[];
      if (rows.length === 0) return;
      yield rows.map((row) => plans.map((plan, i) => {
        const value = row[columns[i]!.name];
        return value === null || value === undefined ? null : plan.convert(value);
      }));
      offset += rows.length;
    }
  }

  return produceStepOutput(step, ctx, async (conn) => {
    await sinkBatches(conn, step.output_table, plans.map((plan) => plan.sink), pages(), { ...options, stepId: step.id, batchSize: pageSize });
  });
}
