import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { ensureTemporalCli } from '../../src/client/temporal-cli.js';
import { osiris } from '../support/cli.js';
import { makeProject, testConfig } from '../support/project.js';
import { startTestTemporal, type TestTemporal } from '../support/temporal.js';
import { startWorkers, type InProcessWorkers } from '../support/workers.js';

/**
 * Signals typed by hand with the plain `temporal` CLI (as the README shows) can be anything. A
 * malformed one must be recorded and refused while the conversation goes on: before, a bad
 * `approve` failed every workflow task from then on and `show`, `approve` and `chat` hung.
 */
let temporal: TestTemporal;
let workers: InProcessWorkers;
let projectDir: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  temporal = await startTestTemporal();
  projectDir = makeProject();
  workers = await startWorkers(testConfig(projectDir, temporal.address));
  env = { TEMPORAL_ADDRESS: temporal.address };
});

after(async () => {
  await workers.stop();
  await temporal.stop();
});

function rawSignal(workflowId: string, name: string, input?: string): void {
  const args = ['workflow', 'signal', '--address', temporal.address, '--namespace', 'default', '--workflow-id', workflowId, '--name', name];
  execFileSync(ensureTemporalCli({ install: false }), input === undefined ? args : [...args, '--input', input], { stdio: 'pipe' });
}

test('malformed approve and reject signals from the temporal CLI are refused and recorded; show, chat and approve still work', async () => {
  const opts = { cwd: projectDir, env, timeoutMs: 90_000 };
  const proposed = await osiris(['chat', 'export table movies to csv'], opts);
  assert.equal(proposed.code, 0, proposed.stderr);
  const sessionId = /session (s-[0-9a-z]+)/.exec(proposed.stderr)?.[1];
  assert.ok(sessionId, proposed.stderr);
  const workflowId = `osiris-session-${sessionId}`;

  const malformed = ['{}', '"x"', '42', 'null', '{"fingerprint":12345}', '[]'];
  for (const input of malformed) rawSignal(workflowId, 'approve', input);
  rawSignal(workflowId, 'reject', '{}');
  rawSignal(workflowId, 'approve');

  const show = await osiris(['show', sessionId], opts);
  assert.equal(show.code, 0, show.stderr);
  const refusals = show.stdout.match(/Refused a malformed (approve|reject) signal/g) ?? [];
  assert.equal(refusals.length, malformed.length + 2, show.stdout);
  assert.match(show.stdout, /Refused a malformed approve signal \(\{"fingerprint":12345\}\): "fingerprint" is the number 12345, expected string/);
  assert.match(show.stdout, /Refused a malformed reject signal \(\{\}\): "reason" is missing/);
  assert.match(show.stdout, /Refused a malformed approve signal \(no payload\): expected an object, got no payload/);
  assert.doesNotMatch(show.stdout, /undefined/);
  assert.match(show.stdout, /status awaiting_approval/, 'the pipeline is still pending');

  const chat = await osiris(['chat', '--session', sessionId, 'list tables'], opts);
  assert.equal(chat.code, 0, chat.stderr);
  assert.match(chat.stdout, /movies/);

  const approve = await osiris(['approve', sessionId], opts);
  assert.equal(approve.code, 0, approve.stdout + approve.stderr);
  assert.match(approve.stdout, /completed/);
});

test('chat --session refuses a malformed, unknown or ended id unless --new', async () => {
  const opts = { cwd: projectDir, env, timeoutMs: 90_000 };
  const malformed = await osiris(['chat', '--session', 'bad id;rm', 'hello'], opts);
  assert.equal(malformed.code, 2, malformed.stderr);
  assert.match(malformed.stderr, /"bad id;rm" is not a session id/);

  const unknown = await osiris(['chat', '--session', 's-nosuchone0', 'list tables'], opts);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /No session "s-nosuchone0"/);

  const first = await osiris(['chat', 'list tables'], opts);
  assert.equal(first.code, 0, first.stderr);
  const sessionId = /session (s-[0-9a-z]+)/.exec(first.stderr)![1]!;
  rawSignal(`osiris-session-${sessionId}`, 'end');
  const ended = await osiris(['show', sessionId], opts);
  assert.match(ended.stdout, /status done/, ended.stdout + ended.stderr);
  const again = await osiris(['chat', '--session', sessionId, 'list tables'], opts);
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, /Session "s-[0-9a-z]+" has ended \(completed\)/);
  const fresh = await osiris(['chat', '--session', sessionId, '--new', 'list tables'], opts);
  assert.equal(fresh.code, 0, fresh.stderr);
  const refusedNew = await osiris(['chat', '--session', sessionId, '--new', 'list tables'], opts);
  assert.equal(refusedNew.code, 2, refusedNew.stderr);
  assert.match(refusedNew.stderr, /is still open/);
});
