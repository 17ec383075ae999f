/**
 * The agent loop of one conversation turn. PURE: the conversation workflow imports it, so it uses no
 * Node APIs, clocks or randomness; every effect goes through `deps` (activities in the workflow).
 */
import { readFailureDetails } from '../failure-details.js';
import type { ChatMessage, LlmResponse, RepairKind, ToolCall, ToolResult, TurnDeps, TurnInput, TurnOutcome } from './types.js';

/**
 * Failures of one kind the model may repair in a turn (invalid tool arguments; proposals whose SQL
 * fails its preview) before the agent gives up and tells the user the last error.
 */
export const MAX_REPAIR_ATTEMPTS = 3;

export async function runAgentTurn(input: TurnInput, deps: TurnDeps): Promise<TurnOutcome> {
  const messages: ChatMessage[] = [{ role: 'user', content: input.userText }];
  const outcome: Omit<TurnOutcome, 'reply'> = { messages, toolResults: [], llmCalls: 0 };
  const repairs: Record<RepairKind, number> = { invalid_arguments: 0, sql_preview: 0 };
  while (outcome.llmCalls < input.maxSteps) {
    let response: LlmResponse;
    try {
      response = await deps.complete([...input.history, ...messages]);
    } catch (err) {
      // A model that cannot be reached after Temporal's retries ends the turn with the reason, not the session.
      if (isCancellation(err)) throw err;
      outcome.modelFailed = true;
      return finish(outcome, `I could not get an answer from the model: ${plainError(err)}`);
    }
    outcome.llmCalls += 1;
    if (response.toolCalls.length === 0) return finish({ ...outcome, shows: response.shows }, response.text ?? '');
    messages.push({ role: 'assistant', content: response.text ?? '', toolCalls: response.toolCalls });
    // Calls of one response are independent by contract; results stay in call order for the model.
    const results = await Promise.all(
      response.toolCalls.map((call) => (call.invalid === undefined ? deps.executeTool(call).catch((err: unknown) => failedCall(call, err)) : Promise.resolve(invalidCall(call, call.invalid)))),
    );
    for (const result of results) {
      outcome.toolResults.push(result);
      messages.push({ role: 'tool', toolCallId: result.toolCallId, name: result.name, content: result.content });
      if (result.ok && result.pipeline) outcome.pipeline = result.pipeline;
      if (result.rows) outcome.rows = result.rows;
      if (result.repair && ++repairs[result.repair] > MAX_REPAIR_ATTEMPTS) return finish(outcome, gaveUpReply(result, repairs[result.repair]));
    }
  }
  return finish(outcome, stoppedReply(input.maxSteps, outcome.toolResults));
}

/** Validation failed where the model answered: the tool never runs, the model reads why. */
function invalidCall(call: ToolCall, error: string): ToolResult {
  return { toolCallId: call.id, name: call.name, ok: false, repair: 'invalid_arguments', content: JSON.stringify({ error, modelHint: 'Correct the call as the error says and send it again.' }) };
}

/**
 * `failures` counts the failed calls of that kind (the first one and every repair attempt). The
 * tool's hint speaks to the model ("correct the call and send it again"), so the user gets the error only.
 */
function gaveUpReply(last: ToolResult, failures: number): string {
  const { error } = parseError(last.content);
  const what = last.repair === 'sql_preview' ? 'a pipeline whose SQL runs' : `a valid ${last.name} call`;
  return `I could not produce ${what}: ${failures} attempts failed. The last error was: ${error}\nRephrase the request or give me more detail (table or column names) and I will try again.`;
}

/** `hint` is for the user (shown when the agent gives up); `modelHint` in a tool result is for the model only. */
function parseError(content: string): { error: string; hint?: string } {
  try {
    const parsed = JSON.parse(content) as { error?: unknown; hint?: unknown };
    return { error: String(parsed.error ?? content), hint: typeof parsed.hint === 'string' ? parsed.hint : undefined };
  } catch {
    return { error: content };
  }
}

/** Temporal failures are matched by name: this module stays free of Temporal imports. */
function isCancellation(err: unknown): boolean {
  for (let current: unknown = err; current instanceof Error; current = current.cause) if (current.name === 'CancelledFailure') return true;
  return false;
}

/** The innermost message (Temporal wraps it: ActivityFailure -> ApplicationFailure) and its hint, if any. */
function plainError(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  let hint: string | undefined;
  for (let current: unknown = err; current instanceof Error; current = current.cause) {
    if (current.message) message = current.message;
    hint = readFailureDetails((current as { details?: unknown[] }).details).hint ?? hint;
  }
  return hint ? `${message}\n${hint}` : message;
}

function finish(outcome: Omit<TurnOutcome, 'reply'>, reply: string): TurnOutcome {
  outcome.messages.push({ role: 'assistant', content: reply });
  return { reply, ...outcome };
}

/** A tool whose activity failed after its retries: the model sees the error and can try something else. */
function failedCall(call: ToolCall, err: unknown): ToolResult {
  return { toolCallId: call.id, name: call.name, ok: false, content: JSON.stringify({ error: errorChain(err), modelHint: 'The tool failed after retries; try another approach or tell the user.' }) };
}

/** Temporal wraps the real error (ActivityFailure -> ApplicationFailure -> ...): show every distinct message. */
function errorChain(err: unknown): string {
  const parts: string[] = [];
  for (let current: unknown = err; current !== undefined && current !== null && parts.length < 5; current = (current as { cause?: unknown }).cause) {
    const message = current instanceof Error ? current.message : String(current);
    if (message !== '' && !parts.includes(message)) parts.push(message);
    if (!(current instanceof Error)) break;
  }
  return parts.join(': ') || 'unknown error';
}

const SUMMARY_CHARS = 160;

function stoppedReply(maxSteps: number, results: ToolResult[]): string {
  const head = `I stopped after ${maxSteps} model calls without reaching an answer.`;
  if (results.length === 0) return `${head} No tool was run. Try a more specific request.`;
  const found = results.slice(-5).map((r) => {
    const text = r.content.length > SUMMARY_CHARS ? `${r.content.slice(0, SUMMARY_CHARS)}…` : r.content;
    return `- ${r.name} ${r.ok ? 'ok' : 'failed'}: ${text}`;
  });
  return `${head} What I found so far (last ${found.length} of ${results.length} tool results):\n${found.join('\n')}\nAsk again more specifically, or continue from here.`;
}

/**
 * Keeps the conversation within `maxMessages` by dropping the oldest whole turns (a turn starts at a
 * user message), so a tool call is never separated from its result. The latest turn is always kept,
 * even when it alone is longer.
 */
export function compactHistory(messages: ChatMessage[], maxMessages: number): ChatMessage[] {
  if (messages.length <= maxMessages) return messages;
  const turnStarts = messages.flatMap((m, index) => (m.role === 'user' ? [index] : []));
  const start = turnStarts.find((index) => messages.length - index <= maxMessages) ?? turnStarts.at(-1) ?? 0;
  return messages.slice(start);
}
