/**
 * Turns a model's tool call into a ToolCall, validating it with the tool's zod schema. A call that
 * cannot run keeps its error in `invalid`; the agent loop sends that back so the model repairs it.
 */
import { parseToolArguments } from '../tools.js';
import { TOOL_NAMES, type ToolCall, type ToolName } from '../types.js';

export function decodeToolCall(id: string, name: string, args: string | unknown): ToolCall {
  const known = (TOOL_NAMES as readonly string[]).includes(name);
  const call: ToolCall = { id, name: name as ToolName, arguments: {} };
  let value = args;
  if (typeof args === 'string') {
    try {
      value = args.trim() === '' ? {} : JSON.parse(args);
    } catch (err) {
      return { ...call, rawArguments: args, invalid: `The arguments are not valid JSON (${(err as Error).message}). Send one JSON object.` };
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ...call, rawArguments: typeof args === 'string' ? args : JSON.stringify(args), invalid: 'The arguments must be one JSON object.' };
  }
  call.arguments = value as Record<string, unknown>;
  if (!known) return { ...call, invalid: `There is no tool "${name}". Tools: ${TOOL_NAMES.join(', ')}.` };
  const parsed = parseToolArguments(call.name, value);
  return parsed.ok ? call : { ...call, invalid: `Invalid arguments for ${name}:\n${parsed.error}` };
}
