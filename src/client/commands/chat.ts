import os from 'node:os';
import readline from 'node:readline/promises';
import pc from 'picocolors';
import { loadProjectConfig, type ProjectConfig } from '../../config/project-config.js';
import { OsirisError } from '../../errors.js';
import { rejectSignal, endSignal, stateQuery, transcriptQuery } from '../../workflows/messages.js';
import { EXECUTION_TARGETS, type ExecutionTarget } from '../../workflows/task-queues.js';
import { requireWorkers } from '../check-workers.js';
import {
  agentSettings,
  approveAndWait,
  checkSessionId,
  checkSessionOpen,
  existingConversation,
  newSessionId,
  openAndSend,
  openConversation,
  sendMessage,
  sessionWorkflowId,
  type ConversationHandle,
} from '../conversation-client.js';
import { hostFailoverOf } from '../start-run.js';
import { EXIT, printError } from '../output.js';
import { formatReply, formatRun, formatTranscript, formatPipeline } from '../render-reply.js';
import { withSpinner } from '../spinner.js';
import type { TemporalSession } from '../temporal-connection.js';
import type { Reply } from '../../workflows/conversation-types.js';
import { webUiWorkflowUrl } from '../web-ui-url.js';
import { withTemporal } from '../with-temporal.js';

/** Conversations need workflow code running (queries too): the project worker in embedded mode. */
const WORKER = { worker: true };

function resolveTarget(config: ProjectConfig, requested?: string): ExecutionTarget {
  const target = (requested ?? config.execution.target) as ExecutionTarget;
  if (!EXECUTION_TARGETS.includes(target)) {
    throw new OsirisError('CONFIG_INVALID', `Unknown target "${requested}"`, { hint: `Use --target ${EXECUTION_TARGETS.join(' or ')}.` });
  }
  return target;
}

/** Sends one message and prints the reply; false when the model call failed. */
async function ask(send: Promise<Reply>, sessionId: string): Promise<boolean> {
  const reply = await withSpinner('osiris is working (discovery, tools, model)...', send);
  process.stdout.write(`${pc.bold(pc.magenta('osiris'))}> ${formatReply(reply, sessionId)}\n`);
  return !reply.modelFailed;
}

/** `osiris chat [message]`: one-shot with a message, interactive without one. */
export async function chatCommand(words: string[], opts: { session?: string; target?: string; new?: boolean }): Promise<number> {
  const config = loadProjectConfig();
  const target = resolveTarget(config, opts.target);
  const message = words.join(' ').trim();
  if (!message && !process.stdin.isTTY) {
    throw new OsirisError('CONFIG_INVALID', 'No message given and no terminal to chat in', { hint: 'Pass the message as an argument: osiris chat "find director Ava DuVernay".' });
  }
  if (opts.session !== undefined) checkSessionId(opts.session);
  const sessionId = opts.session ?? newSessionId();
  return withTemporal(config, async (session) => {
    if (!config.embedded) await requireWorkers(session.client, target);
    if (opts.session !== undefined) await checkSessionOpen(session.client, opts.session, opts.new === true);
    const start = [session.client, sessionId, agentSettings(config), target] as const;
    process.stderr.write(pc.dim(`session ${sessionId}${session.uiUrl ? `  ${webUiWorkflowUrl(session.uiUrl, session.namespace, sessionWorkflowId(sessionId))}` : ''}`) + '\n');
    if (message) return (await ask(openAndSend(...start, message, hostFailoverOf(config.execution)), sessionId)) ? EXIT.ok : EXIT.failed;
    return interactive(await openConversation(...start, hostFailoverOf(config.execution)), sessionId);
  }, WORKER);
}

async function interactive(handle: ConversationHandle, sessionId: string): Promise<number> {
  process.stdout.write(pc.dim('Type a message. /approve, /reject REASON, /show, /end (ends the session), /quit (leaves it open).') + '\n');
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  // Ctrl-C or Ctrl-D at the prompt leaves the session open and exits cleanly.
  const leave = new AbortController();
  rl.on('SIGINT', () => leave.abort());
  rl.once('close', () => leave.abort());
  try {
    for (;;) {
      let line: string;
      try {
        line = (await rl.question(`${pc.bold(pc.blue('you'))}> `, { signal: leave.signal })).trim();
      } catch (err) {
        if (leave.signal.aborted) break;
        throw err;
      }
      if (!line) continue;
      try {
        if (line === '/quit') break;
        if (line === '/end') {
          await handle.signal(endSignal);
          break;
        }
        if (line === '/show') process.stdout.write(formatTranscript(await handle.query(transcriptQuery), sessionId) + '\n');
        else if (line === '/approve') await approveAndReport(handle, {});
        else if (line.startsWith('/reject')) await handle.signal(rejectSignal, { reason: line.slice(7).trim() || 'rejected', by: whoAmI() });
        else await ask(sendMessage(handle, line), sessionId);
      } catch (err) {
        printError(err);
      }
    }
  } finally {
    rl.close();
  }
  process.stdout.write('\n' + pc.dim(`Continue later with: osiris chat --session ${sessionId}`) + '\n');
  return EXIT.ok;
}

