import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { freePort } from '../../src/client/dev-server.js';
import type { ResolvedConnection } from '../../src/connections/types.js';
import { OsirisError } from '../../src/errors.js';
import { outputTableName, type ManifestStep, type StepMode } from '../../src/oml/manifest.js';
import type { RunSetup } from '../../src/dataplane/step-contract.js';
import { createWorkspace, stepFile } from '../../src/dataplane/workspace.js';

export interface TestPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  stop(): Promise<void>;
}

/** PostgreSQL's server binaries: $OSIRIS_PG_BIN, else the newest Debian install, else `pg_config --bindir`. */
function findBinDir(): string {
  if (process.env.OSIRIS_PG_BIN) return process.env.OSIRIS_PG_BIN;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => existsSync(path.join(debian, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return path.join(debian, versions[0], 'bin');
  }
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('PostgreSQL server binaries not found (initdb, pg_ctl): install them (`apt-get install postgresql`) or set OSIRIS_PG_BIN');
  }
}

/**
 * A real PostgreSQL owned by one test file: a fresh cluster in a temp directory, password (scram)
 * authentication, a free port on 127.0.0.1. PostgreSQL refuses to run as root, so as root the
 * cluster belongs to the `postgres` OS user. Failing to start throws: tests never skip for want of it.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = findBinDir();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? ['runuser', '-u', 'postgres', '--', path.join(bin, tool), ...args] : [path.join(bin, tool), ...args];
    return spawnSync(command[0]!, command.slice(1), { encoding: 'utf8', cwd: dir });
  };
  const user = 'osiris';
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const database = 'osiris_test';
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'postgres.log');
  writeFileSync(path.join(dir, 'pwfile'), `${password}\n`);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
    chownSync(path.join(dir, 'pwfile'), uid, gid);
  }
  chmodSync(dir, 0o700);

  const init = run('initdb', ['-D', data, '-U', user, `--pwfile=${path.join(dir, 'pwfile')}`, '--auth=scram-sha-256', '-E', 'UTF8', '--no-locale', '--no-sync']);
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr || init.error?.message}`);
  const port = await freePort();
  // Durability settings off: a test cluster is thrown away, and they make loads several times faster.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  const start = run('pg_ctl', ['-D', data, '-l', log, '-o', serverOptions, '-w', '-t', '60', 'start']);
  if (start.status !== 0) {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    throw new Error(`PostgreSQL did not start (${start.status}): ${start.stderr}${serverLog}`);
  }
  let stopped = false;
  const stopNow = (mode: 'fast' | 'immediate') => {
    if (stopped) return;
    stopped = true;
    run('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
  };
  // A crashed test run must not leave a server behind.
  process.once('exit', () => stopNow('immediate'));

  const admin = new pg.Client({ host: '127.0.0.1', port, user, password, database: 'postgres' });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${database}`);
  } finally {
    await admin.end();
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    url: `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    stop: async () => stopNow('fast'),
  };
}

/** A run workspace whose connections resolve from a fixed table (as osiris_connections.yaml would). */
export async function connectorRun(connections: Record<string, ResolvedConnection>): Promise<{ ctx: RunSetup; cleanup(): Promise<void> }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'osiris-connector-'));
  const ctx: RunSetup = {
    workspaceDir: await createWorkspace(path.join(root, 'runs'), 'run-1'),
    projectDir: root,
    outputDir: path.join(root, 'output'),
    resolveConnection: async (ref) => {
      const found = connections[ref];
      if (!found) throw new OsirisError('CONNECTION_NOT_FOUND', `No connection ${ref}`, { hint: 'Test setup' });
      return found;
    },
  };
  return { ctx, cleanup: async () => rmSync(root, { recursive: true, force: true }) };
}

/** A compiled step as the compiler emits it (config defaults filled in by the caller). */
export function makeStep(id: string, component: string, mode: StepMode, config: Record<string, unknown>, needs: string[] = []): ManifestStep {
  return { id, component, component_version: '1.0.0', mode, needs, output_table: outputTableName(id), config };
}

/** Rows of `sql` against a step's output file, as JS values. */
export async function readStepRows(ctx: RunSetup, stepId: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const conn = await instance.connect();
    await conn.run(`ATTACH '${stepFile(ctx.workspaceDir, stepId)}' AS s (READ_ONLY)`);
    await conn.run('USE s');
    const reader = await conn.runAndReadAll(sql);
    conn.closeSync();
    return reader.getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    instance.closeSync();
  }
}
