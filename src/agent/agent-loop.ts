/**
 * The agent loop of one conversation turn. PURE: the conversation workflow imports it, so it uses no
 * Node APIs, clocks or randomness; every effect goes through `deps` (activities in the workflow).
 */
import type { ChatMessage, ToolCall, ToolResult, TurnDeps, TurnInput, TurnOutcome } from './types.js';

export async function runAgentTurn(input: TurnInput, deps: TurnDeps): Promise<TurnOutcome> {
  const messages: ChatMessage[] = [{ role: 'user', content: input.userText }];
  const outcome: Omit<TurnOutcome, 'reply'> = { messages, toolResults: [], llmCalls: 0 };
  while (outcome.llmCalls < input.maxSteps) {
    const response = await deps.complete([...input.history, ...messages]);
    outcome.llmCalls += 1;
    if (response.toolCalls.length === 0) return finish(outcome, response.text ?? '');
    messages.push({ role: 'assistant', content: response.text ?? '', toolCalls: response.toolCalls });
    // Calls of one response are independent by contract; results stay in call order for the model.
    const results = await Promise.all(response.toolCalls.map((call) => deps.executeTool(call).catch((err: unknown) => failedCall(call, err))));
    for (const result of results) {
      outcome.toolResults.push(result);
      messages.push({ role: 'tool', toolCallId: result.toolCallId, name: result.name, content: result.content });
      if (result.ok && result.pipeline) outcome.pipeline = result.pipeline;
      if (result.rows) outcome.rows = result.rows;
    }
  }
  return finish(outcome, stoppedReply(input.maxSteps, outcome.toolResults));
}

function finish(outcome: Omit<TurnOutcome, 'reply'>, reply: string): TurnOutcome {
  outcome.messages.push({ role: 'assistant', content: reply });
  return { reply, ...outcome };
}

/** A tool whose activity failed after its retries: the model sees the error and can try something else. */
function failedCall(call: ToolCall, err: unknown): ToolResult {
  return { toolCallId: call.id, name: call.name, ok: false, content: JSON.stringify({ error: errorChain(err), hint: 'The tool failed after retries; try another approach or tell the user.' }) };
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
