import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql from 'mysql2/promise';
import { freePort } from '../../src/client/dev-server.js';

export interface TestMariadb {
  host: string;
  port: number;
  /** A password-authenticated user with every privilege (root keeps only the socket). */
  user: string;
  password: string;
  /** Connection values as they would appear in osiris_connections.yaml (without `database`). */
  values(database?: string): Record<string, unknown>;
  /** Runs statements as the test user (multiple statements allowed), for fixtures and assertions. */
  query<T = Record<string, unknown>[]>(sql: string, params?: unknown[], database?: string): Promise<T>;
  /** The `mariadb` command line client arguments for this server (for benchmarks). */
  clientArgs(database: string): string[];
  stop(): Promise<void>;
}

const PASSWORD = 'osiris-test-pw-4711';

/**
 * A real MariaDB owned by the caller: a fresh data directory under the temp dir, a free port, real
 * password authentication. A machine without MariaDB fails here (never skips): `.ci/run` installs it.
 */
export async function startTestMariadb(): Promise<TestMariadb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'osiris-mariadb-'));
  const datadir = path.join(dir, 'data');
  const socket = path.join(dir, 'mariadb.sock');
  const logFile = path.join(dir, 'error.log');
  const install = spawnSync('mariadb-install-db', ['--no-defaults', `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--user=${os.userInfo().username}`], { encoding: 'utf8' });
  if (install.error || install.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (is mariadb-server installed?): ${install.error?.message ?? install.stderr}`);
  }
  const port = await freePort();
  const server = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      `--log-error=${logFile}`,
      `--pid-file=${path.join(dir, 'mariadbd.pid')}`,
      `--user=${os.userInfo().username}`,
      '--skip-name-resolve',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      '--innodb-buffer-pool-size=256M',
      '--innodb-flush-log-at-trx-commit=2',
      '--max-allowed-packet=64M',
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  try {
    await waitForSocket(server, socket, logFile);
  } catch (err) {
    await stopProcess(server, exited);
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const admin = await mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: true });
  await admin.query(`CREATE USER 'osiris'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT ALL PRIVILEGES ON *.* TO 'osiris'@'%' WITH GRANT OPTION;`);
  await admin.end();

  const values = (database?: string): Record<string, unknown> => ({ host: '127.0.0.1', port, user: 'osiris', password: PASSWORD, ...(database === undefined ? {} : { database }) });
  return {
    host: '127.0.0.1',
    port,
    user: 'osiris',
    password: PASSWORD,
    values,
    async query<T>(sql: string, params: unknown[] = [], database?: string): Promise<T> {
      const conn = await mysql.createConnection({ ...values(database), multipleStatements: true, supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
      try {
        const [rows] = await conn.query(sql, params);
        return rows as T;
      } finally {
        await conn.end();
      }
    },
    clientArgs: (database) => ['--no-defaults', '-h', '127.0.0.1', '-P', String(port), '-u', 'osiris', `-p${PASSWORD}`, database],
    async stop() {
      await stopProcess(server, exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForSocket(server: ChildProcess, socket: string, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`mariadbd exited with ${server.exitCode}: ${readLog(logFile)}`);
    try {
      const conn = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await conn.end();
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`mariadbd did not accept connections within 60 s: ${readLog(logFile)}`);
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no error log)';
  }
}

async function stopProcess(server: ChildProcess, exited: Promise<void>): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  server.kill('SIGTERM');
  // The timer must not outlive a quick exit: a pending one would keep the test process alive.
  const timer = new AbortController();
  const timedOut = await Promise.race([exited.then(() => false), sleep(30_000, true, { signal: timer.signal }).catch(() => false)]);
  timer.abort();
  if (timedOut) {
    server.kill('SIGKILL');
    await exited;
  }
}

/**
 * Creates `database.table` with `rows` rows of 10 mixed columns (BIGINT key, INT, DECIMAL, DOUBLE,
 * two VARCHARs, DATETIME, DATE, TINYINT, TEXT with NULLs), generated server-side.
 */
export async function createMixedTable(server: TestMariadb, database: string, table: string, rows: number): Promise<void> {
  await server.query(`CREATE DATABASE IF NOT EXISTS \`${database}\`; USE \`${database}\`;
    CREATE TABLE \`${table}\` (id BIGINT PRIMARY KEY, qty INT, price DECIMAL(12,2), ratio DOUBLE, name VARCHAR(64), city VARCHAR(32), created DATETIME, day DATE, flag TINYINT(1), note TEXT);
    INSERT INTO \`${table}\` SELECT seq, seq % 1000, seq * 1.25, seq / 7, CONCAT('name ', seq), CONCAT('city ', seq % 500), '2024-01-01 00:00:00' + INTERVAL seq SECOND,
      '2020-01-01' + INTERVAL (seq % 2000) DAY, seq % 2, IF(seq % 10 = 0, NULL, CONCAT('comment number ', seq)) FROM seq_1_to_${Math.trunc(rows)};`);
}
