import { isConnectionRef } from '../connections/ref.js';
import type { ResolvedConnection } from '../connections/types.js';
import { getComponentSpec, getImplementation } from '../connectors/families.js';
import { isOsirisError, OsirisError, type ErrorCode } from '../errors.js';
import type { ManifestStep } from '../oml/manifest.js';
import type { ExecuteStep, RunSetup, StepOptions, StepResult } from '../dataplane/step-contract.js';

/** Runs one compiled step: looks up its component, times it, and turns unexpected errors into OsirisErrors. */
export const executeStep: ExecuteStep = async (step: ManifestStep, setup: RunSetup, options: StepOptions = {}): Promise<StepResult> => {
  const implementation = getImplementation(step.component);
  if (implementation === undefined) {
    throw new OsirisError('CONFIG_INVALID', `Step "${step.id}": component "${step.component}" has no implementation in this worker`, {
      hint: 'Use a component listed by `osiris components`, or run the step on a worker that has it.',
    });
  }
  const started = performance.now();
  try {
    const { resolveConnection, ...place } = setup;
    const connections = await resolveStepConnections(step, resolveConnection);
    const outcome = await implementation(step, { ...place, connections }, options);
    return { stepId: step.id, component: step.component, ...outcome, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    throw toStepError(step, err);
  }
};

/** The connections named by the component's connection keys, each resolved once, for local and sandbox runs alike. */
async function resolveStepConnections(step: ManifestStep, resolve: RunSetup['resolveConnection']): Promise<Map<string, ResolvedConnection>> {
  const refs = (getComponentSpec(step.component)?.connectionKeys ?? []).map((key) => step.config[key]).filter(isConnectionRef);
  return new Map(await Promise.all([...new Set(refs)].map(async (ref): Promise<[string, ResolvedConnection]> => [ref, await resolve(ref)])));
}

// DuckDB reports SQL problems as "<Kind> Error: ..."; these kinds cannot be fixed by retrying.
const DUCKDB_SQL_ERRORS = ['Parser', 'Binder', 'Catalog', 'Conversion', 'Invalid Input', 'Constraint', 'Not implemented', 'Out of Range', 'Permission', 'Syntax', 'Type', 'Dependency', 'Sequence'].map((kind) => `${kind} Error:`);
const TRANSIENT_SQLITE = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_IOERR', 'SQLITE_PROTOCOL', 'SQLITE_INTERRUPT'];
const TRANSIENT_ERRNO = ['EAGAIN', 'EBUSY', 'EMFILE', 'ENFILE', 'ETIMEDOUT', 'ECONNRESET', 'EINTR'];
// File-system errors that stay the same on every attempt, with what to change.
const PERMANENT_ERRNO: Record<string, string> = {
  ENOENT: 'a file or directory it names does not exist',
  EACCES: 'permission is denied on a path it names',
  EPERM: 'the operation is not permitted on a path it names',
  ENAMETOOLONG: 'a path it names is too long for the file system',
  EISDIR: 'a path it names is a directory where a file is expected',
  ENOTDIR: 'a path it names goes through something that is not a directory',
  ELOOP: 'a path it names loops through symbolic links',
  EROFS: 'a path it names is on a read-only file system',
};
// better-sqlite3 throws a RangeError without a code for a query holding several statements.
const SQLITE_MULTI_STATEMENT = /more than one statement/i;

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
  const permanent = PERMANENT_ERRNO[code];
  if (permanent !== undefined) return ['CONFIG_INVALID', false, `Step "${step.id}": ${permanent} (${code}); fix the paths in its config or osiris_connections.yaml.`];
  if (SQLITE_MULTI_STATEMENT.test(message)) return ['SQL_ERROR', false, `The query of step "${step.id}" holds more than one statement; write a single SELECT.`];
  if (message.startsWith('Out of Memory Error:')) {
    return ['CONFIG_INVALID', false, `Step "${step.id}" needs more memory than its DuckDB limit: raise OSIRIS_DUCKDB_MEMORY_LIMIT (e.g. 1GB) for the worker, or narrow the step's query.`];
  }
  if (DUCKDB_SQL_ERRORS.some((prefix) => message.startsWith(prefix))) {
    return ['SQL_ERROR', false, `Fix the SQL of step "${step.id}": earlier outputs are tables df_<step_id>; check table and column names.`];
  }
  return retry;
}
