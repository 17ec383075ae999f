import {
  allHandlersFinished,
  ChildWorkflowFailure,
  condition,
  continueAsNew,
  executeChild,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { TOOL_ACTIVITY, type AgentActivities } from '../activities/agent-types.js';
import { compactHistory, runAgentTurn } from '../agent/agent-loop.js';
import { parseDirective } from '../agent/directives.js';
import type { ProposedPipeline, ToolCall } from '../agent/types.js';
import {
  MAX_MESSAGE_CHARS,
  type ConversationInput,
  type ConversationState,
  type ConversationStatus,
  type ConversationView,
  type PipelineSummary,
  type Reply,
  type RunRecord,
} from './conversation-types.js';
import { approveSignal, endSignal, pipelineQuery, rejectSignal, sendMessageUpdate, stateQuery, transcriptQuery } from './messages.js';
import { pipelineRun } from './pipeline-run.js';
import { rowsWritten } from './run-summary.js';
import { OsirisSession, OsirisStatus } from './search-attributes.js';
import { CONTROL_TASK_QUEUE } from './task-queues.js';
import { LLM_RETRY } from '../agent/providers/retry-policy.js';

/** Messages kept for the model across continue-as-new (the transcript keeps everything). */
const CARRIED_MESSAGES = 60;

const agent = proxyActivities<AgentActivities>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 4 },
});

/** Model calls get more room: providers rate-limit (429 with Retry-After, honoured via nextRetryDelay). */
const llm = proxyActivities<Pick<AgentActivities, 'llmComplete'>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: LLM_RETRY.initialIntervalMs,
    backoffCoefficient: LLM_RETRY.backoffCoefficient,
    maximumInterval: LLM_RETRY.maximumIntervalMs,
    maximumAttempts: LLM_RETRY.maximumAttempts,
  },
});

function summarize(p: ProposedPipeline): PipelineSummary {
  return { name: p.name, fingerprint: p.fingerprint, oml: p.oml };
}

/**
 * One chat session (DESIGN.md section 2). Each user message is an Update that runs an agent turn;
 * approval is a signal naming the fingerprint of the pipeline shown; an approved pipeline runs as a
 * child `pipelineRun`. Long sessions continue as new, carrying their state.
 */
