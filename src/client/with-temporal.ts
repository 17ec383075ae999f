import pc from 'picocolors';
import type { ProjectConfig } from '../config/project-config.js';
import { startEmbeddedWorkers } from './embedded-workers.js';
import { openTemporal, type TemporalSession } from './temporal-connection.js';

/**
 * Runs `fn` with a Temporal connection and, in embedded mode, the workers running in this process
 * for as long as `fn` runs; everything is closed afterwards whatever happens.
 */
export async function withTemporal<T>(config: ProjectConfig, fn: (session: TemporalSession) => Promise<T>): Promise<T> {
  const session = await openTemporal(config, (line) => process.stderr.write(pc.dim(line) + '\n'));
  try {
    const workers = config.embedded ? await startEmbeddedWorkers(session, config) : undefined;
    try {
      return await fn(session);
    } finally {
      await workers?.stop();
    }
  } finally {
    await session.close();
  }
}
