import { TOOL_NAMES, type AgentSettings, type ChatMessage, type LlmResponse, type ToolCall, type ToolName, type ToolResult } from '../agent/types.js';

export interface LlmCompleteInput {
  messages: ChatMessage[];
  settings: AgentSettings;
}

export interface ToolInput {
  call: ToolCall;
  settings: AgentSettings;
}

type ToolActivity = (input: ToolInput) => Promise<ToolResult>;

/** `list_tables` -> `listTables`: a tool's activity type, derived from its name. */
type ActivityName<N extends string> = N extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<ActivityName<Tail>>}` : N;

function activityName<N extends string>(name: N): ActivityName<N> {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) as ActivityName<N>;
}

/**
 * Activity type per tool, so the Web UI shows `searchData`, `previewSql`... in the history rather
 * than one opaque "runTool". Pure: the workflow maps tool calls through it.
 */
export const TOOL_ACTIVITY = Object.fromEntries(TOOL_NAMES.map((name) => [name, activityName(name)])) as { [N in ToolName]: ActivityName<N> };

export type AgentActivities = { llmComplete(input: LlmCompleteInput): Promise<LlmResponse> } & Record<(typeof TOOL_ACTIVITY)[ToolName], ToolActivity>;
