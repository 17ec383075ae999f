import pc from 'picocolors';
import type { ProjectConfig } from '../config/project-config.js';
import { ensureProjectWorker } from './project-worker.js';
import { openTemporal, type TemporalSession } from './temporal-connection.js';

export interface TemporalNeeds {
  /**
   * The command needs workflow code to run or answer (chat, approve, show, run, schedule runs): in
   * embedded mode the project worker is started if it is not running. With TEMPORAL_ADDRESS the
   * user runs the workers; the CLI runs none.
   */
  worker?: boolean;
}

/** Runs `fn` with a Temporal connection, closed afterwards whatever happens. */
export async function withTemporal<T>(config: ProjectConfig, fn: (session: TemporalSession) => Promise<T>, needs: TemporalNeeds = {}): Promise<T> {
  const log = (line: string) => process.stderr.write(pc.dim(line) + '\n');
  const session = await openTemporal(config, log);
  try {
    if (needs.worker && config.embedded) await ensureProjectWorker(config, session.address, log);
    return await fn(session);
  } finally {
    await session.close();
  }
}
