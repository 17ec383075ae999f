import path from 'node:path';
import { loadProjectConfig } from '../../config/project-config.js';
import { OsirisError } from '../../errors.js';
import { deploymentOptionsSchema, parseBindAddress, startHealthServer, workerTuning, type DeploymentOptions } from '../../workers/deployment.js';
import { installRuntimeLogging } from '../../workers/runtime-logging.js';
import { runWorkers } from '../../workers/run-workers.js';
import { isListening } from '../dev-server.js';
import { createWorkers, WORKER_ROLES, type WorkerRole } from '../embedded-workers.js';
import { EXIT } from '../output.js';
import { readProjectWorker, registerProjectWorker, stopProjectWorker, workerLogFile } from '../project-worker.js';
import { openTemporal } from '../temporal-connection.js';

/** The embedded server gone for this long (stopped, machine asleep too long): the project worker exits. */
const ORPHAN_AFTER_MS = 120_000;

/**
 * `osiris worker [--queue control] [--queue exec-local]`: workers in the foreground. With a shared
 * server, as many as you like (with the deployment options: concurrency, grace period, metrics,
 * health); in embedded mode this is the project worker (one per project, also started in the
 * background by chat/approve/run).
 */
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
  if (config.embedded && roles.length !== WORKER_ROLES.length) {
    throw new OsirisError('CONFIG_INVALID', '--queue is for a shared server (TEMPORAL_ADDRESS)', { hint: 'In embedded mode the project worker serves every queue: run `osiris worker` without --queue.' });
  }
  const session = await openTemporal(config, (line) => process.stderr.write(line + '\n'));
  const abort = new AbortController();
  let unregister = () => {};
  let watchdog: NodeJS.Timeout | undefined;
  let healthServer: Awaited<ReturnType<typeof startHealthServer>> | undefined;
  try {
    const workers = await createWorkers(session, config, roles as WorkerRole[], workerTuning(deployment));
    healthServer = health ? await startHealthServer(health, () => workers) : undefined;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => abort.abort());
    if (config.embedded) {
      unregister = registerProjectWorker(config.stateDir, { address: session.address, namespace: session.namespace });
      watchdog = exitWhenServerGone(session.address, abort);
    }
    const extras = [metrics && `metrics on http://${metrics.host}:${metrics.port}/metrics`, health && `health on http://${health.host}:${health.port}/health`].filter(Boolean);
    process.stderr.write(
      `Workers running (${roles.join(', ')}) on ${session.address}, namespace ${session.namespace}, pid ${process.pid}${extras.length ? `; ${extras.join(', ')}` : ''}. Ctrl-C or SIGTERM stops them: running steps get ${deployment.graceSeconds} s to finish, then are handed back.\n`,
    );
    await runWorkers(workers, abort.signal);
  } finally {
    clearInterval(watchdog);
    unregister();
    healthServer?.close();
    await session.close();
  }
  return EXIT.ok;
}

function exitWhenServerGone(address: string, abort: AbortController): NodeJS.Timeout {
  let downSince: number | undefined;
  const timer = setInterval(() => {
    void isListening(address, 2000).then((up) => {
      downSince = up ? undefined : (downSince ?? Date.now());
      if (downSince !== undefined && Date.now() - downSince > ORPHAN_AFTER_MS) {
        process.stderr.write(`The Temporal server at ${address} has been gone for ${ORPHAN_AFTER_MS / 1000}s; stopping.\n`);
        abort.abort();
      }
    });
  }, 10_000);
  timer.unref();
  return timer;
}

/** `osiris worker status`: is the project worker running? 0 yes, 1 no. */
export function workerStatusCommand(): number {
  const config = loadProjectConfig();
  if (!config.embedded) {
    process.stdout.write(`With TEMPORAL_ADDRESS (${config.temporalAddress}) there is no project worker: your own \`osiris worker\` processes serve the queues.\n`);
    return EXIT.ok;
  }
  const state = readProjectWorker(config.stateDir);
  if (!state) {
    process.stdout.write('The project worker is not running (chat, approve and run start it).\n');
    return EXIT.failed;
  }
  process.stdout.write(`The project worker is running: pid ${state.pid}, since ${state.startedAt}, server ${state.address}, log ${path.relative(process.cwd(), workerLogFile(config.stateDir))}\n`);
  return EXIT.ok;
}

/** `osiris worker stop`: stops the project worker (it picks up new environment values when restarted). */
export async function workerStopCommand(): Promise<number> {
  const config = loadProjectConfig();
  const stopped = await stopProjectWorker(config.stateDir);
  process.stdout.write(stopped ? `Stopped the project worker (pid ${stopped.pid}).\n` : 'The project worker was not running.\n');
  return EXIT.ok;
}
