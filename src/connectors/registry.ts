import type { ManifestStep } from '../oml/manifest.js';
import type { RunContext, StepOptions, StepResult } from '../dataplane/step-contract.js';

/** What a component reports; `executeStep` adds the step id, component name and timing. */
export type StepOutcome = Pick<StepResult, 'rows' | 'outputs'>;

export type StepImplementation = (step: ManifestStep, ctx: RunContext, options: StepOptions) => Promise<StepOutcome>;

type Loader = () => Promise<StepImplementation>;

/**
 * Component name -> where its implementation lives. Each is imported on first use, so a process
 * that runs one step (a sandbox's runtime) loads only that component's modules and native driver,
 * not mysql2, pg, supabase-js and better-sqlite3 for every step. Never import this from workflow code.
 */
const loaders: ReadonlyMap<string, Loader> = new Map<string, Loader>([
  ['sqlite.extractor', async () => (await import('./sqlite/extractor.js')).runSqliteExtractor],
  ['sqlite.writer', async () => (await import('./sqlite/writer.js')).runSqliteWriter],
  ['mysql.extractor', async () => (await import('./mysql/extractor.js')).runMysqlExtractor],
  ['mysql.writer', async () => (await import('./mysql/writer.js')).runMysqlWriter],
  ['duckdb.processor', async () => (await import('./duckdb/processor.js')).runDuckdbProcessor],
  ['filesystem.csv_extractor', async () => (await import('./filesystem/csv-extractor.js')).runCsvExtractor],
  ['filesystem.csv_writer', async () => (await import('./filesystem/file-writer.js')).runCsvWriter],
  ['filesystem.parquet_writer', async () => (await import('./filesystem/file-writer.js')).runParquetWriter],
  ['filesystem.json_writer', async () => (await import('./filesystem/file-writer.js')).runJsonWriter],
  ['postgres.extractor', async () => (await import('./postgres/extractor.js')).runPostgresExtractor],
  ['postgres.writer', async () => (await import('./postgres/writer.js')).runPostgresWriter],
  ['supabase.extractor', async () => (await import('./supabase/extractor.js')).runSupabaseExtractor],
  ['supabase.writer', async () => (await import('./supabase/writer.js')).runSupabaseWriter],
]);

/** Component name -> implementation; the implementation's modules load when it first runs. */
export const implementations: ReadonlyMap<string, StepImplementation> = new Map(
  [...loaders].map(([component, load]): [string, StepImplementation] => {
    let loaded: Promise<StepImplementation> | undefined;
    const implementation: StepImplementation = async (step, ctx, options) => {
      // A failed import (a missing driver) is not remembered: the retried step tries again.
      loaded ??= load().catch((err: unknown) => {
        loaded = undefined;
        throw err;
      });
      return (await loaded)(step, ctx, options);
    };
    return [component, implementation];
  }),
);

export function getImplementation(component: string): StepImplementation | undefined {
  return implementations.get(component);
}
