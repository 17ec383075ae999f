import { loadProjectConfig } from '../../config/project-config.js';
import { OsirisError } from '../../errors.js';
import { deploymentOptionsSchema, parseBindAddress, startHealthServer, workerTuning, type DeploymentOptions } from '../../workers/deployment.js';
import { installRuntimeLogging } from '../../workers/runtime-logging.js';
import { runWorkers } from '../../workers/run-workers.js';
import { createWorkers, WORKER_ROLES, type WorkerRole } from '../embedded-workers.js';
import { EXIT } from '../output.js';
import { openTemporal } from '../temporal-connection.js';

/** `osiris worker --queue control --queue exec-local`: long-running workers for a shared server. */
export async function workerCommand(opts: { queue: string[] } & Partial<DeploymentOptions>): Promise<number> {
  const roles = opts.queue.length > 0 ? opts.queue : WORKER_ROLES;
  for (const role of roles) {
    if (!WORKER_ROLES.includes(role as WorkerRole)) {
      throw new OsirisError('CONFIG_INVALID', `Unknown queue "${role}"`, { hint: `Use --queue ${WORKER_ROLES.join(' or --queue ')}.` });
    }
  }
  const { maxActivities, maxWorkflowTasks, graceSeconds, metrics: metricsFlag, health: healthFlag } = opts;
  const parsed = deploymentOptionsSchema.safeParse({ maxActivities, maxWorkflowTasks, graceSeconds, metrics: metricsFlag, health: healthFlag });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    throw new OsirisError('CONFIG_INVALID', `--${flag}: ${issue.message}`, { hint: 'See `osiris worker --help`.' });
  }
  const deployment = parsed.data;
  const metrics = deployment.metrics ? parseBindAddress(deployment.metrics, '--metrics') : undefined;
  const health = deployment.health ? parseBindAddress(deployment.health, '--health') : undefined;
  installRuntimeLogging('INFO', metrics ? `${metrics.host}:${metrics.port}` : undefined);
  const config = loadProjectConfig();
  const session = await openTemporal(config, (line) => process.stderr.write(line + '\n'));
  const workers = await createWorkers(session, config, roles as WorkerRole[], workerTuning(deployment));
  const healthServer = health ? await startHealthServer(health, () => workers) : undefined;
  const abort = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort());
  const extras = [metrics && `metrics on http://${metrics.host}:${metrics.port}/metrics`, health && `health on http://${health.host}:${health.port}/health`].filter(Boolean);
  process.stderr.write(`Workers running (${roles.join(', ')}) on ${session.address}, namespace ${session.namespace}${extras.length ? `; ${extras.join(', ')}` : ''}. Ctrl-C or SIGTERM stops them: running steps get ${deployment.graceSeconds} s to finish, then are handed back.\n`);
  try {
    await runWorkers(workers, abort.signal);
  } finally {
    healthServer?.close();
    await session.close();
  }
  return EXIT.ok;
}
