/**
 * The rules of one conversation: approval names the pending pipeline's fingerprint, a stale one is
 * refused, one run at a time, rejecting needs something pending, and every decision is written to
 * the transcript and the run/approval records. PURE: no Temporal APIs; the child run, run ids and
 * status publication are injected, so the rules are unit-tested without a server and the workflow
 * (conversation.ts) only registers handlers and runs the main loop.
 */
import { parseDirective } from '../agent/directives.js';
import type { ProposedPipeline, TurnOutcome } from '../agent/types.js';
import type { ConversationInput, ConversationState, ConversationStatus, ConversationView, PipelineSummary, Reply, RunRecord } from './conversation-types.js';
import { approvePayload, checkPayload, rejectPayload } from './conversation-payloads.js';
import type { PipelineRunResult } from './pipeline-run.js';
import { runWorkflowId } from './ids.js';
import { rowsWritten } from './run-summary.js';

export interface SessionDeps {
  /** Runs the approved pipeline as workflow `workflowId`; rejects with the run's own failure (not a wrapper). */
  runChild(pipeline: ProposedPipeline, workflowId: string): Promise<Pick<PipelineRunResult, 'steps' | 'outputs'>>;
  /** A fresh random id (uuid4 in the workflow: deterministic on replay). */
  newId(): string;
  /** Called on every status change (the workflow publishes it as a search attribute). */
  onStatus(status: ConversationStatus): void;
}

/** Who approved or rejected, when a raw signal does not say. */
const UNNAMED_SENDER = 'a Temporal client';

export function summarize(p: ProposedPipeline): PipelineSummary {
  return { name: p.name, fingerprint: p.fingerprint, oml: p.oml };
}

export function initialState(): ConversationState {
  return { status: 'awaiting_input', messages: [], transcript: [], runs: [], approvals: [], turns: 0, generation: 0 };
}

export class ConversationSession {
  /** The approved pipeline's run while it is going. */
  activeRun: Promise<RunRecord> | undefined;

  constructor(
    readonly state: ConversationState,
    private readonly input: Pick<ConversationInput, 'sessionId' | 'target' | 'settings'>,
    private readonly deps: SessionDeps,
  ) {}

  setStatus(status: ConversationStatus): void {
    this.state.status = status;
    this.deps.onStatus(status);
  }

  view(): ConversationView {
    const { state, input } = this;
    return {
      sessionId: input.sessionId,
      status: state.status,
      target: input.target,
      connection: input.settings.connection,
      pending: state.pending && summarize(state.pending),
      runs: state.runs,
      approvals: state.approvals,
      turns: state.turns,
      generation: state.generation,
    };
  }

  pendingSummary(): PipelineSummary | null {
    return this.state.pending ? summarize(this.state.pending) : null;
  }

  /** The `approve` signal: any payload; a malformed one is recorded and refused, never thrown. */
  approveSignal(payload: unknown): void {
    const checked = checkPayload(approvePayload, payload);
    if (!checked.ok) return this.refuseMalformed('approve', payload, checked.reason);
    void this.approve(checked.value.fingerprint, checked.value.by ?? UNNAMED_SENDER);
  }

  /** The `reject` signal: any payload; a malformed one is recorded and refused, never thrown. */
  rejectSignal(payload: unknown): void {
    const checked = checkPayload(rejectPayload, payload);
    if (!checked.ok) return this.refuseMalformed('reject', payload, checked.reason);
    const by = checked.value.by ?? UNNAMED_SENDER;
    if (!this.state.pending) {
      this.state.transcript.push({ role: 'system', text: `Rejection by ${by} refused: no pipeline is waiting for approval` });
      return;
    }
    this.reject(checked.value.reason, by);
  }

  /** Approval from the signal or the chat box: refused (and recorded) unless it names the pending pipeline. */
  approve(fingerprint: string, by: string): Promise<RunRecord> | string {
    const { state } = this;
    const refuse = (reason: string) => {
      state.approvals.push({ fingerprint, by, accepted: false, reason });
      state.transcript.push({ role: 'system', text: `Approval by ${by} refused: ${reason}` });
      return reason;
    };
    if (this.activeRun) return refuse('a pipeline is already running');
    if (!state.pending) return refuse('no pipeline is waiting for approval');
    if (fingerprint !== state.pending.fingerprint) {
      return refuse(`fingerprint ${fingerprint.slice(0, 12)} is not the pending pipeline's (${state.pending.fingerprint.slice(0, 12)}); it may have been revised`);
    }
    state.approvals.push({ fingerprint, by, accepted: true });
    const pipeline = state.pending;
    state.pending = undefined;
    this.activeRun = this.runPipeline(pipeline, by).finally(() => (this.activeRun = undefined));
    return this.activeRun;
  }

