import type { z } from 'zod';
import type { StepMode, StoredOutput } from '../oml/manifest.js';

/**
 * What OML validation and `osiris components` need to know about a component. Pure data + zod
 * schemas, so workflows and the validator can import it without touching native drivers.
 */
export interface ComponentSpec {
  /** e.g. `sqlite.extractor` */
  name: string;
  /** Pinned into the manifest; bump when the config meaning changes. */
  version: string;
  /** Connection family this component talks to (`@<family>.alias`), if any. */
  family?: string;
  modes: StepMode[];
  description: string;
  /** Strict object schema of the step's `config`. */
  config: z.ZodObject;
  /** Config keys holding a `@family.alias` connection reference. */
  connectionKeys: string[];
  /** Config keys holding DuckDB SQL that must be a single read-only query. */
  transformSqlKeys: string[];
  /** Config keys holding a file path that must stay inside the output directory. */
  outputPathKeys: string[];
  /** Config keys holding a file the step reads, confined to the input directory (the project by default). */
  inputPathKeys?: string[];
  /** Output formats a read step of this component can store its rows in directly (see `ManifestStep.stored_as`). */
  storesOutputAs?: StoredOutput['format'][];
  /** For a writer: the file its config asks for, which an input step that stores it directly saves it re-encoding. */
  writesFile?: (config: Record<string, unknown>) => StoredOutput;
  /** Example config, shown by `osiris components show`. */
  example: Record<string, unknown>;
}
