import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureDemoDatabase } from '../../src/connectors/sqlite/demo-db.js';
import { isOsirisError, OsirisError } from '../../src/errors.js';
import { ERROR_CODES, FINAL_ERROR_CODES, isFinalErrorCode, readFailureDetails } from '../../src/failure-details.js';
import { outputTableName, type ManifestStep, type StepMode } from '../../src/oml/manifest.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import type { RunSetup } from '../../src/dataplane/step-contract.js';
import { createWorkspace, stepFile } from '../../src/dataplane/workspace.js';

const step = (id: string, component: string, mode: StepMode, config: Record<string, unknown>, needs: string[] = []): ManifestStep => ({ id, component, component_version: '1.0.0', mode, needs, output_table: outputTableName(id), config });

describe('one list of final error codes', () => {
  it('an error with a final code is never retryable, whatever its thrower said', () => {
    for (const code of FINAL_ERROR_CODES) assert.equal(new OsirisError(code, 'x', { hint: 'h', retryable: true }).retryable, false, code);
    assert.equal(new OsirisError('TRANSIENT', 'x', { hint: 'h', retryable: true }).retryable, true);
    assert.equal(new OsirisError('CONNECTION_FAILED', 'x', { hint: 'h' }).retryable, false);
    assert.ok(FINAL_ERROR_CODES.every((code) => (ERROR_CODES as readonly string[]).includes(code) && isFinalErrorCode(code)));
    assert.equal(isFinalErrorCode('TRANSIENT'), false);
  });

  it('failure details are read defensively', () => {
    assert.deepEqual(readFailureDetails([{ hint: 'fix it', stepId: 'a', other: 1 }]), { hint: 'fix it', stepId: 'a' });
    assert.deepEqual(readFailureDetails([{ hint: 42 }]), {});
    assert.deepEqual(readFailureDetails(['text']), {});
    assert.deepEqual(readFailureDetails(undefined), {});
  });
});

describe('permanent step failures are final, with a precise hint', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-failures-'));
  const context = async (name: string): Promise<RunSetup> => ({
    workspaceDir: await createWorkspace(path.join(dir, 'runs'), name),
    projectDir: dir,
    outputDir: path.join(dir, 'output'),
    resolveConnection: async () => ({ family: 'sqlite', alias: 'demo', values: { path: await ensureDemoDatabase(path.join(dir, 'demo')) } }),
  });
  const final = (code: string, hint: RegExp) => (err: unknown) => {
    assert.ok(isOsirisError(err), String(err));
    assert.equal(err.code, code, err.message);
    assert.equal(err.retryable, false);
    assert.match(err.hint, hint);
    return true;
  };

  it('a SQLite query holding two statements', async () => {
    const ctx = await context('multi');
    await assert.rejects(executeStep(step('two', 'sqlite.extractor', 'read', { connection: '@sqlite.demo', query: 'SELECT 1 AS a; SELECT 2 AS b' }), ctx), final('SQL_ERROR', /holds more than one statement; write a single SELECT/));
  });

  /** A one-row input table for writer steps. */
  async function withInput(ctx: RunSetup): Promise<void> {
    const instance = await DuckDBInstance.create(stepFile(ctx.workspaceDir, 'input'));
    const conn = await instance.connect();
    await conn.run(`CREATE TABLE ${outputTableName('input')} AS SELECT 1 AS a`);
    conn.closeSync();
    instance.closeSync();
  }

  it('an output file name too long for the file system (ENAMETOOLONG)', async () => {
    const ctx = await context('long');
    await withInput(ctx);
    await assert.rejects(executeStep(step('save', 'filesystem.csv_writer', 'write', { path: `${'n'.repeat(300)}.csv`, delimiter: ',', header: true }, ['input']), ctx), final('CONFIG_INVALID', /too long for the file system \(ENAMETOOLONG\)/));
  });

  it('an output path that is a directory (EISDIR)', async () => {
    const ctx = await context('dir');
    await withInput(ctx);
    mkdirSync(path.join(ctx.outputDir, 'taken.csv'), { recursive: true });
    await assert.rejects(executeStep(step('save', 'filesystem.csv_writer', 'write', { path: 'taken.csv', delimiter: ',', header: true }, ['input']), ctx), final('CONFIG_INVALID', /is a directory where a file is expected \(EISDIR\)/));
  });
});
