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
import type { ToolCall } from '../agent/types.js';
import type { ConversationInput, ConversationView } from './conversation-types.js';
import { checkPayload, messagePayload } from './conversation-payloads.js';
import { ConversationSession, initialState } from './conversation-session.js';
import { approveSignal, endSignal, pipelineQuery, rejectSignal, sendMessageUpdate, stateQuery, transcriptQuery } from './messages.js';
import { pipelineRun } from './pipeline-run.js';
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

/**
 * One chat session (docs/architecture.md §5). Each user message is an Update that runs an agent turn;
 * approval is a signal naming the fingerprint of the pipeline shown; an approved pipeline runs as a
 * child `pipelineRun`. Long sessions continue as new, carrying their state. The rules live in
 * ConversationSession; this function registers the handlers (every payload checked at the boundary)
 * and runs the main loop, like the safe-message-handlers sample.
 */
export async function conversation(input: ConversationInput): Promise<ConversationView> {
  const session = new ConversationSession(input.carried ?? initialState(), input, {
    newId: uuid4,
    onStatus: (status) => upsertSearchAttributes([{ key: OsirisStatus, value: status }]),
    runChild: async (pipeline, workflowId) => {
      try {
        return await executeChild(pipelineRun, {
          workflowId,
          taskQueue: CONTROL_TASK_QUEUE,
          args: [{ manifest: pipeline.manifest, fingerprint: pipeline.fingerprint, target: input.target, oml: pipeline.oml, ...(input.hostFailover ? { hostFailover: input.hostFailover } : {}) }],
        });
      } catch (err) {
        throw err instanceof ChildWorkflowFailure && err.cause ? err.cause : err;
      }
    },
  });
  const { state } = session;
  let busy = false;
  let ended = false;

  upsertMemo({ sessionId: input.sessionId, connection: input.settings.connection });
  upsertSearchAttributes([{ key: OsirisSession, value: input.sessionId }]);
  session.setStatus(state.status);

  const executeTool = (call: ToolCall) =>
    agent[TOOL_ACTIVITY[call.name]].executeWithOptions({ summary: `${call.name} ${JSON.stringify(call.arguments).slice(0, 120)}` }, [{ call, settings: input.settings }]);
  const agentTurn = (text: string) =>
    runAgentTurn(
      { history: state.messages, userText: text, maxSteps: input.settings.maxStepsPerTurn },
      { complete: (messages) => llm.llmComplete({ messages, settings: input.settings }), executeTool },
    );

  setHandler(
    sendMessageUpdate,
    async (text) => {
      busy = true;
      try {
        return await session.handleMessage(text.trim(), agentTurn);
      } finally {
        busy = false;
      }
    },
    {
      // Refusals here reject the update before it enters the history; nothing is recorded.
      validator: (text: unknown) => {
        const checked = checkPayload(messagePayload, text);
        if (!checked.ok) throw new Error(checked.reason);
        if (ended) throw new Error('This conversation has ended; start a new session.');
        if (busy) throw new Error('The previous message is still being answered; wait for its reply.');
        if (session.activeRun) throw new Error('A pipeline run is in progress; wait for it to finish (osiris show SESSION).');
      },
    },
  );
  // Signal payloads are `unknown` on purpose: anyone can send one with the plain `temporal` CLI.
  setHandler(approveSignal, (payload: unknown) => session.approveSignal(payload));
  setHandler(rejectSignal, (payload: unknown) => session.rejectSignal(payload));
  setHandler(endSignal, () => {
    ended = true;
  });
  setHandler(stateQuery, () => session.view());
  setHandler(transcriptQuery, () => state.transcript);
  setHandler(pipelineQuery, () => session.pendingSummary());

  // Wait for the end, or for the server to suggest continue-as-new at a quiet moment: no turn being
  // answered, no run in flight (a child would be cut off), every handler done.
  await condition(() => ended || (workflowInfo().continueAsNewSuggested && !busy && !session.activeRun && allHandlersFinished()));
  if (ended) {
    await condition(() => !busy && !session.activeRun && allHandlersFinished());
    session.setStatus('done');
    return session.view();
  }
  return continueAsNew<typeof conversation>({
    ...input,
    carried: { ...state, messages: compactHistory(state.messages, CARRIED_MESSAGES), generation: state.generation + 1 },
  });
}
