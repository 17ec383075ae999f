import { SimplePlugin } from '@temporalio/plugin';
import type { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { loadProjectConfig } from '../config/project-config.js';
import { osirisPayloadCodecs } from '../temporal/data-converter.js';
import { createControlActivities } from './control.js';
import { createExecLocalWorkers } from './exec-local.js';
import { runWorkers } from './run-workers.js';
import { workflowSource } from './workflow-source.js';

export interface OsirisPluginOptions {
  /** Where osiris.yaml, osiris_connections.yaml and `.osiris/` live (default: the working directory). */
  projectDir?: string;
  /**
   * Also run Osiris's execution workers (`osiris-exec-local` and this host's queue) next to the
   * worker the plugin is given, on the same connection (default true). Turn off when dedicated
   * `osiris worker --queue exec-local` processes run elsewhere.
   */
  execution?: boolean;
}

/**
 * A Temporal worker plugin (`Worker.create({ plugins: [osirisPlugin()] })`). It registers the
 * activities Osiris workflows schedule on their own task queue (compiling OML, the agent's LLM and
 * tool calls), serves the Osiris workflows when the worker has none of its own (a user who has
 * workflows re-exports `pipelineRun` from `osiris-temporal/workflows` instead), and runs the
 * execution workers alongside.
 */
export class OsirisPlugin extends SimplePlugin {
  private connection?: NativeConnection;
  private namespace = 'default';
  private readonly config: ReturnType<typeof loadProjectConfig>;
  private readonly execution: boolean;

  constructor(options: OsirisPluginOptions = {}) {
    const config = loadProjectConfig(options.projectDir);
    // After the project's .env is loaded: the codec keys may come from there.
    const codecs = osirisPayloadCodecs();
    super({
      name: 'osiris',
      // Osiris payloads are encrypted when codec keys are set: the user's worker and client (if given
      // the plugin) get the same codec, after any codecs of their own.
      dataConverter: codecs.length === 0 ? undefined : (existing) => ({ ...existing, payloadCodecs: [...(existing?.payloadCodecs ?? []), ...codecs] }),
    });
    this.config = config;
    this.execution = options.execution ?? true;
  }

  override configureWorker(options: WorkerOptions): WorkerOptions {
    this.connection = options.connection;
    this.namespace = options.namespace ?? this.config.temporal.namespace;
    const configured = super.configureWorker(options);
    const activities = {
      ...createControlActivities(this.config),
      ...(configured.activities ?? {}),
    };
    const workflows = configured.workflowsPath || configured.workflowBundle ? {} : workflowSource();
    return { ...configured, ...workflows, activities };
  }

  override async runWorker(worker: Worker, next: (w: Worker) => Promise<void>): Promise<void> {
    if (!this.execution || !this.connection) return next(worker);
    const execWorkers = await createExecLocalWorkers({
      connection: this.connection,
      config: { ...this.config, temporal: { ...this.config.temporal, namespace: this.namespace } },
    });
    const abort = new AbortController();
    const execution = runWorkers(execWorkers, abort.signal);
    try {
      await next(worker);
    } finally {
      // The user's worker stopped: stop ours with it, letting in-flight steps finish.
      abort.abort();
      await execution;
    }
  }
}

export function osirisPlugin(options: OsirisPluginOptions = {}): OsirisPlugin {
  return new OsirisPlugin(options);
}
