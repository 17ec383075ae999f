import { Client, Connection } from '@temporalio/client';
import type { AgentSettings } from '../../src/agent/types.js';
import { openConversation, sendMessage, type ConversationHandle } from '../../src/client/conversation-client.js';
import type { Reply } from '../../src/workflows/conversation-types.js';

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
