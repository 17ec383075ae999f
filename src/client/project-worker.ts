import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { ProjectConfig } from '../config/project-config.js';
import { OsirisError } from '../errors.js';
import { payloadKeyIds } from '../temporal/data-converter.js';
import { withDirLock } from './dir-lock.js';
import { packageRoot } from '../package-root.js';

/**
 * The project worker (embedded mode): ONE background `osiris worker` process per project runs the
 * conversations, their approved runs and scheduled runs, so CLI commands are thin clients and no
 * shell runs another shell's steps. It is started by the first command that needs it, with that
 * command's environment (plus `.env`); its state is `.osiris/worker.json`, its log `.osiris/worker.log`.
 */
const stateSchema = z.object({ pid: z.number().int(), address: z.string(), namespace: z.string(), startedAt: z.string(), payloadKeys: z.string().default('') });
export type ProjectWorkerState = z.infer<typeof stateSchema>;

export const workerStateFile = (stateDir: string) => path.join(stateDir, 'worker.json');
export const workerLogFile = (stateDir: string) => path.join(stateDir, 'worker.log');
const lockDir = (stateDir: string) => path.join(stateDir, 'worker.lock');

/** How long a starting worker may take to connect and create its workers. */
const START_TIMEOUT_MS = 60_000;

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The recorded worker if its process is alive, else undefined (a stale file is removed). */
export function readProjectWorker(stateDir: string): ProjectWorkerState | undefined {
  let state: ProjectWorkerState;
  try {
    state = stateSchema.parse(JSON.parse(readFileSync(workerStateFile(stateDir), 'utf8')));
  } catch {
    return undefined;
  }
  if (isAlive(state.pid)) return state;
  rmSync(workerStateFile(stateDir), { force: true });
  return undefined;
}

/** Called by the worker process once its workers exist; the file is removed when it exits. */
export function registerProjectWorker(stateDir: string, state: Omit<ProjectWorkerState, 'pid' | 'startedAt' | 'payloadKeys'>): () => void {
  const other = readProjectWorker(stateDir);
  if (other && other.pid !== process.pid) {
    throw new OsirisError('CONFIG_INVALID', `The project worker is already running (pid ${other.pid})`, {
      hint: 'Stop it first with `osiris worker stop`, or use it: chat, approve and run reach it by themselves.',
    });
  }
  mkdirSync(stateDir, { recursive: true });
  const file = workerStateFile(stateDir);
  writeFileSync(file, JSON.stringify({ ...state, pid: process.pid, startedAt: new Date().toISOString(), payloadKeys: payloadKeyIds() }, null, 2) + '\n');
  return () => {
    if (readProjectWorker(stateDir)?.pid === process.pid) rmSync(file, { force: true });
  };
}

/**
 * The running project worker for this server, started (detached) if there is none. Concurrent
 * commands agree on one through a lock directory; a worker left from another server is replaced.
 */
export async function ensureProjectWorker(config: ProjectConfig, address: string, log: (line: string) => void): Promise<ProjectWorkerState> {
  const keys = payloadKeyIds();
  const usable = (state: ProjectWorkerState | undefined) => (state?.address === address && state.payloadKeys === keys ? state : undefined);
  const current = usable(readProjectWorker(config.stateDir));
  if (current) return current;
  mkdirSync(config.stateDir, { recursive: true });
  return withDirLock(lockDir(config.stateDir), START_TIMEOUT_MS, () => usable(readProjectWorker(config.stateDir)), async () => {
    // A worker of another server (the embedded port changed), or one that cannot read this shell's
    // payloads (OSIRIS_CODEC_KEYS changed): replace it.
    const stale = readProjectWorker(config.stateDir);
    if (stale) {
      if (stale.payloadKeys !== keys) log(`The payload keys differ from the project worker's (${stale.payloadKeys || 'none'} vs ${keys || 'none'}): restarting it with this shell's environment.`);
      await stopProjectWorker(config.stateDir);
    }
    return spawnProjectWorker(config, address, log);
  });
}

async function spawnProjectWorker(config: ProjectConfig, address: string, log: (line: string) => void): Promise<ProjectWorkerState> {
  const logFile = workerLogFile(config.stateDir);
  const fd = openSync(logFile, 'a');
  const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'osiris.js'), 'worker', 'start'], {
    cwd: config.projectDir,
    env: { ...process.env, NO_COLOR: '1' },
    detached: true,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && exited === null) {
    const state = readProjectWorker(config.stateDir);
    if (state && state.pid === child.pid) {
      child.unref();
      log(`Started the project worker (pid ${state.pid}, log ${path.relative(config.projectDir, logFile)}); it keeps running, with this shell's environment and .env (osiris worker stop).`);
      return state;
    }
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw startFailure(config, exited !== null ? `it exited with code ${exited}` : `it did not start within ${START_TIMEOUT_MS / 1000}s`);
}

function startFailure(config: ProjectConfig, why: string): OsirisError {
  let tail = '';
  try {
    tail = readFileSync(workerLogFile(config.stateDir), 'utf8').split('\n').slice(-12).join('\n');
  } catch {
    // no log yet
  }
  return new OsirisError('TEMPORAL_UNAVAILABLE', `Could not start the project worker: ${why}`, {
    hint: `See ${workerLogFile(config.stateDir)}${tail ? `:\n${tail}` : ''}`,
  });
}

/** Stops the project worker (SIGTERM: it finishes or cancels its tasks), waiting up to 30 s. */
export async function stopProjectWorker(stateDir: string): Promise<ProjectWorkerState | undefined> {
  const state = readProjectWorker(stateDir);
  if (!state) return undefined;
  process.kill(state.pid, 'SIGTERM');
  for (let i = 0; i < 300 && isAlive(state.pid); i++) await sleep(100);
  if (isAlive(state.pid)) process.kill(state.pid, 'SIGKILL');
  rmSync(workerStateFile(stateDir), { force: true });
  return state;
}
