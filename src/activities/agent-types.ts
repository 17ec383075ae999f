import type { AgentSettings, ChatMessage, LlmResponse, ToolCall, ToolName, ToolResult } from '../agent/types.js';

export interface LlmCompleteInput {
  messages: ChatMessage[];
  settings: AgentSettings;
}

export interface ToolInput {
  call: ToolCall;
  settings: AgentSettings;
}

type ToolActivity = (input: ToolInput) => Promise<ToolResult>;

/**
 * Activity type per tool, so the Web UI shows `searchData`, `previewSql`... in the history rather
 * than one opaque "runTool". Pure: the workflow maps tool calls through it.
 */
export const TOOL_ACTIVITY = {
  list_tables: 'listTables',
  describe_table: 'describeTable',
  sample_rows: 'sampleRows',
  search_data: 'searchData',
  preview_sql: 'previewSql',
  propose_pipeline: 'proposePipeline',
} as const satisfies Record<ToolName, string>;

export type AgentActivities = { llmComplete(input: LlmCompleteInput): Promise<LlmResponse> } & Record<(typeof TOOL_ACTIVITY)[ToolName], ToolActivity>;
