import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { OsirisError } from '../../src/errors.js';
import { outputTableName, type ManifestStep } from '../../src/oml/manifest.js';
import { produceStepOutput, stepDuckDBLimits, withStepInputs } from '../../src/dataplane/step-db.js';
import type { RunContext } from '../../src/dataplane/step-contract.js';
import { createWorkspace } from '../../src/dataplane/workspace.js';

const step = (id: string, mode: ManifestStep['mode'], needs: string[] = []): ManifestStep =>
  ({ id, component: 'test', component_version: '1.0.0', mode, needs, output_table: outputTableName(id), config: {} });

describe('DuckDB limits per step', () => {
  it('are set by the step mode: 64 MB and 1 thread for streaming steps, 256 MB and 2 threads for transforms', () => {
    assert.deepEqual(stepDuckDBLimits('read', {}), { memoryLimit: '64MB', threads: 1 });
    assert.deepEqual(stepDuckDBLimits('write', {}), { memoryLimit: '64MB', threads: 1 });
    assert.deepEqual(stepDuckDBLimits('transform', {}), { memoryLimit: '256MB', threads: 2 });
  });

  it('are overridden by OSIRIS_DUCKDB_MEMORY_LIMIT and OSIRIS_DUCKDB_THREADS for every step', () => {
    assert.deepEqual(stepDuckDBLimits('read', { OSIRIS_DUCKDB_MEMORY_LIMIT: ' 1.5 GB ', OSIRIS_DUCKDB_THREADS: '4' }), { memoryLimit: '1.5GB', threads: 4 });
    assert.deepEqual(stepDuckDBLimits('transform', { OSIRIS_DUCKDB_MEMORY_LIMIT: '', OSIRIS_DUCKDB_THREADS: '' }), { memoryLimit: '256MB', threads: 2 });
  });

  it('refuse a malformed override, naming the variable', () => {
    for (const [env, name] of [
      [{ OSIRIS_DUCKDB_MEMORY_LIMIT: 'lots' }, 'OSIRIS_DUCKDB_MEMORY_LIMIT'],
      [{ OSIRIS_DUCKDB_MEMORY_LIMIT: '512' }, 'OSIRIS_DUCKDB_MEMORY_LIMIT'],
      [{ OSIRIS_DUCKDB_THREADS: '0' }, 'OSIRIS_DUCKDB_THREADS'],
      [{ OSIRIS_DUCKDB_THREADS: 'two' }, 'OSIRIS_DUCKDB_THREADS'],
    ] as const) {
      assert.throws(() => stepDuckDBLimits('read', env), (err: unknown) => err instanceof OsirisError && err.code === 'CONFIG_INVALID' && err.message.startsWith(`${name} is invalid`), JSON.stringify(env));
    }
  });
});

describe('a step DuckDB', () => {
  let root: string;
  let ctx: RunContext;
  before(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'osiris-limits-'));
    ctx = { workspaceDir: await createWorkspace(root, 'run'), projectDir: root, outputDir: path.join(root, 'out'), connections: new Map() };
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const settings = async (conn: { runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }> }) =>
    (await conn.runAndReadAll("SELECT current_setting('memory_limit'), current_setting('threads'), current_setting('temp_directory')")).getRows()[0]!.map(String);

  it('runs with its limits and a spill directory inside the workspace, removed afterwards', async () => {
    let seen: string[] = [];
    await produceStepOutput(step('extract', 'read'), ctx, async (conn) => {
      seen = await settings(conn);
      // Force a spill: a sort (~110 MB of rows) bigger than the limit has to go through the temp directory.
      await conn.run(`CREATE TABLE ${outputTableName('extract')} AS SELECT range AS id, repeat('x', 100) || range AS text FROM range(1000000) ORDER BY text DESC`);
    });
    const [memory, threads, temp] = seen;
    assert.match(memory!, /^6[0-4]\.\d+ MiB$/, `memory_limit ${memory}`);
    assert.equal(threads, '1');
    assert.equal(path.dirname(temp!), path.join(ctx.workspaceDir, 'steps'));
    assert.match(path.basename(temp!), /^extract\.duckdb\..+\.spill$/);
    assert.equal(existsSync(temp!), false, 'the spill directory is removed');

    await withStepInputs(step('save', 'write', ['extract']), ctx, async (conn) => {
      seen = await settings(conn);
      const count = await conn.runAndReadAll(`SELECT count(*) FROM ${outputTableName('extract')}`);
      assert.equal(Number(count.getRows()[0]![0]), 1_000_000);
    });
    assert.match(seen[0]!, /^6[0-4]\.\d+ MiB$/);
    assert.deepEqual(readdirSync(path.join(ctx.workspaceDir, 'steps')), ['extract.duckdb']);
  });
});
