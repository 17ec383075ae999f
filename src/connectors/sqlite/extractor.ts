import { OsirisError } from '../../errors.js';
import type { ManifestStep } from '../../oml/manifest.js';
import { produceStepOutput } from '../../dataplane/step-db.js';
import { sinkRows, type SinkColumn } from '../../dataplane/table-sink.js';
import type { RunContext, StepOptions } from '../../dataplane/step-contract.js';
import type { StepOutcome } from '../../dataplane/step-contract.js';
import { openSqlite, quoteSqliteIdent, sqlitePath } from './client.js';
import { checkTableSource, selectFromTable, type TableSourceConfig } from '../table-config.js';
import { sqliteExtractorSpec } from './spec.js';


/** Streams a SQLite query or table into the step's output table, batch by batch. */
export async function runSqliteExtractor(step: ManifestStep, ctx: RunContext, options: StepOptions): Promise<StepOutcome> {
  const config = sqliteExtractorSpec.config.parse(step.config) as TableSourceConfig;
  const sql = sourceQuery(config, step.id);
  const db = openSqlite(sqlitePath(config.connection, ctx, step.id), 'read');
  try {
    const statement = db.prepare(sql);
    if (!statement.reader || !statement.readonly) {
      throw new OsirisError('SQL_REFUSED', `Step "${step.id}": the source query must be a single read-only SELECT`, {
        hint: 'Use a SELECT statement (or `table:`) in sqlite.extractor; writes belong in a writer step.',
      });
    }
    statement.raw(true);
    const columns: SinkColumn[] = statement.columns().map((column) => ({ name: column.name, type: sinkTypeFor(column.type) }));
    const rows = await produceStepOutput(step, ctx, async (conn) => {
      await sinkRows(conn, step.output_table, columns, statement.iterate() as Iterable<unknown[]>, { ...options, stepId: step.id, batchSize: config.batch_size });
    });
    return { rows, outputs: [] };
  } finally {
    db.close();
  }
}

function sourceQuery(config: TableSourceConfig, stepId: string): string {
  checkTableSource(config, stepId);
  return config.query ?? selectFromTable(config, quoteSqliteIdent, quoteSqliteIdent(config.table!));
}

/** Maps a declared SQLite column type to DuckDB, following SQLite's own type-affinity rules. */
function sinkTypeFor(declared: string | null): SinkColumn['type'] {
  // Expressions have no declared type; their values decide.
  if (declared === null || declared === '') return 'ANY';
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'BIGINT';
  if (type.includes('CHAR') || type.includes('CLOB') || type.includes('TEXT')) return 'VARCHAR';
  if (type.includes('BLOB')) return 'BLOB';
  if (type.includes('REAL') || type.includes('FLOA') || type.includes('DOUB')) return 'DOUBLE';
  if (type.includes('NUMERIC') || type.includes('DECIMAL')) return 'NUMERIC';
  // DATE, DATETIME, BOOLEAN...: SQLite stores whatever it was given, so text is the safe common form.
  return 'VARCHAR';
}
