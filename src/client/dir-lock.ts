import { mkdirSync, rmSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `fn` holding a lock directory (mkdir is atomic), so concurrent CLI processes of one project
 * do not both start the embedded server or the project worker. `ready()` is checked while
 * waiting: once another process has done the work, its result is used. A lock older than
 * `staleMs` was left by a killed process and is broken.
 */
export async function withDirLock<T>(lock: string, staleMs: number, ready: () => Promise<T | undefined> | T | undefined, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + staleMs * 2;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const done = await ready();
      if (done !== undefined) return done;
      if (Date.now() - modifiedAt(lock) > staleMs) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(100);
    }
  }
  try {
    return (await ready()) ?? (await fn());
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function modifiedAt(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return Date.now();
  }
}
