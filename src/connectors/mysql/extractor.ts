import type { Readable } from 'node:stream';
import type { Connection as CallbackConnection, Query, TypeCast } from 'mysql2';
import type { ManifestStep } from '../../oml/manifest.js';
import { produceStepOutput } from '../../dataplane/step-db.js';
import { sinkBatches, STREAM_BATCH_SIZE } from '../../dataplane/table-sink.js';
import { stepConnection, type RunContext, type StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { quoteMysqlIdent, quoteMysqlTable, mysqlConnection, withMysqlClient } from './client.js';
import { assertReadOnlyQuery } from './read-only.js';
import { checkTableSource, selectFromTable, type TableSourceConfig } from '../table-config.js';
import { mysqlExtractorSpec } from './spec.js';
import { planColumn, type ColumnPlan, type MysqlField } from './types.js';


/**
 * Streams a MySQL query or table into the step's output table inside `START TRANSACTION READ ONLY`.
 * The driver pauses the socket whenever a batch's worth of rows is waiting, so memory stays flat
 * while DuckDB appends the previous batch.
 */
export async function runMysqlExtractor(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = mysqlExtractorSpec.config.parse(step.config) as TableSourceConfig;
  const sql = sourceQuery(config, step.id);
  const connection = mysqlConnection(stepConnection(ctx, config.connection, step.id), step.id);
  const batchSize = config.batch_size ?? STREAM_BATCH_SIZE;
  const rows = await withMysqlClient(connection, (client) =>
    client.withConnection(async (conn) => {
      await conn.query('START TRANSACTION READ ONLY');
      // The promise wrapper has no streaming; its `connection` is the callback-style connection underneath (typed wrongly).
      const query = (conn.connection as unknown as CallbackConnection).query({ sql, rowsAsArray: true, typeCast: floatsAsText });
      const batches = rowBatches(query.stream({ highWaterMark: batchSize }), batchSize);
      const plans = (await resultFields(query)).map(planColumn);
      const count = await produceStepOutput(step, ctx, async (duck) => {
        await sinkBatches(duck, step.output_table, plans.map((plan) => plan.sink), batches(plans), { ...options, stepId: step.id, batchSize });
      });
      await conn.query('COMMIT');
      return count;
    }, `Step "${step.id}": `),
  );
  return { rows, outputs: [] };
}

/**
 * mysql2 parses FLOAT/DOUBLE text digit by digit and loses the last bit of ~1 % of doubles
 * (90.28580457071429 becomes ...428). Their text goes to DuckDB instead, whose cast is exact.
 */
const floatsAsText: TypeCast = (field, next) => (field.type === 'DOUBLE' || field.type === 'FLOAT' ? field.string('ascii') : next());

function sourceQuery(config: TableSourceConfig, stepId: string): string {
  checkTableSource(config, stepId);
  const sql = config.query ?? selectFromTable(config, quoteMysqlIdent, quoteMysqlTable(config.table!));
  // `where` is free text: the same guard keeps it from smuggling in a second statement or a locking read.
  assertReadOnlyQuery(sql, `Step "${stepId}"`);
  return sql;
}

/** The result's column metadata, which the driver announces before the first row. */
function resultFields(query: Query): Promise<MysqlField[]> {
  return new Promise((resolve, reject) => {
    query.once('fields', (fields: MysqlField[]) => resolve(fields));
    query.once('error', reject);
    query.once('end', () => resolve([]));
  });
}

/**
 * Reads the row stream in batches of `size` without a promise per row: rows are taken synchronously
 * while buffered, and the generator sleeps only when the buffer is empty. Listeners are attached at
 * once, before the column types are known, so an early query error is never an unhandled 'error'.
 */
function rowBatches(stream: Readable, size: number): (plans: readonly ColumnPlan[]) => AsyncGenerator<unknown[][]> {
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  // Listeners stay attached after an early stop: a later 'error' from the destroyed connection must not go unhandled.
  stream.on('error', (err) => {
    failure = err;
    wake?.();
  });
  stream.on('end', () => {
    ended = true;
    wake?.();
  });
  stream.on('readable', () => wake?.());
  return async function* (plans) {
    const fixes = plans.flatMap((plan, index) => (plan.fix === undefined ? [] : [[index, plan.fix] as const]));
    let batch: unknown[][] = [];
    for (;;) {
      if (failure !== undefined) throw failure;
      const row = stream.read() as unknown[] | null;
      if (row !== null) {
        for (const [index, fix] of fixes) row[index] = fix(row[index]);
        batch.push(row);
        if (batch.length === size) {
          yield batch;
          batch = [];
        }
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    if (batch.length > 0) yield batch;
  };
}
