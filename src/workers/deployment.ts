import http from 'node:http';
import type { Worker, WorkerOptions } from '@temporalio/worker';
import { z } from 'zod';
import { OsirisError } from '../errors.js';

/** What `osiris worker` accepts for running in production (CLI flags, validated here). */
export const deploymentOptionsSchema = z.strictObject({
  /** Steps (activities) one worker runs at once; workflow tasks at once. */
  maxActivities: z.number().int().min(1).max(1000).optional(),
  maxWorkflowTasks: z.number().int().min(1).max(1000).optional(),
  /** On SIGTERM: how long running steps may take to finish before they are cancelled and handed back. */
  graceSeconds: z.number().int().min(0).max(86_400).default(60),
  /** host:port (or a port) of the Prometheus exporter of the SDK's metrics. */
  metrics: z.string().min(1).optional(),
  /** host:port (or a port) of the health endpoint. */
  health: z.string().min(1).optional(),
});
export type DeploymentOptions = z.infer<typeof deploymentOptionsSchema>;

/** Worker options the flags turn into, for every worker this process creates. */
export type WorkerTuning = Pick<WorkerOptions, 'maxConcurrentActivityTaskExecutions' | 'maxConcurrentWorkflowTaskExecutions' | 'shutdownGraceTime'>;

export function workerTuning(o: DeploymentOptions): WorkerTuning {
  return {
    ...(o.maxActivities ? { maxConcurrentActivityTaskExecutions: o.maxActivities } : {}),
    ...(o.maxWorkflowTasks ? { maxConcurrentWorkflowTaskExecutions: o.maxWorkflowTasks } : {}),
    shutdownGraceTime: `${o.graceSeconds} seconds`,
  };
}

/** `9464` or `0.0.0.0:9464` → host and port (a bare port binds all interfaces, as exporters usually do). */
export function parseBindAddress(value: string, flag: string): { host: string; port: number } {
  const m = /^(?:(.+):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 0 || port > 65535) {
    throw new OsirisError('CONFIG_INVALID', `${flag} "${value}" is not a port or host:port`, { hint: `For example ${flag} 9464 or ${flag} 127.0.0.1:9464.` });
  }
  return { host: (m[1] ?? '0.0.0.0').replace(/^\[|\]$/g, ''), port };
}

/**
 * GET /health: 200 while every worker is running, 503 (with each worker's state) once one is
 * stopping or failed, so an orchestrator restarts or stops routing to this process.
 */
export function startHealthServer(bind: { host: string; port: number }, workers: () => Worker[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url !== '/health' && req.url !== '/')) {
      res.writeHead(404).end();
      return;
    }
    const states = workers().map((w) => ({ taskQueue: w.options.taskQueue, state: w.getState() }));
    const healthy = states.length > 0 && states.every((s) => s.state === 'RUNNING');
    res.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' }).end(JSON.stringify({ status: healthy ? 'ok' : 'unavailable', workers: states }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new OsirisError('CONFIG_INVALID', `--health ${bind.host}:${bind.port}: ${err.message}`, { hint: 'Choose a free port.' })));
    server.listen(bind.port, bind.host, () => resolve(server));
  });
}
