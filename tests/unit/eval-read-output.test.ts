/** How `osiris eval` reads a pipeline's output file back before comparing it with the reference rows. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { compareRows, readOutput } from '../../src/agent/eval/run-eval.js';

test('a CSV cell is compared as written: a text timestamp stays text, numbers still compare as numbers', async () => {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'osiris-eval-')), 'out.csv');
  writeFileSync(file, 'prescribed_at,dose_mg\n2023-06-28 11:45,250.0\n');
  const actual = await readOutput(file);
  assert.equal(compareRows({ columns: ['prescribed_at', 'dose_mg'], rows: [['2023-06-28 11:45', 250]], truncated: false }, actual), undefined);
});
