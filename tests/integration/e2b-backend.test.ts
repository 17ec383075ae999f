/**
 * The sandbox backend against a scripted sandbox: what the runtime reports is masked before it
 * leaves the backend, and a sandbox cannot make the host write outside its output directory.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { OsirisError } from '../../src/errors.js';
import { createSandboxBackend } from '../../src/runtime/sandbox/sandbox-backend.js';
import type { SandboxEvent } from '../../src/runtime/sandbox/protocol.js';
import type { Sandbox, SandboxCommand, SandboxProvider } from '../../src/runtime/sandbox/sandbox.js';
import { makeStep } from '../support/postgres.js';

const SECRET = 'scripted-secret-41d';

/** A sandbox whose command prints `events` and records the environment it was given. */
function scripted(events: SandboxEvent[]): { provider: SandboxProvider; commands: SandboxCommand[] } {
  const commands: SandboxCommand[] = [];
  const sandbox: Sandbox = {
    id: 'sbx-1',
    root: '/sandbox',
    async upload() {},
    async writeFile() {},
    async download(_from, to) {
      writeFileSync(to, 'x');
    },
    async run(command) {
      commands.push(command);
      for (const e of events) command.onLine(JSON.stringify(e));
      return { exitCode: 0, stderrTail: '', timedOut: false };
    },
  };
  const provider: SandboxProvider = { name: 'process', create: async () => sandbox, connect: async () => sandbox, kill: async () => {} };
  return { provider, commands };
}

async function runScripted(events: SandboxEvent[]) {
  const { provider, commands } = scripted(events);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-scripted-host-'));
  writeFileSync(path.join(dir, 'bundle.mjs'), '');
  const backend = createSandboxBackend({ provider, projectDir: dir, outputDir: path.join(dir, 'output'), runtimeBundle: path.join(dir, 'bundle.mjs') });
  const workspace = await backend.prepare('run-1');
  const step = makeStep('save', 'filesystem.csv_writer', 'write', { path: 'out.csv', connection: '@mysql.prod' });
  const progress: number[] = [];
  const run = backend.executeStep(step, workspace, {
    resolveConnection: async () => ({ family: 'mysql', alias: 'prod', values: { password: SECRET }, secrets: [SECRET] }),
    onProgress: (p) => progress.push(p.rows),
  });
  return { run, commands, progress, dir };
}

describe('sandbox backend', () => {
  test('connections reach the command only as its environment; errors it reports are masked', async () => {
    const { run, commands, progress } = await runScripted([
      { type: 'progress', stepId: 'save', rows: 5 },
      { type: 'error', error: { name: 'OsirisError', code: 'CONNECTION_FAILED', message: `login with ${SECRET} refused`, hint: `check ${SECRET}`, retryable: false } },
    ]);
    const err = await run.then(
      () => assert.fail('should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof OsirisError);
    assert.equal(err.code, 'CONNECTION_FAILED');
    assert.equal(err.retryable, false);
    assert.equal(err.message, 'login with *** refused');
    assert.equal(err.hint, 'check ***');
    assert.deepEqual(progress, [5]);
    assert.equal(commands.length, 1);
    assert.ok(Object.values(commands[0]!.env).some((v) => v.includes(SECRET)), 'the secret is in the command environment');
    assert.ok(!commands[0]!.args.some((a) => a.includes(SECRET)), 'and not in its arguments');
  });

  test('an output path outside the sandbox output directory is refused', async () => {
    const result = { stepId: 'save', component: 'filesystem.csv_writer', rows: 1, durationMs: 1, outputs: [{ path: '/sandbox/output/../../etc/evil', bytes: 1 }] };
    const { run } = await runScripted([{ type: 'result', result }]);
    await assert.rejects(run, (e: unknown) => e instanceof OsirisError && e.code === 'PATH_REFUSED');
  });
});

describe('sandbox input staging', () => {
  /** A sandbox recording what is uploaded and the step request it is sent. */
  function recording() {
    const uploads: { from: string; to: string }[] = [];
    const written: string[] = [];
    const sandbox: Sandbox = {
      id: 'sbx-2',
      root: '/sandbox',
      async upload(from, to) {
        uploads.push({ from, to });
      },
      async writeFile(_to, content) {
        written.push(String(content));
      },
      async download() {},
      async run(command) {
        command.onLine(JSON.stringify({ type: 'result', result: { stepId: 'load', component: 'filesystem.csv_extractor', rows: 1, durationMs: 1, outputs: [] } }));
        return { exitCode: 0, stderrTail: '', timedOut: false };
      },
    };
    const provider: SandboxProvider = { name: 'process', create: async () => sandbox, connect: async () => sandbox, kill: async () => {} };
    return { provider, uploads, written };
  }

  test('files outside the project are refused before anything is uploaded; inside, the copy sits in the sandbox project', async () => {
    const { provider, uploads, written } = recording();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-staging-host-'));
    writeFileSync(path.join(dir, 'bundle.mjs'), '');
    writeFileSync(path.join(dir, '.env'), 'SECRET=1\n');
    writeFileSync(path.join(dir, 'movies.csv'), 'id\n1\n');
    const backend = createSandboxBackend({ provider, projectDir: dir, outputDir: path.join(dir, 'output'), runtimeBundle: path.join(dir, 'bundle.mjs') });
    const workspace = await backend.prepare('run-2');
    const resolveConnection = () => Promise.reject(new Error('no connections'));
    for (const input of ['/etc/passwd', '../../etc/passwd', '.env']) {
      const before = uploads.length;
      await assert.rejects(backend.executeStep(makeStep('load', 'filesystem.csv_extractor', 'read', { path: input, header: true }), workspace, { resolveConnection }), (e: unknown) => e instanceof OsirisError && e.code === 'PATH_REFUSED' && !e.retryable);
      assert.deepEqual(uploads.slice(before).filter((u) => !u.from.endsWith('bundle.mjs')), [], `nothing uploaded for ${input}`);
    }
    await backend.executeStep(makeStep('load', 'filesystem.csv_extractor', 'read', { path: 'movies.csv', header: true }), workspace, { resolveConnection });
    assert.deepEqual(uploads.at(-1), { from: path.join(dir, 'movies.csv'), to: '/sandbox/project/inputs/load-movies.csv' });
    assert.ok(written.some((w) => w.includes('"path":"inputs/load-movies.csv"')), 'the step reads the staged copy by a path inside the sandbox project');
  });
});
