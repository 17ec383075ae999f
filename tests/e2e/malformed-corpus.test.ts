import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { osiris, repoRoot, type CliResult } from '../support/cli.js';
import { makeProject } from '../support/project.js';

/**
 * Every file under tests/fixtures/malformed/ is bad input a user could write. Through the built CLI,
 * each must end with exit 2, name the file with line:column when there is a file, and never print a
 * stack trace:
 *   oml/*          osiris validate oml/<file>            (in a project with data, .env, connections)
 *   project/*      osiris validate ok.yaml               (the case is the project's osiris.yaml)
 *   connections/*  osiris connections list               (the case is its osiris_connections.yaml)
 *   cli/*.json     osiris <args>                         (CLI misuse, no file to point at)
 */
const corpus = path.join(repoRoot, 'tests', 'fixtures', 'malformed');
const OK_PIPELINE = `oml_version: "0.1.0"
name: ok
params: { min_rating: 8 }
steps:
  - id: extract
    component: sqlite.extractor
    mode: read
    config: { connection: "@sqlite.demo", table: movies }
  - id: save
    component: filesystem.csv_writer
    mode: write
    config: { path: out.csv }
`;
const CONNECTIONS = `connections:
  postgres:
    withenv: { host: localhost, user: app, password: "\${OSIRIS_CORPUS_UNSET_SECRET}", database: app }
  sqlite:
    other: { path: data/other.sqlite }
`;
// A stack frame: "    at fn (file:1:2)", "    at file:1:2", "    at async fn (...)", "    at new X (<anonymous>)".
const STACK_FRAME = /^\s+at (?:async )?.*(?::\d+:\d+\)?|<anonymous>\)?|\(native\))$/m;

interface Case {
  name: string;
  args: string[];
  cwd: string;
  /** The file name the output must point into with :line:col; undefined for CLI misuse. */
  locatedIn?: string;
}

function baseProject(): string {
  const dir = makeProject({ 'ok.yaml': OK_PIPELINE, 'osiris_connections.yaml': CONNECTIONS, '.env': 'OSIRIS_CORPUS_DOTENV=1\n', 'data/movies.csv': 'id,title\n1,Heat\n' });
  writeFileSync(path.join(dir, 'data', 'binary.bin'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x80]));
  symlinkSync('/etc/passwd', path.join(dir, 'data', 'link-out.csv'));
  symlinkSync('/etc', path.join(dir, 'data', 'etc-dir'));
  cpSync(path.join(corpus, 'oml'), path.join(dir, 'oml'), { recursive: true });
  return dir;
}

function cases(): Case[] {
  const project = baseProject();
  const list = (kind: string) => readdirSync(path.join(corpus, kind)).sort();
  const withFile = (kind: string, file: string, target: string, args: string[]): Case => {
    const cwd = makeProject({ 'ok.yaml': OK_PIPELINE });
    writeFileSync(path.join(cwd, target), readFileSync(path.join(corpus, kind, file)));
    mkdirSync(path.join(cwd, 'data'), { recursive: true });
    return { name: `${kind}/${file}`, args, cwd, locatedIn: target };
  };
  return [
    ...list('oml').map((file): Case => ({ name: `oml/${file}`, args: ['validate', `oml/${file}`], cwd: project, locatedIn: `oml/${file}` })),
    ...list('project').map((file) => withFile('project', file, 'osiris.yaml', ['validate', 'ok.yaml'])),
    ...list('connections').map((file) => withFile('connections', file, 'osiris_connections.yaml', ['connections', 'list'])),
    ...list('cli').map((file): Case => ({ name: `cli/${file}`, args: (JSON.parse(readFileSync(path.join(corpus, 'cli', file), 'utf8')) as { args: string[] }).args, cwd: project })),
  ];
}

class ExitCalled extends Error {
  constructor(readonly code: number) {
    super(`process.exit(${code})`);
  }
}

/**
 * Runs the built CLI's entry (what bin/osiris.js imports) in this process: a node start per case
 * costs seconds on a loaded machine. process.exit, the output streams, cwd and env are swapped for the
 * call; an error escaping main() is printed with its stack, as node would print it.
 */
async function osirisInProcess(args: string[], cwd: string): Promise<CliResult> {
  const { main } = (await import(path.join(repoRoot, 'dist', 'src', 'client', 'cli.js'))) as { main: (argv: string[]) => Promise<void> };
  const saved = { out: process.stdout.write, err: process.stderr.write, exit: process.exit, cwd: process.cwd(), env: { ...process.env } };
  let stdout = '';
  let stderr = '';
  const started = Date.now();
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.exit = ((code?: number) => {
    throw new ExitCalled(code ?? 0);
  }) as typeof process.exit;
  process.chdir(cwd);
  process.exitCode = undefined;
  let code: number;
  try {
    await main(['node', 'osiris', ...args]);
    code = Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof ExitCalled) code = err.code;
    else {
      stderr += `${err instanceof Error ? err.stack : String(err)}\n`;
      code = 1;
    }
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exit = saved.exit;
    process.chdir(saved.cwd);
    process.exitCode = undefined;
    for (const key of Object.keys(process.env)) if (!(key in saved.env)) delete process.env[key];
    Object.assign(process.env, saved.env);
  }
  return { code, stdout, stderr, ms: Date.now() - started };
}

/** What is wrong with one result, or undefined when it is handled as bad input should be. */
function judge(c: Case, r: CliResult): string | undefined {
  const output = `${r.stdout}\n${r.stderr}`;
  const wrong: string[] = [];
  if (r.code !== 2) wrong.push(`exit ${r.code}, expected 2`);
  if (c.locatedIn !== undefined && !new RegExp(`${c.locatedIn.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+`).test(output)) wrong.push(`no ${c.locatedIn}:line:col`);
  if (STACK_FRAME.test(output)) wrong.push('stack trace');
  return wrong.length === 0 ? undefined : `${c.name}: ${wrong.join(', ')}\n    ${output.trim().split('\n').slice(0, 4).join('\n    ').slice(0, 600)}`;
}

async function pool<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await fn(items[index]!);
      }
    }),
  );
  return results;
}

test('every malformed input exits 2 with file:line:col and no stack trace', { timeout: 600_000 }, async () => {
  const all = cases();
  assert.ok(all.length >= 150, `the corpus has ${all.length} cases`);
  process.env.NO_COLOR = '1';
  delete process.env.TEMPORAL_ADDRESS;
  const failed: string[] = [];
  for (const c of all) {
    const verdict = judge(c, await osirisInProcess(c.args, c.cwd));
    if (verdict !== undefined) failed.push(verdict);
  }
  console.log(`malformed corpus: ${failed.length} of ${all.length} cases mishandled`);
  assert.deepEqual(failed, [], `${failed.length} of ${all.length} malformed inputs were mishandled:\n${failed.join('\n')}`);
});

test('the real bin handles a sample of the corpus the same way', { timeout: 300_000 }, async () => {
  const sample = cases().filter((c) => /(edge-alias-bomb|edge-utf16le-bom|input-etc-passwd|multi-document|server-bad-port|param-no-equals)/.test(c.name));
  assert.ok(sample.length >= 6);
  const verdicts = await pool(sample, 2, async (c) => judge(c, await osiris(c.args, { cwd: c.cwd, timeoutMs: 120_000 })));
  assert.deepEqual(verdicts.filter((v) => v !== undefined), []);
});
