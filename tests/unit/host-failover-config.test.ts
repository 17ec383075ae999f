import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'node:test';
import type { Client } from '@temporalio/client';
import { hostFailoverOf, startPipelineRun } from '../../src/client/start-run.js';
import { loadProjectConfig } from '../../src/config/project-config.js';
import { compileOml } from '../../src/oml/compile.js';
import { makeProject } from '../support/project.js';

const OML = readFileSync(path.join(import.meta.dirname, '..', '..', 'examples', 'top-rated-movies.yaml'), 'utf8');

it('osiris.yaml execution.host_timeout_seconds / max_host_attempts reach the pipelineRun input', async () => {
  const config = loadProjectConfig(makeProject({ 'osiris.yaml': 'execution:\n  host_timeout_seconds: 45\n  max_host_attempts: 2\n' }), {});
  const failover = hostFailoverOf(config.execution);
  assert.deepEqual(failover, { hostTimeout: '45 seconds', maxAttempts: 2 });
  // What the CLI starts: a client that records the start call instead of sending it.
  let started: { args: unknown[] } | undefined;
  const client = { workflow: { start: async (_type: string, options: { args: unknown[] }) => (started = options) } } as unknown as Client;
  const compiled = await compileOml(OML, { params: {} });
  await startPipelineRun(client, compiled, 'local', { hostFailover: failover });
  assert.deepEqual((started!.args[0] as { hostFailover?: unknown }).hostFailover, { hostTimeout: '45 seconds', maxAttempts: 2 });
});

it('without the keys the workflow keeps its defaults; out-of-range values are refused with their location', () => {
  assert.equal(hostFailoverOf(loadProjectConfig(makeProject(), {}).execution), undefined);
  assert.throws(
    () => loadProjectConfig(makeProject({ 'osiris.yaml': 'execution:\n  host_timeout_seconds: 1\n' }), {}),
    (err: Error) => /osiris\.yaml:2:\d+: execution\.host_timeout_seconds/.test(err.message),
  );
});
