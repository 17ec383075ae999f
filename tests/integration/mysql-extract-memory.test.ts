import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { outputTableName } from '../../src/oml/manifest.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import { createWorkspace } from '../../src/dataplane/workspace.js';
import { createMixedTable, startTestMariadb, type TestMariadb } from '../support/mariadb.js';

const ROWS = 1_000_000;
const MAX_RSS_GROWTH_MB = 400;

let server: TestMariadb;
let root: string;
before(async () => {
  server = await startTestMariadb();
  root = await mkdtemp(path.join(tmpdir(), 'osiris-mysql-mem-'));
  await createMixedTable(server, 'bench', 't', ROWS);
});
after(async () => {
  await server?.stop();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});

it(`extracts ${ROWS} rows exactly, with RSS growth under ${MAX_RSS_GROWTH_MB} MB`, async () => {
  const ctx = {
    workspaceDir: await createWorkspace(root, 'run'),
    projectDir: root,
    outputDir: path.join(root, 'out'),
    resolveConnection: async () => ({ family: 'mysql', alias: 'bench', values: server.values('bench') }),
  };
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  // Sampled from the event loop, which the extractor yields to after every batch; progress calls sample too.
  const sample = () => void (peak = Math.max(peak, process.memoryUsage().rss));
  const sampler = setInterval(sample, 10);
  let lastProgress = 0;
  try {
    const result = await executeStep(
      { id: 'big', component: 'mysql.extractor', component_version: '1.0.0', mode: 'read', needs: [], output_table: outputTableName('big'), config: { connection: '@mysql.bench', table: 't' } },
      ctx,
      { onProgress: (p) => { lastProgress = p.rows; sample(); } },
    );
    assert.equal(result.rows, ROWS);
    assert.equal(lastProgress, ROWS);
  } finally {
    clearInterval(sampler);
  }
  const growthMb = (peak - baseline) / 1e6;
  console.log(`rss baseline ${(baseline / 1e6).toFixed(0)} MB, peak ${(peak / 1e6).toFixed(0)} MB, growth ${growthMb.toFixed(0)} MB`);
  assert.ok(growthMb < MAX_RSS_GROWTH_MB, `RSS grew by ${growthMb.toFixed(0)} MB`);
});
