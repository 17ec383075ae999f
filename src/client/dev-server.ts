import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { OsirisError } from '../errors.js';
import { withDirLock } from './dir-lock.js';
import { osirisSearchAttributes } from '../workflows/search-attributes.js';

export interface DevServerOptions {
  cli: string;
  port: number;
  uiPort: number;
  namespace: string;
  /** SQLite file for durable state; omitted = in memory. */
  dbFile?: string;
  /** Extra `--dynamic-config-value` entries, e.g. `limit.historyCount.suggestContinueAsNew=40`. */
  dynamicConfig?: string[];
  /** The Web UI's remote codec endpoint (`osiris codec-server`), default TEMPORAL_CODEC_ENDPOINT. */
  uiCodecEndpoint?: string;
  /** Server output goes here (and is shown when startup fails). */
  logFile: string;
  /** Survive the parent process (embedded mode keeps the server warm between commands). */
  detached: boolean;
  /** How long to wait for the frontend to accept connections. */
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  process: ChildProcess;
}

export function devServerArgs(o: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port), '--ui-port', String(o.uiPort), '--namespace', o.namespace, '--log-level', 'warn', '--ui-disable-news-fetch'];
  // SQLite's default rollback journal syncs the file several times per commit, and a workflow step
  // is several commits: on a slow disk that was most of a step's cost (~100+ ms). A write-ahead log
  // synced at checkpoints keeps the database consistent after a crash of the server or the machine
  // and loses at most the last transactions on power loss, acceptable for an embedded dev server.
  if (o.dbFile) args.push('--db-filename', o.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  for (const key of osirisSearchAttributes) args.push('--search-attribute', `${key.name}=Keyword`);
  for (const value of o.dynamicConfig ?? []) args.push('--dynamic-config-value', value);
  const codecEndpoint = o.uiCodecEndpoint ?? process.env.TEMPORAL_CODEC_ENDPOINT?.trim();
  if (codecEndpoint) args.push('--ui-codec-endpoint', codecEndpoint);
  return args;
}

/** True when something accepts TCP connections on host:port. */
export function isListening(address: string, timeoutMs = 500): Promise<boolean> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The frontend listens before the namespace exists; a workflow start would fail in that gap. */
export async function namespaceReady(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close();
  }
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i) || '127.0.0.1', Number(address.slice(i + 1))];
}

/** Asks the OS for a free TCP port on 127.0.0.1 (tests run their own servers side by side). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `temporal server start-dev` and resolves once its gRPC frontend accepts connections. */
export async function startDevServer(o: DevServerOptions): Promise<DevServer> {
  mkdirSync(path.dirname(o.logFile), { recursive: true });
  if (o.dbFile) mkdirSync(path.dirname(o.dbFile), { recursive: true });
  const log = openSync(o.logFile, 'a');
  const child = spawn(o.cli, devServerArgs(o), { detached: o.detached, stdio: ['ignore', log, log] });
  closeSync(log);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const address = `127.0.0.1:${o.port}`;
  const deadline = Date.now() + (o.startTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (exited !== null) break;
    if ((await isListening(address)) && (await namespaceReady(address, o.namespace))) {
      if (o.detached) child.unref();
      return { address, uiUrl: `http://localhost:${o.uiPort}`, process: child };
    }
    await sleep(200);
  }
  child.kill('SIGTERM');
  const tail = readFileSync(o.logFile, 'utf8').split('\n').slice(-15).join('\n');
  throw new OsirisError(
    'TEMPORAL_UNAVAILABLE',
    exited !== null ? `The Temporal dev server exited (code ${exited}) while starting` : `The Temporal dev server did not start within ${(o.startTimeoutMs ?? 60_000) / 1000}s`,
    { hint: `Is port ${o.port} or ${o.uiPort} in use? Server log ${o.logFile}:\n${tail}` },
  );
}

export function stopDevServer(server: DevServer): Promise<void> {
  return new Promise((resolve) => {
    if (server.process.exitCode !== null) return resolve();
    server.process.once('exit', () => resolve());
    server.process.kill('SIGTERM');
  });
}

/** The embedded server: state in `.osiris/`, left running between commands so later ones start warm. */
export interface EmbeddedServerOptions {
  cli: () => string;
  stateDir: string;
  port: number;
  uiPort: number;
  namespace: string;
}

export function embeddedPidFile(stateDir: string): string {
  return path.join(stateDir, 'temporal.pid');
}

/** Reuses a server already listening on the port, or starts one detached with state in `.osiris/temporal.db`. */
export async function ensureEmbeddedServer(o: EmbeddedServerOptions): Promise<{ address: string; uiUrl: string; started: boolean }> {
  const address = `127.0.0.1:${o.port}`;
  const uiUrl = `http://localhost:${o.uiPort}`;
  const warm = async () => ((await isListening(address)) && (await namespaceReady(address, o.namespace)) ? { address, uiUrl, started: false } : undefined);
  if (await isListening(address)) return { address, uiUrl, started: false };
  mkdirSync(o.stateDir, { recursive: true });
  // Two commands started at once must not both start a server on the same port and database.
  return withDirLock(path.join(o.stateDir, 'server.lock'), 90_000, warm, () => startEmbedded(o, address, uiUrl));
}

async function startEmbedded(o: EmbeddedServerOptions, address: string, uiUrl: string): Promise<{ address: string; uiUrl: string; started: boolean }> {
  const server = await startDevServer({
    cli: o.cli(),
    port: o.port,
    uiPort: o.uiPort,
    namespace: o.namespace,
    dbFile: path.join(o.stateDir, 'temporal.db'),
    logFile: path.join(o.stateDir, 'temporal.log'),
    detached: true,
  });
  writeFileSync(embeddedPidFile(o.stateDir), String(server.process.pid));
  return { address, uiUrl, started: true };
}

/** Stops the embedded server started by an earlier command, if its pid file is there. */
export function stopEmbeddedServer(stateDir: string): boolean {
  const pidFile = embeddedPidFile(stateDir);
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8'));
  } catch {
    return false;
  }
  rmSync(pidFile, { force: true });
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}
