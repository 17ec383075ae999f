/**
 * Runs one tool call for the agent (inside an activity). Every failure the model could act on comes
 * back as an `ok: false` result; only retryable errors are thrown, so Temporal retries them. Results
 * are compact JSON capped in rows and size, and never carry resolved connection values.
 */
import { isOsirisError } from '../errors.js';
import { OmlInvalidError } from '../oml/errors.js';
import { isError } from '../oml/problem.js';
import type { ToolContext } from './tool-context.js';
import type { ErrorContent } from './tool-content.js';
import { SqlPreviewError } from './preview-pipeline.js';
import { parseToolArguments, TOOLS, type ToolOutcome } from './tools.js';
import type { ToolCall, ToolResult } from './types.js';

export type { ToolContext } from './tool-context.js';

export async function executeTool(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
  const done = (ok: boolean, outcome: ToolOutcome): ToolResult => ({ toolCallId: call.id, name: call.name, ok, ...outcome });
  if (!Object.hasOwn(TOOLS, call.name)) {
    return done(false, failure({ error: `Unknown tool "${String(call.name)}"`, modelHint: `Tools: ${Object.keys(TOOLS).join(', ')}.` }));
  }
  const parsed = parseToolArguments(call.name, call.arguments);
  if (!parsed.ok) {
    return done(false, { ...failure({ error: `Invalid arguments for ${call.name}:\n${parsed.error}`, modelHint: 'Fix the arguments to match the tool schema and call it again.' }), repair: 'invalid_arguments' });
  }
  try {
    return done(true, await TOOLS[call.name].handler(parsed.value as never, ctx));
  } catch (err) {
    if (isOsirisError(err) && err.retryable) throw err;
    return done(false, { ...failure(errorContent(err)), repair: err instanceof SqlPreviewError ? 'sql_preview' : undefined });
  }
}

function failure(content: ErrorContent): ToolOutcome {
  return { content: JSON.stringify(content) };
}

function errorContent(err: unknown): ErrorContent {
  if (err instanceof OmlInvalidError) {
    const problems = err.problems.filter(isError).map(({ path, line, message, hint }) => ({ path, line, message, hint }));
    return { error: err.message.split('\n')[0] ?? err.message, code: err.code, hint: err.hint, problems };
  }
  if (isOsirisError(err)) return { error: err.message, code: err.code, hint: err.hint };
  return { error: err instanceof Error ? err.message : String(err) };
}
