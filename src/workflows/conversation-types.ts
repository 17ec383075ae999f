import type { RowSet } from '../connectors/discovery.js';
import type { AgentSettings, ChatMessage, ProposedPipeline, ReplyPart } from '../agent/types.js';
import type { HostFailoverOptions } from './host-failover.js';
import type { ExecutionTarget } from './task-queues.js';

export type ConversationStatus = 'awaiting_input' | 'thinking' | 'awaiting_approval' | 'running' | 'done' | 'failed';

export interface PipelineSummary {
  name: string;
  fingerprint: string;
  oml: string;
}

/** What people read: the conversation without the model's tool plumbing. */
export interface TranscriptEntry {
  role: 'user' | 'assistant' | 'system';
  text: string;
  pipeline?: PipelineSummary;
  rows?: RowSet;
}

export interface RunRecord {
  workflowId: string;
  pipeline: string;
  fingerprint: string;
  approvedBy: string;
  status: 'running' | 'completed' | 'failed';
  rowsWritten?: number;
  outputs?: string[];
  error?: string;
}

export interface ApprovalRecord {
  fingerprint: string;
  by: string;
  accepted: boolean;
  /** Why a refused approval was refused. */
  reason?: string;
}

/** Everything the conversation knows; carried whole across continue-as-new. */
export interface ConversationState {
  status: ConversationStatus;
  /** The model's view (compacted on continue-as-new). */
  messages: ChatMessage[];
  transcript: TranscriptEntry[];
  pending?: ProposedPipeline;
  runs: RunRecord[];
  approvals: ApprovalRecord[];
  turns: number;
  /** How many times this conversation has continued as new. */
  generation: number;
}

export interface ConversationInput {
  sessionId: string;
  settings: AgentSettings;
  target: ExecutionTarget;
  /** Failover settings for the runs it starts (osiris.yaml execution.host_timeout_seconds / max_host_attempts). */
  hostFailover?: HostFailoverOptions;
  carried?: ConversationState;
}

export interface Reply {
  text: string;
  status: ConversationStatus;
  /** The model call failed (after retries); the text says why. */
  modelFailed?: boolean;
  pipeline?: PipelineSummary;
  rows?: RowSet;
  /** Which of `pipeline` / `rows` the text already shows, when the model said (see LlmResponse.shows). */
  shows?: ReplyPart[];
  run?: RunRecord;
}

export interface ApproveArgs {
  fingerprint: string;
  by: string;
}

export interface RejectArgs {
  reason: string;
  by: string;
}

/** The `state` query: a summary for `osiris sessions` / `osiris show` and any Temporal client. */
export interface ConversationView {
  sessionId: string;
  status: ConversationStatus;
  target: ExecutionTarget;
  connection: string;
  pending?: PipelineSummary;
  runs: RunRecord[];
  approvals: ApprovalRecord[];
  turns: number;
  generation: number;
}

export const MAX_MESSAGE_CHARS = 4000;
