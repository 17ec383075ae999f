import type { ComponentSpec } from './spec.js';
import { duckdbProcessorSpec } from './duckdb/spec.js';
import { csvExtractorSpec, csvWriterSpec, jsonWriterSpec, parquetWriterSpec } from './filesystem/spec.js';
import { sqliteExtractorSpec, sqliteWriterSpec } from './sqlite/spec.js';

/** Every component this build knows, by name. Pure: safe to import from workflows and the validator. */
export const componentSpecs: ReadonlyMap<string, ComponentSpec> = new Map(
  [
    sqliteExtractorSpec,
    sqliteWriterSpec,
    duckdbProcessorSpec,
    csvExtractorSpec,
    csvWriterSpec,
    parquetWriterSpec,
    jsonWriterSpec,
  ].map((spec) => [spec.name, spec]),
);

export function getComponentSpec(name: string): ComponentSpec | undefined {
  return componentSpecs.get(name);
}
