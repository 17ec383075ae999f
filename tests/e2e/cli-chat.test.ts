import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../../src/client/dev-server.js';
import { osiris } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { readRows } from '../support/read-output.js';

/** `osiris chat`, `approve`, `sessions`, `show`, `demo` as a user types them, in embedded mode. */
let projectDir: string;

before(async () => {
  projectDir = makeProject({ 'osiris.yaml': `temporal:\n  port: ${await freePort()}\n  ui_port: ${await freePort()}\n` });
});

after(async () => {
  await osiris(['server', 'stop'], { cwd: projectDir });
});

describe('osiris chat', () => {
  test('one-shot chat, a follow-up in the same session, approve from the CLI', async () => {
    const found = await osiris(['chat', 'find director Ava DuVernay'], { cwd: projectDir, timeoutMs: 180_000 });
    assert.equal(found.code, 0, found.stdout + found.stderr);
    const sessionId = /session (s-[0-9a-z]+)/.exec(found.stderr)?.[1];
    assert.ok(sessionId, found.stderr);
    assert.match(found.stdout, /Selma \(2014\)/);
    assert.match(found.stdout, /1972/);

    const timed = await osiris(['chat', '--session', sessionId, 'SQL: SELECT title, release_year FROM movies WHERE release_year > 2010 ORDER BY title'], { cwd: projectDir });
    assert.equal(timed.code, 0, timed.stderr);
    assert.match(timed.stdout, /13th\s*\S*\s*2016/);

    const proposed = await osiris(['chat', '--session', sessionId, 'export her movies with their average rating to csv'], { cwd: projectDir });
    assert.equal(proposed.code, 0, proposed.stderr);
    assert.match(proposed.stdout, /oml_version/);
    assert.match(proposed.stdout, /fingerprint [0-9a-f]{64}/);
    assert.match(proposed.stdout, new RegExp(`osiris approve ${sessionId}`));

    const approved = await osiris(['approve', sessionId], { cwd: projectDir });
    assert.equal(approved.code, 0, approved.stdout + approved.stderr);
    const written = /rows written to (\S+\.csv)/.exec(approved.stdout)?.[1];
    assert.ok(written && existsSync(written), approved.stdout);
    assert.ok((await readRows(written)).some((r) => r.title === 'Selma'));
    process.stdout.write(`# chat timing: find reply ${found.ms} ms (cold server), approve to run end ${approved.ms} ms\n`);

    const again = await osiris(['approve', sessionId], { cwd: projectDir });
    assert.equal(again.code, 2);
    assert.match(again.stderr, /no pipeline waiting for approval/);

    const sessions = await osiris(['sessions'], { cwd: projectDir });
    assert.match(sessions.stdout, new RegExp(`${sessionId}\\s+awaiting_input`));
    const shown = await osiris(['show', sessionId], { cwd: projectDir });
    assert.match(shown.stdout, /you> find director Ava DuVernay/);
    assert.match(shown.stdout, /runs:\n.*run completed/);
  });

  test('osiris demo runs the scripted conversation end to end', async () => {
    const demo = await osiris(['demo'], { cwd: projectDir, timeoutMs: 180_000 });
    assert.equal(demo.code, 0, demo.stdout + demo.stderr);
    assert.match(demo.stdout, /Selma \(2014\)/);
    assert.match(demo.stdout, /run completed .* rows written to/);
  });

  test('clear errors: no message without a terminal, unknown session, unreachable Temporal', async () => {
    const noMessage = await osiris(['chat'], { cwd: projectDir });
    assert.equal(noMessage.code, 2);
    assert.match(noMessage.stderr, /No message given/);
    const unknown = await osiris(['show', 'no-such-session'], { cwd: projectDir });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /No session "no-such-session"/);
    const down = await osiris(['chat', 'hello'], { cwd: projectDir, env: { TEMPORAL_ADDRESS: '127.0.0.1:1' } });
    assert.equal(down.code, 3, down.stderr);
    assert.match(down.stderr, /Cannot reach Temporal at 127\.0\.0\.1:1/);
    assert.match(down.stderr, /hint: Check TEMPORAL_ADDRESS/);
  });
});
