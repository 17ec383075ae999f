import type { ManifestStep } from '../oml/manifest.js';
import type { RunContext, StepOptions, StepResult } from '../runtime/types.js';
import { runDuckdbProcessor } from './duckdb/processor.js';
import { runCsvExtractor } from './filesystem/csv-extractor.js';
import { runCsvWriter, runJsonWriter, runParquetWriter } from './filesystem/file-writer.js';
import { runPostgresExtractor } from './postgres/extractor.js';
import { runPostgresWriter } from './postgres/writer.js';
import { runSqliteExtractor } from './sqlite/extractor.js';
import { runSqliteWriter } from './sqlite/writer.js';
import { runMysqlExtractor } from './mysql/extractor.js';
import { runMysqlWriter } from './mysql/writer.js';
import { runSupabaseExtractor } from './supabase/extractor.js';
import { runSupabaseWriter } from './supabase/writer.js';

/** What a component reports; `executeStep` adds the step id, component name and timing. */
export type StepOutcome = Pick<StepResult, 'rows' | 'outputs'>;

export type StepImplementation = (step: ManifestStep, ctx: RunContext, options: StepOptions) => Promise<StepOutcome>;

/** Component name -> implementation. Loads native drivers: never import this from workflow code. */
export const implementations: ReadonlyMap<string, StepImplementation> = new Map<string, StepImplementation>([
  ['sqlite.extractor', runSqliteExtractor],
  ['sqlite.writer', runSqliteWriter],
  ['mysql.extractor', runMysqlExtractor],
  ['mysql.writer', runMysqlWriter],
  ['duckdb.processor', runDuckdbProcessor],
  ['filesystem.csv_extractor', runCsvExtractor],
  ['filesystem.csv_writer', runCsvWriter],
  ['filesystem.parquet_writer', runParquetWriter],
  ['filesystem.json_writer', runJsonWriter],
  ['postgres.extractor', runPostgresExtractor],
  ['postgres.writer', runPostgresWriter],
  ['supabase.extractor', runSupabaseExtractor],
  ['supabase.writer', runSupabaseWriter],
]);

export function getImplementation(component: string): StepImplementation | undefined {
  return implementations.get(component);
}
