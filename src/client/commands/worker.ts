import { loadProjectConfig } from '../../config/project-config.js';
import { OsirisError } from '../../errors.js';
import { installRuntimeLogging } from '../../workers/runtime-logging.js';
import { runWorkers } from '../../workers/run-workers.js';
import { createWorkers, WORKER_ROLES, type WorkerRole } from '../embedded-workers.js';
import { EXIT } from '../output.js';
import { openTemporal } from '../temporal-connection.js';

/** `osiris worker --queue control --queue exec-local`: long-running workers for a shared server. */
export async function workerCommand(opts: { queue: string[] }): Promise<number> {
  const roles = opts.queue.length > 0 ? opts.queue : WORKER_ROLES;
  for (const role of roles) {
    if (!WORKER_ROLES.includes(role as WorkerRole)) {
      throw new OsirisError('CONFIG_INVALID', `Unknown queue "${role}"`, { hint: `Use --queue ${WORKER_ROLES.join(' or --queue ')}.` });
    }
  }
  installRuntimeLogging('INFO');
  const config = loadProjectConfig();
  const session = await openTemporal(config, (line) => process.stderr.write(line + '\n'));
  const workers = await createWorkers(session, config, roles as WorkerRole[]);
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort());
  process.stderr.write(`Workers running (${roles.join(', ')}) on ${session.address}, namespace ${session.namespace}. Ctrl-C to stop.\n`);
  try {
    await runWorkers(workers, abort.signal);
  } finally {
    await session.close();
  }
  return EXIT.ok;
}
