/** Shared by the provider conversation tests. */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ConversationHandle } from '../../src/client/conversation-client.js';
import type { ConversationView } from '../../src/workflows/conversation-types.js';
import { stateQuery } from '../../src/workflows/messages.js';
import { AVA_QUERY } from './scripted-llm.js';

/** The titles the demo conversation's pipeline must write, straight from the demo database. */
export function expectedAvaTitles(projectDir: string): string[] {
  const db = new Database(path.join(projectDir, '.osiris', 'demo', 'movies.sqlite'), { readonly: true });
  try {
    return (db.prepare(AVA_QUERY).all() as { title: string }[]).map((r) => r.title);
  } finally {
    db.close();
  }
}

export async function waitForState(handle: ConversationHandle, done: (s: ConversationView) => boolean): Promise<ConversationView> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const state = await handle.query(stateQuery);
    if (done(state)) return state;
    if (Date.now() > deadline) throw new Error(`timed out; state: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
