import type { RunExplanation } from '../client/report/explain-run.js';
import type { Manifest } from '../oml/manifest.js';
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

/** One connection of osiris_connections.yaml as shown to a client: secret values masked. */
export interface ConnectionEntry {
  reference: string;
  family: string;
  display: Record<string, string>;
  builtin: boolean;
}

export interface ConnectionCheck {
  reference: string;
  ok: boolean;
  /** What the database reported (version, tables...) when it answered. */
  detail?: string;
  error?: { code: string; message: string; hint?: string };
}

/** One validation finding: where it is (line, column, path), which rule, and how to fix it. */
export interface Finding {
  severity: 'error' | 'warning';
  rule: string;
  path: string;
  line?: number;
  column?: number;
  message: string;
  fix: string;
}

export interface PipelineTextInput {
  oml: string;
  params?: Record<string, string | number | boolean>;
}

export type CompileOutcome =
  | { ok: true; name: string; fingerprint: string; manifest: Manifest; warnings: Finding[] }
  | { ok: false; findings: Finding[] };

/**
 * What a client may ask the workers for outside a conversation (the MCP server): it reads project
 * files and opens databases, so it runs on the workers, never in the client's process.
 */
export interface ProjectActivities {
  listProjectConnections(): Promise<ConnectionEntry[]>;
  testProjectConnections(input: { refs: string[] }): Promise<ConnectionCheck[]>;
  validatePipelineText(input: PipelineTextInput): Promise<{ valid: boolean; findings: Finding[] }>;
  compilePipelineText(input: PipelineTextInput): Promise<CompileOutcome>;
  explainRun(input: { run: string }): Promise<RunExplanation>;
}

export type ProjectActivityName = keyof ProjectActivities;

/** Every activity the `agentTool` workflow may run: a tool of the agent or a project action. */
export type AgentToolRequest =
  | { [N in ToolName]: { activity: (typeof TOOL_ACTIVITY)[N]; input: ToolInput } }[ToolName]
  | { [A in ProjectActivityName]: { activity: A; input: Parameters<ProjectActivities[A]>[0] } }[ProjectActivityName];
