import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { setTimeout as sleep } from 'node:timers/promises';
import { ulid } from 'ulid';
import type { AgentSettings } from '../agent/types.js';
import type { ProjectConfig } from '../config/project-config.js';
import { OsirisError } from '../errors.js';
import type { conversation } from '../workflows/conversation.js';
import type { ApprovalRecord, Reply, RunRecord } from '../workflows/conversation-types.js';
import type { HostFailoverOptions } from '../workflows/host-failover.js';
import { sessionWorkflowId } from '../workflows/ids.js';
import { approveSignal, pipelineQuery, sendMessageUpdate, stateQuery } from '../workflows/messages.js';
import { CONTROL_TASK_QUEUE, type ExecutionTarget } from '../workflows/task-queues.js';

export type ConversationHandle = WorkflowHandle<typeof conversation>;

export { sessionWorkflowId };

/** Short, sortable, easy to type: `s-` + the time-ordered part of a ULID and 4 random characters. */
export function newSessionId(): string {
  const id = ulid().toLowerCase();
  return `s-${id.slice(4, 10)}${id.slice(-4)}`;
}

export function agentSettings(config: Pick<ProjectConfig, 'agent'>): AgentSettings {
  return { connection: config.agent.connection, sampleSize: config.agent.sample_size, maxStepsPerTurn: config.agent.max_steps_per_turn };
}

/** How a session's workflow is started: attached to when it is already running. */
function conversationStart(sessionId: string, settings: AgentSettings, target: ExecutionTarget, hostFailover?: HostFailoverOptions) {
  return {
    taskQueue: CONTROL_TASK_QUEUE,
    workflowId: sessionWorkflowId(sessionId),
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    args: [{ sessionId, settings, target, ...(hostFailover ? { hostFailover } : {}) }] as Parameters<typeof conversation>,
  };
}

/** Starts the session's workflow, or attaches to it when it is already running. */
export async function openConversation(
  client: Client,
  sessionId: string,
  settings: AgentSettings,
  target: ExecutionTarget,
  hostFailover?: HostFailoverOptions,
): Promise<WorkflowHandleWithFirstExecutionRunId<typeof conversation>> {
  return client.workflow.start<typeof conversation>('conversation', conversationStart(sessionId, settings, target, hostFailover));
}

/**
 * Starts the session's workflow (or attaches to it) and sends one message, in one request
 * (update-with-start): a new session takes its first message in its first workflow task.
 */
export function openAndSend(client: Client, sessionId: string, settings: AgentSettings, target: ExecutionTarget, text: string, hostFailover?: HostFailoverOptions): Promise<Reply> {
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof conversation>('conversation', conversationStart(sessionId, settings, target, hostFailover));
  return readableUpdateFailure(client.workflow.executeUpdateWithStart(sendMessageUpdate, { args: [text], startWorkflowOperation }));
}

/** Session ids as `newSessionId` makes them, or chosen with `chat --session ID --new`. */
const SESSION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkSessionId(sessionId: string): void {
  if (!SESSION_ID.test(sessionId)) {
    throw new OsirisError('CONFIG_INVALID', `"${sessionId.slice(0, 80)}" is not a session id`, {
      hint: 'Session ids look like s-4edqkef49b (letters, digits, - and _, at most 64): see `osiris sessions`.',
    });
  }
}

/**
 * `chat --session ID` continues an open session; it never silently starts a new workflow under the id
 * of an unknown or ended one (that would hide the old transcript). `--new` allows exactly that.
 */
