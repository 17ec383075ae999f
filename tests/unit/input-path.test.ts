import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { pipelineChecks } from '../../src/client/pipeline-checks.js';
import { checkInputPath } from '../../src/connectors/filesystem/input-path.js';
import { isOsirisError } from '../../src/errors.js';
import { outputTableName, type ManifestStep } from '../../src/oml/manifest.js';
import { validateOml } from '../../src/oml/index.js';
import { executeStep } from '../../src/runtime/execute-step.js';
import { createWorkspace } from '../../src/dataplane/workspace.js';

/** A project with data, secrets, state, and symbolic links leading out. */
function project(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-input-'));
  mkdirSync(path.join(dir, 'data'));
  mkdirSync(path.join(dir, '.osiris'));
  writeFileSync(path.join(dir, 'data', 'movies.csv'), 'id,title\n1,Heat\n');
  writeFileSync(path.join(dir, '.env'), 'SECRET=hunter2\n');
  writeFileSync(path.join(dir, 'osiris_connections.yaml'), 'connections: {}\n');
  writeFileSync(path.join(dir, '.osiris', 'state.csv'), 'a\n1\n');
  symlinkSync('/etc/passwd', path.join(dir, 'data', 'passwd.csv'));
  symlinkSync('/etc', path.join(dir, 'data', 'etc'));
  symlinkSync(path.join(dir, '.env'), path.join(dir, 'data', 'env.csv'));
  return dir;
}

const refused: [string, RegExp][] = [
  ['/etc/passwd', /outside the input directory/],
  ['../../etc/passwd', /climbs out of the input directory/],
  ['data/../../etc/passwd', /climbs out/],
  ['.env', /\.env holds secrets/],
  ['data/../.env.local', /\.env\.local holds secrets/],
  ['osiris_connections.yaml', /holds secrets/],
  ['./osiris_connections.yaml', /holds secrets/],
  ['.osiris/state.csv', /\.osiris\/ holds Osiris or repository state/],
  ['data/passwd.csv', /leads outside the input directory through a symbolic link/],
  ['data/etc/hostname', /through a symbolic link/],
  ['data/env.csv', /symbolic link to a protected file/],
  ['data', /is a directory/],
  ['~/.ssh/id_rsa', /home directory/],
  ['data/a\0.csv', /NUL/],
  ['', /empty/],
];

describe('input paths stay inside the input directory', () => {
  const dir = project();
  for (const [input, why] of refused) {
    it(`refuses ${JSON.stringify(input)}`, async () => {
      const verdict = await checkInputPath(dir, input);
      assert.equal(verdict.ok, false);
      if (!verdict.ok) assert.match(verdict.reason, why);
    });
  }

  it('accepts files inside, by relative or absolute path; a missing file is reported as missing', async () => {
    assert.deepEqual(await checkInputPath(dir, 'data/movies.csv'), { ok: true, file: path.join(dir, 'data', 'movies.csv'), exists: true });
    assert.equal((await checkInputPath(dir, path.join(dir, 'data', 'movies.csv'))).ok, true);
    assert.deepEqual(await checkInputPath(dir, 'data/later.csv'), { ok: true, file: path.join(dir, 'data', 'later.csv'), exists: false });
  });

  it('execution.input_dir moves the root: the project itself is then outside', async () => {
    assert.equal((await checkInputPath(path.join(dir, 'data'), 'movies.csv')).ok, true);
    assert.equal((await checkInputPath(path.join(dir, 'data'), '../data/movies.csv')).ok, true);
    assert.equal((await checkInputPath(path.join(dir, 'data'), '../other.csv')).ok, false);
  });

  it('osiris validate refuses them with a rule, a location and a fix', async () => {
    const text = ['oml_version: "0.1.0"', 'name: leak', 'steps:', '  - id: load', '    component: filesystem.csv_extractor', '    mode: read', '    config: { path: ../../etc/passwd }'].join('\n');
    const report = await validateOml(text, pipelineChecks({ projectDir: dir }));
    const problem = report.problems.find((p) => p.rule === 'input-path-refused');
    assert.ok(problem, JSON.stringify(report.problems));
    assert.deepEqual([problem.path, problem.line, problem.severity], ['steps[0].config.path', 7, 'error']);
    assert.match(problem.hint, /\.env files, osiris_connections\.yaml and \.osiris\/ are never read/);
  });

  it('the run refuses them again, with a final PATH_REFUSED error, before reading anything', async () => {
    const workspaceDir = await createWorkspace(path.join(dir, '.osiris', 'workspaces'), 'run-1');
    const ctx = { workspaceDir, projectDir: dir, outputDir: path.join(dir, 'output'), resolveConnection: () => Promise.reject(new Error('no connections')) };
    for (const input of ['/etc/passwd', '../../etc/passwd', '.env', 'osiris_connections.yaml', 'data/passwd.csv']) {
      const step: ManifestStep = { id: 'load', component: 'filesystem.csv_extractor', component_version: '1.0.0', mode: 'read', needs: [], output_table: outputTableName('load'), config: { path: input, header: true } };
      await assert.rejects(executeStep(step, ctx), (err: unknown) => isOsirisError(err) && err.code === 'PATH_REFUSED' && !err.retryable && err.message.includes('is refused'));
    }
  });
});
