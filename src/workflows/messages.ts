import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ApproveArgs, ConversationView, PipelineSummary, RejectArgs, Reply, TranscriptEntry } from './conversation-types.js';
import type { RunProgress } from './run-progress.js';

/** Signals, updates and queries (docs/architecture.md §5). Exported for users' own clients and workflows. */

/** pipelineRun: the run as the workflow knows it. */
export const progressQuery = defineQuery<RunProgress>('progress');

/** conversation: one user message in, the assistant's reply out. */
export const sendMessageUpdate = defineUpdate<Reply, [string]>('sendMessage');
/** conversation: run the pending pipeline; `fingerprint` must name the pipeline being approved. */
export const approveSignal = defineSignal<[ApproveArgs]>('approve');
export const rejectSignal = defineSignal<[RejectArgs]>('reject');
export const endSignal = defineSignal('end');
export const stateQuery = defineQuery<ConversationView>('state');
export const transcriptQuery = defineQuery<TranscriptEntry[]>('transcript');
export const pipelineQuery = defineQuery<PipelineSummary | null>('pipeline');
