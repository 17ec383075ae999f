/** Shared by the provider conversation tests. */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Client } from '@temporalio/client';
import type { ProjectConfig } from '../../src/config/project-config.js';
import assert from 'node:assert/strict';
import type { ConversationHandle } from '../../src/client/conversation-client.js';
import { connectClient, waitForState } from './conversation.js';
import { readRows } from './read-output.js';
import { makeProject, testConfig } from './project.js';
import { AVA_QUERY, type ScriptedServer } from './scripted-llm.js';
import { startTestTemporal } from './temporal.js';
import { startWorkers } from './workers.js';

/** The titles the demo conversation's pipeline must write, straight from the demo database. */
export function expectedAvaTitles(projectDir: string): string[] {
  const db = new Database(path.join(projectDir, '.osiris', 'demo', 'movies.sqlite'), { readonly: true });
  try {
    return (db.prepare(AVA_QUERY).all() as { title: string }[]).map((r) => r.title);
  } finally {
    db.close();
  }
}


export interface LlmStack {
  client: Client;
  projectDir: string;
  stop(): Promise<void>;
}

/** A real Temporal server and in-process workers whose `llm` config points at a scripted server. */
export async function startLlmStack(server: ScriptedServer, llm: Partial<ProjectConfig['llm']>): Promise<LlmStack> {
  const temporal = await startTestTemporal();
  const client = await connectClient(temporal.address);
  const projectDir = makeProject();
  const config = testConfig(projectDir, temporal.address);
  const workers = await startWorkers({ ...config, llm: { ...config.llm, ...llm, base_url: server.url } });
  return {
    client,
    projectDir,
    async stop() {
      await workers.stop();
      await client.connection.close();
      await temporal.stop();
      await server.close();
    },
  };
}

/**
 * Approves the proposed export with a raw-client signal, waits for the run, and checks the CSV holds
 * exactly Ava DuVernay's films.
 */
export async function approveAndCheckAvaExport(client: Client, handle: ConversationHandle, fingerprint: string, projectDir: string): Promise<void> {
  await client.workflow.getHandle(handle.workflowId).signal('approve', { fingerprint, by: 'ada' });
  const done = await waitForState(handle, (s) => s.runs.length === 1 && s.runs[0]!.status !== 'running');
  assert.equal(done.runs[0]!.status, 'completed', done.runs[0]!.error);
  const rows = await readRows(done.runs[0]!.outputs!.find((o) => o.endsWith('.csv'))!, 'title');
  assert.deepEqual(rows.map((r) => r.title), expectedAvaTitles(projectDir));
}
