/**
 * What crosses the sandbox boundary. The host uploads a StepRequest (no secrets: connections are
 * `@family.alias` references), passes each resolved connection as an environment variable of the
 * one command that runs the step, and reads SandboxEvents back, one JSON object per stdout line.
 */
import type { ResolvedConnection } from '../../connections/types.js';
import { OsirisError, type ErrorCode } from '../../errors.js';
import { parseConnectionRef } from '../../connections/ref.js';
import type { ManifestStep } from '../../oml/manifest.js';
import type { StepResult } from '../../dataplane/step-contract.js';

export interface StepRequest {
  step: ManifestStep;
  /** Paths as the sandbox sees them. */
  workspaceDir: string;
  outputDir: string;
  projectDir: string;
}

export interface SandboxError {
  name: string;
  message: string;
  /** Set for OsirisErrors: they keep their code, hint and retryability across the boundary. */
  code?: ErrorCode;
  hint?: string;
  retryable?: boolean;
}

export type SandboxEvent =
  | { type: 'progress'; stepId: string; rows: number }
  | { type: 'result'; result: StepResult }
  | { type: 'error'; error: SandboxError };

/**
 * One variable per connection, its value JSON (keeps numbers and booleans typed, and any alias
 * spelling: `a-b` and `a_b` would collide in a variable name). The index carries no meaning.
 */
export const CONNECTION_ENV_PREFIX = 'OSIRIS_CONN_';

export function connectionEnv(connections: readonly ResolvedConnection[]): Record<string, string> {
  return Object.fromEntries(connections.map((c, i) => [`${CONNECTION_ENV_PREFIX}${i}`, JSON.stringify(c)]));
}

export function connectionsFromEnv(env: NodeJS.ProcessEnv): Map<string, ResolvedConnection> {
  const found = new Map<string, ResolvedConnection>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(CONNECTION_ENV_PREFIX) || value === undefined) continue;
    const connection = JSON.parse(value) as ResolvedConnection;
    found.set(`@${connection.family}.${connection.alias}`, connection);
  }
  return found;
}

export function toSandboxError(err: unknown): SandboxError {
  if (err instanceof OsirisError) return { name: err.name, message: err.message, code: err.code, hint: err.hint, retryable: err.retryable };
  const error = err instanceof Error ? err : new Error(String(err));
  return { name: error.name, message: error.message };
}

/** The host side of toSandboxError: OsirisErrors come back as OsirisErrors (non-retryable stays so). */
export function fromSandboxError(e: SandboxError): Error {
  if (e.code !== undefined) return new OsirisError(e.code, e.message, { hint: e.hint ?? '', retryable: e.retryable });
  const error = new Error(e.message);
  error.name = e.name;
  return error;
}

/** Connection references anywhere in a step's config: what the host must resolve for it. */
export function connectionRefs(config: unknown): string[] {
  const refs = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === 'string' && parseConnectionRef(node)) refs.add(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') Object.values(node).forEach(walk);
  };
  walk(config);
  return [...refs];
}
