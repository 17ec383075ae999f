import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainRun, MAX_EXPLANATION_CHARS } from '../../src/client/report/explain-run.js';
import { summarizeRun, type RunEvent } from '../../src/runtime/events.js';
import type { RunLog } from '../../src/runtime/run-log.js';
import type { Manifest } from '../../src/oml/manifest.js';

const SECRET = 's3cr3t-Pa55';

function manifest(query: string): Manifest {
  return {
    manifest_version: '1',
    pipeline: { name: 'orders-daily', oml_version: '0.1.0' },
    params: {},
    steps: [
      { id: 'read', component: 'postgres.extractor', component_version: '1', mode: 'read', needs: [], output_table: 'df_read', config: { connection: '@postgres.sales', query } },
      { id: 'save', component: 'filesystem.csv_writer', component_version: '1', mode: 'write', needs: ['read'], output_table: 'df_save', config: { path: 'o.csv' } },
    ],
    levels: [['read'], ['save']],
  };
}

/** A run log built from events, as readRunLog would return it. */
function log(runId: string, at: string, events: Omit<RunEvent, 'runId' | 'ts'>[], query = 'SELECT id FROM orders', oml = 'name: orders-daily\n'): RunLog {
  const full = events.map((e, i) => ({ ...e, runId, ts: `${at}.${String(i).padStart(3, '0')}Z` })) as RunEvent[];
  const saved = { fingerprint: 'f'.repeat(64), manifest: manifest(query), oml };
  return { dir: `/runs/${runId}`, events: full, saved, metrics: summarizeRun(full, saved.manifest.steps) };
}

const start = { type: 'run_start', pipeline: 'orders-daily', fingerprint: 'f'.repeat(64), target: 'local', backend: 'local', steps: 2 } as const;
const step = (stepId: string, component: string, mode: 'read' | 'write', attempt = 1) => ({ stepId, component, mode, attempt });

const completed = log('run-1', '2026-01-01T00:00:00', [
  start,
  { type: 'step_start', ...step('read', 'postgres.extractor', 'read') },
  { type: 'step_end', ...step('read', 'postgres.extractor', 'read'), rows: 10, rowsRead: 10, rowsWritten: 0, bytes: 0, durationMs: 40 },
  { type: 'step_start', ...step('save', 'filesystem.csv_writer', 'write') },
  { type: 'step_end', ...step('save', 'filesystem.csv_writer', 'write'), rows: 10, rowsRead: 10, rowsWritten: 10, bytes: 200, durationMs: 5 },
  { type: 'run_end', status: 'completed' },
] as never);

const failed = log('run-2', '2026-01-02T00:00:00', [
  start,
  { type: 'step_start', ...step('read', 'postgres.extractor', 'read') },
  { type: 'step_error', ...step('read', 'postgres.extractor', 'read'), code: 'SQL_ERROR', message: `column "totl" does not exist (password=${SECRET})`, hint: 'Check the column names with discover.', retryable: false, durationMs: 12 },
  { type: 'run_end', status: 'failed', error: { code: 'SQL_ERROR', message: `column "totl" does not exist (password=${SECRET})`, hint: 'Check the column names with discover.', stepId: 'read' } },
] as never, 'SELECT totl FROM orders');

describe('explainRun', () => {
  it('tells a completed run step by step, with its OML', () => {
    const e = explainRun(completed, undefined, []);
    assert.equal(e.status, 'completed');
    assert.deepEqual(e.steps.map((s) => [s.id, s.status, s.rows, s.attempts, s.bytes]), [['read', 'completed', 10, 1, 0], ['save', 'completed', 10, 1, 200]]);
    assert.equal(e.totals.rowsWritten, 10);
    assert.equal(e.oml, 'name: orders-daily\n');
    assert.equal(e.error, undefined);
    assert.equal(e.previous, undefined);
  });

  it('names the failing step, its hint and SQL, masks secrets and compares with the previous run', () => {
    const e = explainRun(failed, completed, [SECRET]);
    assert.deepEqual(e.error, { step: 'read', code: 'SQL_ERROR', message: 'column "totl" does not exist (password=***)', hint: 'Check the column names with discover.', sql: 'SELECT totl FROM orders' });
    assert.ok(!JSON.stringify(e).includes(SECRET));
    assert.equal(e.previous?.run, 'run-1');
    assert.equal(e.previous?.rowsWrittenChange, -10);
    assert.deepEqual(e.previous?.newErrors, [{ step: 'read', code: 'SQL_ERROR' }]);
  });

  it('is deterministic and stays under the size cap, saying what it left out', () => {
    const big = log('run-3', '2026-01-03T00:00:00', completed.events.map(({ runId: _r, ts: _t, ...e }) => e) as never, `SELECT ${'x, '.repeat(5000)}1`, 'x'.repeat(50_000));
    const a = explainRun(big, completed, []);
    assert.deepEqual(explainRun(big, completed, []), a);
    assert.ok(JSON.stringify(a).length <= MAX_EXPLANATION_CHARS, String(JSON.stringify(a).length));
    assert.ok(a.omitted?.some((o) => o.startsWith('oml clipped')), JSON.stringify(a.omitted));
    assert.equal(a.oml?.length, 6001);
  });
});
