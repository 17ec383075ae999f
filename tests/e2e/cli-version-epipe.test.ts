import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { osiris, repoRoot } from '../support/cli.js';
import { makeProject } from '../support/project.js';

test('osiris --version prints the package version', async () => {
  const { version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-V']) {
    const result = await osiris([flag], { cwd: makeProject() });
    assert.equal(result.code, 0);
    assert.equal(result.stdout.trim(), version);
  }
});

test('piped into a reader that stops early (head), the CLI ends quietly: no EPIPE stack trace', async () => {
  // `connections test` writes a line per connection between awaits, so writes go on after the reader left.
  const aliases = Array.from({ length: 200 }, (_, i) => `    db_${i}: { path: missing/db${i}.sqlite }`).join('\n');
  const cwd = makeProject({ 'osiris_connections.yaml': `connections:\n  sqlite:\n${aliases}\n` });
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'osiris.js'), 'connections', 'test'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Like `head -1`: read the first chunk, then close the pipe.
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  child.stdout.destroy();
  await new Promise<void>((resolve) => child.once('exit', () => resolve()));
  assert.doesNotMatch(stderr, /EPIPE|^\s+at /m, stderr);
});
