import type { Connection as CallbackConnection } from 'mysql2';
import type { ManifestStep } from '../../oml/manifest.js';
import { produceCsvStepOutput } from '../../dataplane/csv-step-output.js';
import { DEFAULT_BATCH_SIZE } from '../../dataplane/table-sink.js';
import { stepConnection, type RunContext, type StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { quoteMysqlIdent, quoteMysqlTable, mysqlConnection, withMysqlClient } from './client.js';
import { queryAsCsv } from './csv-result.js';
import { assertReadOnlyQuery } from './read-only.js';
import { checkTableSource, selectFromTable, type TableSourceConfig } from '../table-config.js';
import { mysqlExtractorSpec } from './spec.js';

/**
 * Streams a MySQL query or table into the step's output (its table, or its Parquet file) inside `START TRANSACTION READ ONLY`:
 * the row packets are turned into CSV as they arrive (csv-result.ts) and DuckDB's CSV reader parses
 * them with each column's type (csv-load.ts). The socket is paused while parts wait for DuckDB, so
 * memory stays flat however large the result.
 */
export async function runMysqlExtractor(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = mysqlExtractorSpec.config.parse(step.config) as TableSourceConfig;
  const sql = sourceQuery(config, step.id);
  const connection = mysqlConnection(stepConnection(ctx, config.connection, step.id), step.id);
  const rows = await withMysqlClient(connection, (client) =>
    client.withConnection(async (conn) => {
      await conn.query('START TRANSACTION READ ONLY');
      // The promise wrapper has no streaming; its `connection` is the callback-style connection underneath (typed wrongly).
      const query = () => queryAsCsv(conn.connection as unknown as CallbackConnection, sql, config.batch_size ?? DEFAULT_BATCH_SIZE);
      const first = query();
      const columns = first.plans.then((plans) => plans.map((plan) => plan.column));
      // Asked again, the query runs again (in the same transaction, queued behind the first result's end).
      let asked = 0;
      const parts = () => (asked++ === 0 ? first : query()).parts;
      const count = await produceCsvStepOutput(step, ctx, { columns, parts }, options);
      await conn.query('COMMIT');
      return count;
    }, `Step "${step.id}": `),
  );
  return { rows, outputs: [] };
}

function sourceQuery(config: TableSourceConfig, stepId: string): string {
  checkTableSource(config, stepId);
  const sql = config.query ?? selectFromTable(config, quoteMysqlIdent, quoteMysqlTable(config.table!));
  // `where` is free text: the same guard keeps it from smuggling in a second statement or a locking read.
  assertReadOnlyQuery(sql, `Step "${stepId}"`);
  return sql;
}
