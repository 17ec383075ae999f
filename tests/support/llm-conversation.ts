/** Shared by the provider conversation tests. */
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Client } from '@temporalio/client';
import type { ProjectConfig } from '../../src/config/project-config.js';
import { connectClient } from './conversation.js';
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
