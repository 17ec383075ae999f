import type { ComponentSpec } from './spec.js';
import { duckdbProcessorSpec } from './duckdb/spec.js';
import { csvExtractorSpec, csvWriterSpec, jsonWriterSpec, parquetWriterSpec } from './filesystem/spec.js';
import { postgresExtractorSpec, postgresWriterSpec } from './postgres/spec.js';
import { mysqlExtractorSpec, mysqlWriterSpec } from './mysql/spec.js';
import { sqliteExtractorSpec, sqliteWriterSpec } from './sqlite/spec.js';
import { supabaseExtractorSpec, supabaseWriterSpec } from './supabase/spec.js';

/** Every component this build knows, by name. Pure: safe to import from workflows and the validator. */
export const componentSpecs: ReadonlyMap<string, ComponentSpec> = new Map(
  [
    sqliteExtractorSpec,
    sqliteWriterSpec,
    mysqlExtractorSpec,
    mysqlWriterSpec,
    duckdbProcessorSpec,
    csvExtractorSpec,
    csvWriterSpec,
    parquetWriterSpec,
    jsonWriterSpec,
    postgresExtractorSpec,
    postgresWriterSpec,
    supabaseExtractorSpec,
    supabaseWriterSpec,
  ].map((spec) => [spec.name, spec]),
);

export function getComponentSpec(name: string): ComponentSpec | undefined {
  return componentSpecs.get(name);
}
