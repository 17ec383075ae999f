/** MCP tools for the durable conversation: send a message, approve or reject its pending pipeline. */
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { agentSettings, existingConversation, newSessionId, openConversation, sendMessage, type ConversationHandle } from '../client/conversation-client.js';
import { hostFailoverOf } from '../client/start-run.js';
import { MAX_MESSAGE_CHARS, type ConversationView } from '../workflows/conversation-types.js';
import { approveSignal, rejectSignal, stateQuery } from '../workflows/messages.js';
import { McpToolError } from './tool-error.js';
import { args, defineTool, rowSetSchema } from './tool.js';

const pipelineSummary = z.object({ name: z.string(), fingerprint: z.string(), oml: z.string() });
const runRecord = z.object({
  workflowId: z.string(),
  pipeline: z.string(),
  fingerprint: z.string(),
  approvedBy: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  rowsWritten: z.number().optional(),
  outputs: z.array(z.string()).optional(),
  error: z.string().optional(),
});

/** Polls the session's state until `done` says what it was waiting for, or the time is up. */
async function waitForState(handle: ConversationHandle, done: (state: ConversationView) => boolean, ms: number): Promise<ConversationView> {
  const deadline = Date.now() + ms;
  for (;;) {
    const state = await handle.query(stateQuery);
    if (done(state) || Date.now() > deadline) return state;
    await sleep(200);
  }
}

export const chatTools = [
  defineTool({
    name: 'chat',
    description: "Talk to Osiris's own agent in a durable session (omit session to start one). Returns its reply and any pipeline pending approval with its fingerprint.",
    input: z.strictObject({
      message: z.string().min(1).max(MAX_MESSAGE_CHARS).describe('What you want, e.g. "export the movies table to csv"'),
      session: args.session.optional(),
    }),
    output: z.object({
      session: z.string(),
      reply: z.string(),
      status: z.string(),
      pipeline: pipelineSummary.optional(),
      rows: rowSetSchema.optional(),
      shows: z.array(z.enum(['rows', 'pipeline'])).optional().describe('Which of rows / pipeline the reply text already shows'),
      run: runRecord.optional(),
      webUi: z.string().optional(),
    }),
    async handler({ message, session }, ctx) {
      await ctx.workers.requireWorkers();
      const id = session ?? newSessionId();
      const handle = session
        ? await existingConversation(ctx.client, session)
        : await openConversation(ctx.client, id, agentSettings(ctx.config), ctx.config.execution.target, hostFailoverOf(ctx.config.execution));
      const reply = await sendMessage(handle, message);
      return { session: id, reply: reply.text, status: reply.status, pipeline: reply.pipeline, rows: reply.rows, shows: reply.shows, run: reply.run, webUi: ctx.webUi(handle.workflowId) };
    },
  }),
  defineTool({
    name: 'approve',
    description: 'Approve the pipeline pending in a chat session so it runs; records this MCP client as the approver. Pass the fingerprint you showed the human.',
    input: z.strictObject({
      session: args.session,
      fingerprint: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('Fingerprint of the pipeline being approved; default: the pending one'),
      wait: z.boolean().optional().describe('Wait for the run to end (up to 10 minutes)'),
    }),
    output: z.object({ session: z.string(), by: z.string(), run: runRecord }),
    async handler({ session, fingerprint, wait }, ctx) {
      const handle = await existingConversation(ctx.client, session);
      const before = await handle.query(stateQuery);
      const approving = fingerprint ?? before.pending?.fingerprint;
      if (!approving) throw new McpToolError('NOTHING_PENDING', `Session ${session} has no pipeline waiting for approval`, 'Ask for a pipeline with chat first, then approve the fingerprint it returns.');
      const by = ctx.clientName();
      await handle.signal(approveSignal, { fingerprint: approving, by });
      const decided = await waitForState(handle, (s) => s.approvals.length > before.approvals.length, 30_000);
      const approval = decided.approvals[before.approvals.length];
      if (!approval) throw new McpToolError('TIMEOUT', `Session ${session} did not take up the approval within 30 s`, 'Check that the control worker runs, then see the session with the osiris://sessions/{id}/transcript resource.');
      if (!approval.accepted) throw new McpToolError('APPROVAL_REFUSED', `Approval refused: ${approval.reason ?? 'no reason given'}`, 'Approve the fingerprint of the pipeline pending now (chat returns it), or ask for a new pipeline.');
      const index = before.runs.length;
      const final = await waitForState(handle, (s) => s.runs[index] !== undefined && (!wait || s.runs[index]!.status !== 'running'), wait ? 600_000 : 30_000);
      const run = final.runs[index];
      if (!run) throw new McpToolError('TIMEOUT', 'The approved run did not start within 30 s', 'Check that the exec worker runs (osiris worker --queue exec-local).');
      return { session, by, run };
    },
  }),
  defineTool({
    name: 'reject',
    description: 'Reject the pipeline pending in a chat session, with the reason the agent should act on.',
    input: z.strictObject({ session: args.session, reason: z.string().min(1).max(2000).describe('What is wrong with the proposal') }),
    output: z.object({ session: z.string(), status: z.string() }),
    async handler({ session, reason }, ctx) {
      const handle = await existingConversation(ctx.client, session);
      const before = await handle.query(stateQuery);
      if (!before.pending) throw new McpToolError('NOTHING_PENDING', `Session ${session} has no pipeline to reject`, 'Nothing to do; send a new request with chat.');
      await handle.signal(rejectSignal, { reason, by: ctx.clientName() });
      const after = await waitForState(handle, (s) => s.pending?.fingerprint !== before.pending!.fingerprint, 10_000);
      return { session, status: after.status };
    },
  }),
];
