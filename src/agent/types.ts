/**
 * The agent's contracts (docs/architecture.md §5). Pure types: the conversation workflow imports them.
 * Everything here crosses the workflow/activity boundary, so it must stay JSON and secret-free.
 */
import type { Manifest } from '../oml/manifest.js';
import type { Problem } from '../oml/problem.js';
import type { RowSet } from '../connectors/discovery.js';

export const TOOL_NAMES = ['list_tables', 'describe_table', 'sample_rows', 'search_data', 'preview_sql', 'propose_pipeline'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

export interface ToolCall {
  /** Unique within the conversation (providers give their own; the offline planner numbers them). */
  id: string;
  name: ToolName;
  arguments: Record<string, unknown>;
  /**
   * Set by the LLM activity when the model's call cannot run (arguments not JSON, failing the tool's
   * schema, or an unknown tool): the loop sends this back to the model instead of running the tool.
   */
  invalid?: string;
  /** The model's argument text when it was not a JSON object, so the call can be replayed to it verbatim. */
  rawArguments?: string;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; name: ToolName; content: string };

export interface ToolDefinition {
  name: ToolName;
  description: string;
  /** JSON Schema of the arguments (generated from the zod schema). */
  parameters: Record<string, unknown>;
}

export interface LlmRequest {
  system: string;
  messages: ChatMessage[];
  tools: ToolDefinition[];
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
}

/** Structured parts of a reply that a client renders itself (rows as a table, a pipeline's OML). */
export type ReplyPart = 'rows' | 'pipeline';

export interface LlmResponse {
  text?: string;
  /**
   * Parts the text already shows in full (the offline planner prints small tables and the OML), so
   * clients render only the others from the structured data. Absent: the provider does not say.
   */
  shows?: ReplyPart[];
  toolCalls: ToolCall[];
  usage?: LlmUsage;
  /** Which provider/model answered (shown in the Web UI activity result). */
  model: string;
}

export interface LlmProvider {
  readonly name: string;
  complete(request: LlmRequest, options: { signal?: AbortSignal }): Promise<LlmResponse>;
}

/** A pipeline the agent proposed, validated and compiled. The manifest holds connection references only. */
export interface ProposedPipeline {
  name: string;
  oml: string;
  fingerprint: string;
  manifest: Manifest;
  /** Warnings only (a pipeline with errors is not proposed). */
  warnings: Problem[];
}

export interface ToolResult {
  toolCallId: string;
  name: ToolName;
  ok: boolean;
  /** What the model reads: JSON text, capped in size (rows capped at the configured sample size). */
  content: string;
  /** Served from the discovery cache rather than the database (visible in the workflow history). */
  cached?: boolean;
  /** Rows to show the user (preview_sql, sample_rows), capped like `content`. */
  rows?: RowSet;
  /** Set by a successful propose_pipeline. */
  pipeline?: ProposedPipeline;
  /** A failure the model is expected to repair; the loop bounds how often it may try. */
  repair?: RepairKind;
}

/** invalid_arguments: a tool call that failed validation; sql_preview: a proposed pipeline whose SQL failed its preview. */
export type RepairKind = 'invalid_arguments' | 'sql_preview';

/** Settings that shape tool results; part of the conversation input, so they are fixed per session. */
export interface AgentSettings {
  /** Default connection for tools that are given none (e.g. `@sqlite.demo`). */
  connection: string;
  /** Rows per sample / preview / search result that may enter the history and the model's context. */
  sampleSize: number;
  /** Tool calls + LLM calls allowed in one turn before the agent must answer. */
  maxStepsPerTurn: number;
}

/** One user message's worth of agent work, run by the conversation workflow. */
export interface TurnInput {
  /** Earlier messages of the conversation (possibly compacted). */
  history: ChatMessage[];
  userText: string;
  /** LLM calls allowed in this turn before the agent must answer. */
  maxSteps: number;
}

/** What the loop needs from the outside world: in the workflow, each is an activity. */
export interface TurnDeps {
  complete(messages: ChatMessage[]): Promise<LlmResponse>;
  executeTool(call: ToolCall): Promise<ToolResult>;
}

export interface TurnOutcome {
  reply: string;
  /** The messages this turn added: the user's, assistant tool-call messages, tool results, the final answer. */
  messages: ChatMessage[];
  toolResults: ToolResult[];
  /** From the last successful propose_pipeline of this turn. */
  pipeline?: ProposedPipeline;
  /** The last rows a tool returned in this turn, for display. */
  rows?: RowSet;
  /** What the final answer's text already shows (LlmResponse.shows). */
  shows?: ReplyPart[];
  llmCalls: number;
  /** The model could not be reached or refused (after retries): the reply says why. */
  modelFailed?: boolean;
}
