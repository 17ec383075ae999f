import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { STALE_AFTER_MS, sweepStale } from '../../src/workers/sweep-stale.js';

test('removes temp files and preview directories left by killed processes, and nothing else', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'osiris-sweep-'));
  const output = path.join(root, 'output');
  const temp = path.join(root, 'tmp');
  mkdirSync(path.join(output, 'sub'), { recursive: true });
  mkdirSync(path.join(temp, 'osiris-preview-old', 'steps'), { recursive: true });
  mkdirSync(path.join(temp, 'osiris-preview-new'));
  const uuid = '0b8f3c2e-1d2a-4c55-9a7e-5e8f1b2c3d4e';
  const files = {
    staleTmp: path.join(output, 'sub', `movies.csv.${uuid}.tmp`),
    freshTmp: path.join(output, `live.parquet.${uuid}.tmp`),
    userTmp: path.join(output, 'notes.tmp'),
    output: path.join(output, 'movies.csv'),
  };
  for (const f of Object.values(files)) writeFileSync(f, 'x');
  const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
  for (const f of [files.staleTmp, files.userTmp, files.output, path.join(temp, 'osiris-preview-old')]) utimesSync(f, old, old);

  const removed = await sweepStale(output, temp);
  assert.deepEqual(removed.sort(), [files.staleTmp, path.join(temp, 'osiris-preview-old')].sort());
  assert.ok(existsSync(files.freshTmp), 'a writer still writing keeps its file');
  assert.ok(existsSync(files.userTmp) && existsSync(files.output), "the user's files stay");
  assert.ok(existsSync(path.join(temp, 'osiris-preview-new')));
});