export async function conversation(input: ConversationInput): Promise<ConversationView> {
  const state: ConversationState = input.carried ?? {
    status: 'awaiting_input',
    messages: [],
    transcript: [],
    runs: [],
    approvals: [],
    turns: 0,
    generation: 0,
  };
  let busy = false;
  let ended = false;
  let activeRun: Promise<RunRecord> | undefined;

  const setStatus = (status: ConversationStatus) => {
    state.status = status;
    upsertSearchAttributes([{ key: OsirisStatus, value: status }]);
  };
  upsertMemo({ sessionId: input.sessionId, connection: input.settings.connection });
  upsertSearchAttributes([{ key: OsirisSession, value: input.sessionId }]);
  setStatus(state.status);

  const view = (): ConversationView => ({
    sessionId: input.sessionId,
    status: state.status,
    target: input.target,
    connection: input.settings.connection,
    pending: state.pending && summarize(state.pending),
    runs: state.runs,
    approvals: state.approvals,
    turns: state.turns,
    generation: state.generation,
  });

  /** Approval from the signal or the chat box: refused (and recorded) unless it names the pending pipeline. */
  const approve = (fingerprint: string, by: string): Promise<RunRecord> | string => {
    const refuse = (reason: string) => {
      state.approvals.push({ fingerprint, by, accepted: false, reason });
      state.transcript.push({ role: 'system', text: `Approval by ${by} refused: ${reason}` });
      return reason;
    };
    if (activeRun) return refuse('a pipeline is already running');
    if (!state.pending) return refuse('no pipeline is waiting for approval');
    if (fingerprint !== state.pending.fingerprint) {
      return refuse(`fingerprint ${fingerprint.slice(0, 12)} is not the pending pipeline's (${state.pending.fingerprint.slice(0, 12)}); it may have been revised`);
    }
    state.approvals.push({ fingerprint, by, accepted: true });
    const pipeline = state.pending;
    state.pending = undefined;
    activeRun = runPipeline(pipeline, by).finally(() => (activeRun = undefined));
    return activeRun;
  };

  const runPipeline = async (pipeline: ProposedPipeline, by: string): Promise<RunRecord> => {
    const record: RunRecord = {
      workflowId: `osiris-run-${pipeline.name}-${pipeline.fingerprint.slice(0, 8)}-${uuid4().slice(0, 8)}`,
      pipeline: pipeline.name,
      fingerprint: pipeline.fingerprint,
      approvedBy: by,
      status: 'running',
    };
    state.runs.push(record);
    state.transcript.push({ role: 'system', text: `${by} approved ${pipeline.name} (${pipeline.fingerprint.slice(0, 12)}); running as ${record.workflowId}` });
    setStatus('running');
    try {
      const result = await executeChild(pipelineRun, {
        workflowId: record.workflowId,
        taskQueue: CONTROL_TASK_QUEUE,
        args: [{ manifest: pipeline.manifest, fingerprint: pipeline.fingerprint, target: input.target, oml: pipeline.oml }],
      });
      record.status = 'completed';
      record.rowsWritten = rowsWritten(pipeline.manifest, result.steps);
      record.outputs = result.outputs.map((o) => o.path);
      state.transcript.push({ role: 'system', text: `Run ${record.workflowId} completed: ${record.rowsWritten} rows written to ${record.outputs.join(', ') || '(no files)'}` });
      setStatus('awaiting_input');
    } catch (err) {
      const cause = err instanceof ChildWorkflowFailure && err.cause ? err.cause : err;
      record.status = 'failed';
      record.error = cause instanceof Error ? cause.message : String(cause);
      state.transcript.push({ role: 'system', text: `Run ${record.workflowId} failed: ${record.error}` });
      setStatus('failed');
    }
    return record;
  };

  const reject = (reason: string, by: string): string => {
    if (!state.pending) return 'There is no pipeline to reject.';
    const name = state.pending.name;
    state.pending = undefined;
    state.transcript.push({ role: 'system', text: `${by} rejected ${name}: ${reason}` });
    setStatus('awaiting_input');
    return `Rejected ${name}. Tell me what to change and I will propose a revised pipeline.`;
  };

  const executeTool = (call: ToolCall) =>
    agent[TOOL_ACTIVITY[call.name]].executeWithOptions({ summary: `${call.name} ${JSON.stringify(call.arguments).slice(0, 120)}` }, [{ call, settings: input.settings }]);

  const handleMessage = async (text: string): Promise<Reply> => {
    state.transcript.push({ role: 'user', text });
    state.turns++;
    const directive = parseDirective(text);
    if (directive?.kind === 'approve') {
      const outcome = state.pending ? approve(state.pending.fingerprint, 'chat') : approve('', 'chat');
      if (typeof outcome === 'string') return reply(`Nothing was run: ${outcome}.`);
      const run = await outcome;
      return { ...reply(run.status === 'completed' ? `Done: ${run.rowsWritten} rows written to ${run.outputs?.join(', ')}.` : `The run failed: ${run.error}`), run };
    }
    if (directive?.kind === 'reject') return reply(reject(directive.reason, 'chat'));

    setStatus('thinking');
    const turn = await runAgentTurn(
      { history: state.messages, userText: text, maxSteps: input.settings.maxStepsPerTurn },
      { complete: (messages) => llm.llmComplete({ messages, settings: input.settings }), executeTool },
    );
    state.messages.push(...turn.messages);
    if (turn.pipeline) state.pending = turn.pipeline;
    const pipeline = turn.pipeline && summarize(turn.pipeline);
    state.transcript.push({ role: 'assistant', text: turn.reply, pipeline, rows: turn.rows });
    setStatus(state.pending ? 'awaiting_approval' : 'awaiting_input');
    return { text: turn.reply, status: state.status, pipeline, rows: turn.rows, ...(turn.modelFailed ? { modelFailed: true } : {}) };
  };

  const reply = (text: string): Reply => {
    state.transcript.push({ role: 'assistant', text });
    return { text, status: state.status };
  };

  setHandler(
    sendMessageUpdate,
    async (text) => {
      busy = true;
      try {
        return await handleMessage(text.trim());
      } finally {
        busy = false;
      }
    },
    {
      validator: (text) => {
        if (typeof text !== 'string' || text.trim() === '') throw new Error('The message is empty.');
        if (text.length > MAX_MESSAGE_CHARS) throw new Error(`The message has ${text.length} characters; the limit is ${MAX_MESSAGE_CHARS}.`);
        if (ended) throw new Error('This conversation has ended; start a new session.');
        if (busy) throw new Error('The previous message is still being answered; wait for its reply.');
        if (activeRun) throw new Error('A pipeline run is in progress; wait for it to finish (osiris show SESSION).');
      },
    },
  );
  setHandler(approveSignal, ({ fingerprint, by }) => {
    void approve(fingerprint, by);
  });
  setHandler(rejectSignal, ({ reason, by }) => {
    reject(reason, by);
  });
  setHandler(endSignal, () => {
    ended = true;
  });
  setHandler(stateQuery, view);
  setHandler(transcriptQuery, () => state.transcript);
  setHandler(pipelineQuery, () => (state.pending ? summarize(state.pending) : null));

  // Wait for the end, or for the server to suggest continue-as-new at a quiet moment: no turn being
  // answered, no run in flight (a child would be cut off), every handler done.
  await condition(() => ended || (workflowInfo().continueAsNewSuggested && !busy && !activeRun && allHandlersFinished()));
  if (ended) {
    await condition(() => !busy && !activeRun && allHandlersFinished());
    setStatus('done');
    return view();
  }
  return continueAsNew<typeof conversation>({
    ...input,
    carried: { ...state, messages: compactHistory(state.messages, CARRIED_MESSAGES), generation: state.generation + 1 },
  });
}
