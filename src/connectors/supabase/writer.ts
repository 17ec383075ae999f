import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import { quoteIdent, withStepInputs } from '../../dataplane/step-db.js';
import { stepConnection, type RunContext, type StepOptions } from '../../dataplane/step-contract.js';
import { quotePgIdent } from '../postgres/client.js';
import { createTableSql, type TargetColumnPlan } from '../postgres/types.js';
import { inputBatches, planWrite, writePg, type PgWriterConfig, type WritePlan } from '../postgres/writer.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { fetchRestSchema, restCall, supabaseTarget, type RestTarget } from './client.js';
import { REST_BATCH_SIZE } from './extractor.js';
import { supabaseWriterSpec } from './spec.js';

/** `supabase.writer`: one COPY transaction with `database_url`, otherwise batched REST requests. */
export async function runSupabaseWriter(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = supabaseWriterSpec.config.parse(step.config) as PgWriterConfig;
  const target = supabaseTarget(stepConnection(ctx, config.connection, step.id));
  const rows = target.kind === 'wire' ? await writePg(target.pg, config, step, ctx, options) : await writeRest(target.rest, config, step, ctx, options);
  return { rows, outputs: [] };
}

/** A row for a JSON request body: text values as strings (PostgreSQL parses them exactly), JSON as JSON. */
function restRow(columns: readonly TargetColumnPlan[], row: readonly (string | null)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  columns.forEach((column, i) => {
    const value = row[i] ?? null;
    out[column.name] = value === null ? null : column.kind === 'json' ? JSON.parse(value) : column.kind === 'boolean' ? value === 'true' : value;
  });
  return out;
}

/**
 * Writes through the REST API, one request per batch. Each request is its own transaction, so the
 * write as a whole cannot be atomic; instead every batch is idempotent, and a retried step (or
 * request) never duplicates rows: upsert merges on the key, replace deletes every row then upserts,
 * append with a primary_key ignores rows already there. Append without a key is allowed only when the
 * input fits in one request. DDL is impossible over REST: a missing table fails with its CREATE TABLE.
 */
async function writeRest(target: RestTarget, config: PgWriterConfig, step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<number> {
  const context = `Step "${step.id}"`;
  const batchSize = config.batch_size ?? REST_BATCH_SIZE;
  return withStepInputs(step, ctx, async (conn) => {
    const plan = await planWrite(conn, step, config);
    if (!(await fetchRestSchema(target, context)).has(config.table)) throw missingTable(target, config, plan, context);
    if (config.write_mode === 'append' && plan.primaryKey.length === 0) {
      const count = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(plan.input)}`)).getRows()[0]![0]);
      if (count > batchSize) {
        throw new OsirisError('CONFIG_INVALID', `${context}: appending ${count} rows over the REST API needs primary_key (more than one request of ${batchSize} rows)`, {
          hint: `Set primary_key so a retried request cannot duplicate rows, or add database_url to ${target.label} to write in one transaction.`,
        });
      }
    }
    const table = target.client.from(config.table);
    if (config.write_mode === 'replace') {
      // Every row has a non-NULL primary key: this filter matches the whole table (PostgREST refuses an unfiltered DELETE on Supabase).
      await restCall(target, context, () => table.delete().not(plan.primaryKey[0]!, 'is', null).retry(false));
    }
    const onConflict = plan.primaryKey.join(',');
    let written = 0;
    for await (const batch of inputBatches(conn, plan, batchSize)) {
      const rows = batch.map((row) => restRow(plan.columns, row));
      if (plan.primaryKey.length === 0) {
        await restCall(target, context, () => table.insert(rows).retry(false), { idempotent: false });
      } else {
        await restCall(target, context, () => table.upsert(rows, { onConflict, ignoreDuplicates: config.write_mode === 'append' }).retry(false));
      }
      written += batch.length;
      options.onProgress?.({ stepId: step.id, rows: written });
      await yieldToEventLoop();
      options.signal?.throwIfAborted();
    }
    return written;
  });
}

function missingTable(target: RestTarget, config: PgWriterConfig, plan: WritePlan, context: string): OsirisError {
  const name = `${quotePgIdent(target.schema)}.${quotePgIdent(config.table)}`;
  const reason = config.create_if_missing
    ? 'the REST API cannot create tables (no DDL over PostgREST)'
    : 'create_if_missing is false';
  return new OsirisError('CONFIG_INVALID', `${context}: ${target.label} has no table ${name}, and ${reason}`, {
    hint: `Create it in the Supabase SQL editor:\n${createTableSql(name, plan.columns, plan.primaryKey)};\nor add database_url to ${target.label} so Osiris can create it.`,
  });
}
