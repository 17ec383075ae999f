import { createHash } from 'node:crypto';
import os from 'node:os';

/**
 * A queue name stable for this host and state directory: a worker restarted on the same machine
 * serves the same queue and finds the run's workspace still on disk.
 */
export function hostTaskQueue(baseQueue: string, stateDir: string): string {
  const digest = createHash('sha256').update(`${os.hostname()}\0${stateDir}`).digest('hex').slice(0, 10);
  return `${baseQueue}@${os.hostname()}-${digest}`;
}
