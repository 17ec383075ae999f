import { getImplementation } from '../connectors/registry.js';
import { isOsirisError, OsirisError, type ErrorCode } from '../errors.js';
import type { ManifestStep } from '../oml/manifest.js';
import type { ExecuteStep, RunContext, StepOptions, StepResult } from './types.js';

/** Runs one compiled step: looks up its component, times it, and turns unexpected errors into OsirisErrors. */
export const executeStep: ExecuteStep = async (step: ManifestStep, ctx: RunContext, options: StepOptions = {}): Promise<StepResult> => {
  const implementation = getImplementation(step.component);
  if (implementation === undefined) {
    throw new OsirisError('CONFIG_INVALID', `Step "${step.id}": component "${step.component}" has no implementation in this worker`, {
      hint: 'Use a component listed by `osiris components`, or run the step on a worker that has it.',
    });
  }
  const started = performance.now();
  try {
    const outcome = await implementation(step, ctx, options);
    return { stepId: step.id, component: step.component, ...outcome, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    throw toStepError(step, err);
  }
};

// DuckDB reports SQL problems as "<Kind> Error: ..."; these kinds cannot be fixed by retrying.
const DUCKDB_SQL_ERRORS = ['Parser', 'Binder', 'Catalog', 'Conversion', 'Invalid Input', 'Constraint', 'Not implemented', 'Out of Range', 'Permission', 'Syntax', 'Type', 'Dependency', 'Sequence'].map((kind) => `${kind} Error:`);
const TRANSIENT_SQLITE = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_PROTOCOL', 'SQLITE_INTERRUPT'];
const TRANSIENT_ERRNO = ['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'ECONNRESET', 'EINTR'];

function toStepError(step: ManifestStep, err: unknown): unknown {
  if (isOsirisError(err) || (err instanceof Error && err.name === 'AbortError')) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  const [errorCode, retryable, hint] = classify(typeof code === 'string' ? code : '', message, step);
  return new OsirisError(errorCode, `Step "${step.id}" (${step.component}): ${message}`, { hint, retryable, cause: err });
}

function classify(code: string, message: string, step: ManifestStep): [ErrorCode, boolean, string] {
  const retry: [ErrorCode, boolean, string] = ['TRANSIENT', true, 'Temporary failure; the step is retried automatically. If it persists, check the disk and the database.'];
  if (code.startsWith('SQLITE_')) {
    if (TRANSIENT_SQLITE.some((prefix) => code.startsWith(prefix))) return retry;
    if (code.startsWith('SQLITE_CANTOPEN')) return ['CONNECTION_FAILED', false, 'Check the SQLite connection path in osiris_connections.yaml.'];
    return ['SQL_ERROR', false, `Fix the SQL or table/column names in step "${step.id}".`];
  }
  if (TRANSIENT_ERRNO.includes(code)) return retry;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') return ['CONFIG_INVALID', false, `Check the paths in step "${step.id}" and their permissions.`];
  if (message.startsWith('Out of Memory Error:')) {
    return ['CONFIG_INVALID', false, `Step "${step.id}" needs more memory than its DuckDB limit: raise OSIRIS_DUCKDB_MEMORY_LIMIT (e.g. 1GB) for the worker, or narrow the step's query.`];
  }
  if (DUCKDB_SQL_ERRORS.some((prefix) => message.startsWith(prefix))) {
    return ['SQL_ERROR', false, `Fix the SQL of step "${step.id}": earlier outputs are tables df_<step_id>; check table and column names.`];
  }
  return retry;
}
