/**
 * A proposal never overwrites an earlier export silently: propose_pipeline reports the files the
 * pipeline would replace, with the pipeline whose run wrote each (from the run logs), and the offline
 * planner's reply says so.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openDiscoveryCache } from '../../src/agent/discovery-cache.js';
import { replacedLines } from '../../src/agent/providers/offline/export.js';
import { createToolContext } from '../../src/agent/tool-context.js';
import type { ProposeContent } from '../../src/agent/tool-content.js';
import { TOOLS } from '../../src/agent/tools.js';
import { compileOml } from '../../src/oml/compile.js';
import { saveManifest } from '../../src/runtime/run-log.js';

const oml = (name: string, file: string) => `oml_version: 0.1.0
name: ${name}
steps:
  - id: extract
    component: sqlite.extractor
    mode: read
    config:
      connection: "@sqlite.demo"
      query: SELECT 1 AS x
  - id: write
    component: filesystem.csv_writer
    mode: write
    needs: [extract]
    config:
      path: ${file}
`;

async function propose(text: string) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'osiris-outputs-'));
  const dirs = { projectDir: root, stateDir: path.join(root, '.osiris'), outputDir: path.join(root, 'output') };
  mkdirSync(dirs.outputDir, { recursive: true });
  writeFileSync(path.join(dirs.outputDir, 'films.csv'), 'x\n1\n');
  // An earlier run of another pipeline wrote films.csv.
  const earlier = await compileOml(oml('drama-films', 'films.csv'));
  await saveManifest(path.join(dirs.stateDir, 'runs', 'run-1'), { fingerprint: earlier.fingerprint, manifest: earlier.manifest });
  const cache = openDiscoveryCache(':memory:');
  try {
    const ctx = { ...createToolContext({ config: dirs, settings: { connection: '@sqlite.demo', sampleSize: 5, maxStepsPerTurn: 5 }, cache }), previewPipeline: undefined };
    const outcome = await TOOLS.propose_pipeline.handler({ oml: text }, ctx);
    return JSON.parse(outcome.content) as ProposeContent;
  } finally {
    cache.close();
  }
}

test('a file written by another pipeline is reported with that pipeline, and the reply says approving replaces it', async () => {
  const content = await propose(oml('comedy-films', 'films.csv'));
  assert.deepEqual(content.existingOutputs, [{ path: 'films.csv', writtenBy: 'drama-films' }]);
  const [line] = replacedLines(content);
  assert.match(line ?? '', /films\.csv.*already exists.*drama-films.*REPLACES/);
});

test('the same pipeline writing its own file again is said as such; a new file is not mentioned', async () => {
  const again = await propose(oml('drama-films', 'films.csv'));
  assert.match(replacedLines(again)[0] ?? '', /earlier run of this pipeline/);
  const fresh = await propose(oml('comedy-films', 'comedies.csv'));
  assert.equal(fresh.existingOutputs, undefined);
  assert.deepEqual(replacedLines(fresh), []);
});
