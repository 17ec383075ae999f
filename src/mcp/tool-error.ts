/**
 * What a failed MCP call tells the client: a code, a message and the fix, never a stack trace.
 * Temporal wraps worker errors (WorkflowFailedError -> ActivityFailure -> ApplicationFailure); the
 * innermost ApplicationFailure carries our error code as its type and the hint in its details.
 */
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/client';
import { isOsirisError } from '../errors.js';

export class McpToolError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'McpToolError';
  }
}

export interface ToolErrorBody {
  code: string;
  message: string;
  fix: string;
}

export function toolErrorBody(err: unknown): ToolErrorBody {
  if (err instanceof McpToolError) return { code: err.code, message: err.message, fix: err.fix };
  if (isOsirisError(err)) return { code: err.code, message: err.message, fix: err.hint };
  if (err instanceof WorkflowNotFoundError) return { code: 'NOT_FOUND', message: err.message, fix: 'Check the id: runs_list lists runs, chat returns the session id.' };
  const failure = innermostApplicationFailure(err);
  if (failure) {
    const hint = (failure.details?.[0] as { hint?: unknown } | undefined)?.hint;
    return { code: failure.type ?? 'FAILED', message: failure.message, fix: typeof hint === 'string' ? hint : 'See the workflow in the Temporal Web UI for details.' };
  }
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err), fix: 'Retry; if it persists, see the osiris mcp log (stderr) and the worker logs.' };
}

function innermostApplicationFailure(err: unknown): ApplicationFailure | undefined {
  let found: ApplicationFailure | undefined;
  for (let current: unknown = err; current instanceof Error; current = current.cause) if (current instanceof ApplicationFailure) found = current;
  return found;
}