  /** Drops the pending pipeline; the reply says what happened. */
  reject(reason: string, by: string): string {
    const { state } = this;
    if (!state.pending) return 'There is no pipeline to reject.';
    const name = state.pending.name;
    state.pending = undefined;
    state.transcript.push({ role: 'system', text: `${by} rejected ${name}: ${reason}` });
    this.setStatus('awaiting_input');
    return `Rejected ${name}. Tell me what to change and I will propose a revised pipeline.`;
  }

  /** One user message: approve/reject typed in the chat, or a turn of the agent (`agentTurn`). */
  async handleMessage(text: string, agentTurn: (text: string) => Promise<TurnOutcome>): Promise<Reply> {
    const { state } = this;
    state.transcript.push({ role: 'user', text });
    state.turns++;
    const directive = parseDirective(text);
    if (directive?.kind === 'approve') {
      const outcome = this.approve(state.pending?.fingerprint ?? '', 'chat');
      if (typeof outcome === 'string') return this.reply(`Nothing was run: ${outcome}.`);
      const run = await outcome;
      return { ...this.reply(run.status === 'completed' ? `Done: ${run.rowsWritten} rows written to ${run.outputs?.join(', ')}.` : `The run failed: ${run.error}`), run };
    }
    if (directive?.kind === 'reject') return this.reply(this.reject(directive.reason, 'chat'));

    this.setStatus('thinking');
    const turn = await agentTurn(text);
    state.messages.push(...turn.messages);
    if (turn.pipeline) state.pending = turn.pipeline;
    const pipeline = turn.pipeline && summarize(turn.pipeline);
    state.transcript.push({ role: 'assistant', text: turn.reply, pipeline, rows: turn.rows });
    this.setStatus(state.pending ? 'awaiting_approval' : 'awaiting_input');
    return { text: turn.reply, status: state.status, pipeline, rows: turn.rows, shows: turn.shows, ...(turn.modelFailed ? { modelFailed: true } : {}) };
  }

  private reply(text: string): Reply {
    this.state.transcript.push({ role: 'assistant', text });
    return { text, status: this.state.status };
  }

  private refuseMalformed(signal: string, payload: unknown, reason: string): void {
    this.state.transcript.push({ role: 'system', text: `Refused a malformed ${signal} signal (${preview(payload)}): ${reason}` });
  }

  private async runPipeline(pipeline: ProposedPipeline, by: string): Promise<RunRecord> {
    const { state } = this;
    const record: RunRecord = {
      workflowId: runWorkflowId(pipeline.name, pipeline.fingerprint, this.deps.newId().slice(0, 8)),
      pipeline: pipeline.name,
      fingerprint: pipeline.fingerprint,
      approvedBy: by,
      status: 'running',
    };
    state.runs.push(record);
    state.transcript.push({ role: 'system', text: `${by} approved ${pipeline.name} (${pipeline.fingerprint.slice(0, 12)}); running as ${record.workflowId}` });
    this.setStatus('running');
    try {
      const result = await this.deps.runChild(pipeline, record.workflowId);
      record.status = 'completed';
      record.rowsWritten = rowsWritten(pipeline.manifest, result.steps);
      record.outputs = result.outputs.map((o) => o.path);
      state.transcript.push({ role: 'system', text: `Run ${record.workflowId} completed: ${record.rowsWritten} rows written to ${record.outputs.join(', ') || '(no files)'}` });
      this.setStatus('awaiting_input');
    } catch (err) {
      record.status = 'failed';
      record.error = err instanceof Error ? err.message : String(err);
      state.transcript.push({ role: 'system', text: `Run ${record.workflowId} failed: ${record.error}` });
      this.setStatus('failed');
    }
    return record;
  }
}

/** A short, printable rendering of what was sent (JSON; never the full payload). */
function preview(payload: unknown): string {
  if (payload === undefined) return 'no payload';
  let text: string;
  try {
    text = JSON.stringify(payload) ?? String(payload);
  } catch {
    text = String(payload);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