function whoAmI(): string {
  return process.env.USER || os.userInfo().username || 'cli';
}

async function approveAndReport(handle: ConversationHandle, opts: { fingerprint?: string }): Promise<number> {
  let current = '';
  const outcome = await withSpinner(
    () => current || 'waiting for the conversation to take the approval...',
    approveAndWait(handle, { fingerprint: opts.fingerprint, by: whoAmI(), onWait: (run) => (current = run ? `running ${run.workflowId}...` : current) }),
  );
  if (!outcome.accepted) {
    process.stderr.write(`${pc.red('refused:')} ${outcome.approval.reason}\n`);
    return EXIT.failed;
  }
  process.stdout.write(formatRun(outcome.run) + '\n');
  return outcome.run.status === 'completed' ? EXIT.ok : EXIT.failed;
}

export async function approveCommand(sessionId: string, opts: { fingerprint?: string }): Promise<number> {
  const config = loadProjectConfig();
  return withTemporal(config, async (session) => approveAndReport(await existingConversation(session.client, sessionId), opts), WORKER);
}

export async function rejectCommand(sessionId: string, opts: { reason: string }): Promise<number> {
  const config = loadProjectConfig();
  return withTemporal(config, async (session) => {
    const handle = await existingConversation(session.client, sessionId);
    const before = await handle.query(stateQuery);
    if (!before.pending) throw new OsirisError('CONFIG_INVALID', `Session ${sessionId} has no pipeline waiting for approval`, { hint: 'Nothing to reject.' });
    await handle.signal(rejectSignal, { reason: opts.reason, by: whoAmI() });
    process.stdout.write(`Rejected ${before.pending.name}. Send a message to revise it: osiris chat --session ${sessionId} "..."\n`);
    return EXIT.ok;
  }, WORKER);
}

export async function showCommand(sessionId: string): Promise<number> {
  const config = loadProjectConfig();
  return withTemporal(config, async (session) => {
    const handle = await existingConversation(session.client, sessionId);
    const [state, transcript] = await Promise.all([handle.query(stateQuery), handle.query(transcriptQuery)]);
    process.stdout.write(`${pc.bold(`session ${sessionId}`)}  status ${state.status}  target ${state.target}  connection ${state.connection}  turns ${state.turns}\n\n`);
    process.stdout.write(formatTranscript(transcript, sessionId) + '\n');
    if (state.pending) process.stdout.write(`\n${formatPipeline(state.pending, sessionId)}\n`);
    if (state.runs.length > 0) process.stdout.write(`\nruns:\n${state.runs.map((r) => `  ${formatRun(r)}`).join('\n')}\n`);
    printUiLink(session, handle.workflowId);
    return EXIT.ok;
  }, WORKER);
}

function printUiLink(session: TemporalSession, workflowId: string): void {
  if (session.uiUrl) process.stdout.write(pc.dim(`web ui ${webUiWorkflowUrl(session.uiUrl, session.namespace, workflowId)}`) + '\n');
}

/** The scripted conversation of the README, end to end, in a fresh session. */
export const DEMO_SCRIPT = ['find director Ava DuVernay', 'export her movies with their average rating to csv'];

export async function demoCommand(opts: { target?: string }): Promise<number> {
  const config = loadProjectConfig();
  const target = resolveTarget(config, opts.target);
  const sessionId = newSessionId();
  return withTemporal(config, async (session) => {
    if (!config.embedded) await requireWorkers(session.client, target);
    const handle = await openConversation(session.client, sessionId, agentSettings(config), target, hostFailoverOf(config.execution));
    process.stdout.write(pc.dim(`session ${sessionId}`) + '\n');
    for (const text of DEMO_SCRIPT) {
      process.stdout.write(`\n${pc.bold(pc.blue('you'))}> ${text}\n`);
      await ask(sendMessage(handle, text), sessionId);
    }
    const state = await handle.query(stateQuery);
    if (!state.pending) {
      process.stderr.write(`${pc.red('error:')} the demo expected a proposed pipeline to approve\n`);
      return EXIT.failed;
    }
    process.stdout.write(`\n${pc.bold(pc.blue('you'))}> ${pc.dim(`osiris approve ${sessionId}`)}\n`);
    const code = await approveAndReport(handle, { fingerprint: state.pending.fingerprint });
    await handle.signal(endSignal);
    printUiLink(session, handle.workflowId);
    return code;
  }, WORKER);
}
