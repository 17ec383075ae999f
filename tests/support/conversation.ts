import { Client, Connection } from '@temporalio/client';
import type { AgentSettings } from '../../src/agent/types.js';
import { openConversation, sendMessage, type ConversationHandle } from '../../src/client/conversation-client.js';
import type { ConversationView, Reply } from '../../src/workflows/conversation-types.js';
import { stateQuery } from '../../src/workflows/messages.js';

export const defaultSettings: AgentSettings = { connection: '@sqlite.demo', sampleSize: 10, maxStepsPerTurn: 12 };

export async function connectClient(address: string): Promise<Client> {
  return new Client({ connection: await Connection.connect({ address }) });
}

/** A fresh session with a unique id on the given client. */
let counter = 0;
export function startSession(client: Client, settings: AgentSettings = defaultSettings): ReturnType<typeof openConversation> {
  counter++;
  return openConversation(client, `t${process.pid}-${counter}-${Date.now().toString(36)}`, settings, 'local');
}

export function say(handle: ConversationHandle, text: string): Promise<Reply> {
  return sendMessage(handle, text);
}

/**
 * Polls the `state` query until `done` holds (a minute at most). Query errors are retried: right
 * after a worker dies, nothing answers queries until another one polls.
 */
export async function waitForState(handle: ConversationHandle, done: (s: ConversationView) => boolean): Promise<ConversationView> {
  const deadline = Date.now() + 60_000;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const state = await handle.query(stateQuery);
      if (done(state)) return state;
      last = state;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for the conversation; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
}