export async function checkSessionOpen(client: Client, sessionId: string, allowNew: boolean): Promise<void> {
  let status: string | undefined;
  try {
    status = (await client.workflow.getHandle(sessionWorkflowId(sessionId)).describe()).status.name;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  if (status === 'RUNNING') {
    if (allowNew) throw new OsirisError('CONFIG_INVALID', `Session "${sessionId}" is still open`, { hint: `Continue it without --new: osiris chat --session ${sessionId} "..."` });
    return;
  }
  if (allowNew) return;
  throw new OsirisError('CONFIG_INVALID', status ? `Session "${sessionId}" has ended (${status.toLowerCase().replaceAll('_', ' ')})` : `No session "${sessionId}"`, {
    hint: status
      ? `See its transcript with \`osiris show ${sessionId}\`; start a new session with \`osiris chat\` (or reuse the id with --new).`
      : 'List sessions with `osiris sessions`; start a new one with `osiris chat` (or with this id: --session ID --new).',
  });
}

/** An existing session; a clear error when there is none. */
export async function existingConversation(client: Client, sessionId: string): Promise<ConversationHandle> {
  const handle = client.workflow.getHandle<typeof conversation>(sessionWorkflowId(sessionId));
  try {
    await handle.describe();
  } catch {
    throw new OsirisError('CONFIG_INVALID', `No session "${sessionId}"`, { hint: 'List sessions with `osiris sessions`, or start one with `osiris chat`.' });
  }
  return handle;
}

/** One message through the `sendMessage` update; a refused message (validator) becomes a readable error. */
export function sendMessage(handle: ConversationHandle, text: string): Promise<Reply> {
  return readableUpdateFailure(handle.executeUpdate(sendMessageUpdate, { args: [text] }));
}

async function readableUpdateFailure(update: Promise<Reply>): Promise<Reply> {
  try {
    return await update;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      throw new OsirisError('CONFIG_INVALID', `Message not accepted: ${err.cause?.message ?? err.message}`, {
        hint: 'See the session with `osiris show SESSION`.',
      });
    }
    throw err;
  }
}

export type ApprovalOutcome = { accepted: false; approval: ApprovalRecord } | { accepted: true; run: RunRecord };

/**
 * Signals `approve` with the pending pipeline's fingerprint (or the one given), then follows the
 * session until the workflow has accepted or refused it and, if accepted, until the run has ended.
 */
export async function approveAndWait(handle: ConversationHandle, options: { fingerprint?: string; by: string; onWait?: (run?: RunRecord) => void }): Promise<ApprovalOutcome> {
  const [before, pending] = await Promise.all([handle.query(stateQuery), options.fingerprint ? undefined : handle.query(pipelineQuery)]);
  const fingerprint = options.fingerprint ?? pending?.fingerprint;
  if (!fingerprint) {
    throw new OsirisError('CONFIG_INVALID', `Session ${before.sessionId} has no pipeline waiting for approval`, {
      hint: 'Ask for a pipeline first (e.g. `osiris chat --session ID "export ... to csv"`), then approve it.',
    });
  }
  await handle.signal(approveSignal, { fingerprint, by: options.by });
  // The session takes the signal, and records a closed run, within a workflow task: ask often then.
  let quickUntil = Date.now() + QUICK_WINDOW_MS;
  let runClosed = false;
  for (;;) {
    const state = await handle.query(stateQuery);
    const approval = state.approvals[before.approvals.length];
    if (approval && !approval.accepted) return { accepted: false, approval };
    const run = approval ? state.runs[before.runs.length] : undefined;
    options.onWait?.(run);
    if (run && run.status !== 'running') return { accepted: true, run };
    if (run && !runClosed) {
      // Wait for the run's workflow to close (one long poll) instead of asking the session every
      // 250 ms meanwhile. How it ended is the session's to say: read from its state, not from here.
      runClosed = true;
      await handle.client.getHandle(run.workflowId).result().catch(() => {});
      quickUntil = Date.now() + QUICK_WINDOW_MS;
      continue;
    }
    await sleep(Date.now() < quickUntil ? QUICK_POLL_MS : SLOW_POLL_MS);
  }
}

/** approveAndWait asks every 50 ms for 2 s after the signal and after the run closed, else every 250 ms. */
const QUICK_POLL_MS = 50;
const QUICK_WINDOW_MS = 2_000;
const SLOW_POLL_MS = 250;
