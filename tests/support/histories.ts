import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { repoRoot } from './cli.js';

/**
 * With OSIRIS_RECORD_HISTORIES=1, saves a finished workflow's history as a replay fixture
 * (`tests/histories/<workflowType>-<name>.json`); otherwise does nothing.
 */
export async function maybeRecordHistory(handle: WorkflowHandle, fixtureName: string): Promise<void> {
  if (!process.env.OSIRIS_RECORD_HISTORIES) return;
  const dir = path.join(repoRoot, 'tests', 'histories');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${fixtureName}.json`), historyToJSON(await handle.fetchHistory()));
}
