import type { ComponentSpec } from '../connectors/spec.js';
import type { ManifestStep } from './manifest.js';

/**
 * Marks each step whose only reader is a file writer (an extractor feeding a Parquet writer) to store
 * its output as that writer's file (`stored_as`), when its component can: the rows are then parsed and
 * encoded once, on their way in, and the writer copies the file. A step read by anything else, or by
 * two steps, keeps its DuckDB table. Pure: part of the manifest, so of the pipeline's fingerprint.
 */
export function planStoredOutputs(steps: ManifestStep[], specs: ReadonlyMap<string, ComponentSpec>): void {
  for (const step of steps) {
    const formats = specs.get(step.id)?.storesOutputAs;
    if (formats === undefined) continue;
    const readers = steps.filter((other) => other.needs.includes(step.id));
    const reader = readers.length === 1 ? readers[0]! : undefined;
    const file = reader && reader.needs.length === 1 ? specs.get(reader.id)?.writesFile?.(reader.config) : undefined;
    if (file && formats.includes(file.format)) step.stored_as = file;
  }
}
