import pc from 'picocolors';
import { loadProjectConfig } from '../../config/project-config.js';
import { OsirisError } from '../../errors.js';
import { OmlInvalidError } from '../../oml/errors.js';
import { EXECUTION_TARGETS, type ExecutionTarget } from '../../workflows/task-queues.js';
import { requireWorkers } from '../check-workers.js';
import { compilePipeline, readPipeline } from '../load-pipeline.js';
import { ownRunQueue, startRunWorkers } from '../embedded-workers.js';
import { EXIT } from '../output.js';
import { followRun } from '../follow-run.js';
import { formatProblems, problemCounts } from '../render-problems.js';
import { hostFailoverOf, startPipelineRun } from '../start-run.js';
import { withTemporal } from '../with-temporal.js';
import { preloadDrivers } from '../../runtime/preload-drivers.js';

export interface RunOptions {
  param: string[];
  target?: string;
}

export async function runCommand(file: string, opts: RunOptions): Promise<number> {
  const started = Date.now();
  const config = loadProjectConfig();
  const target = (opts.target ?? config.execution.target) as ExecutionTarget;
  if (!EXECUTION_TARGETS.includes(target)) {
    throw new OsirisError('CONFIG_INVALID', `Unknown target "${opts.target}"`, { hint: `Use --target ${EXECUTION_TARGETS.join(' or ')}.` });
  }

  let compiled;
  let source;
  try {
    source = await readPipeline(file, opts.param);
    compiled = await compilePipeline(source);
  } catch (err) {
    if (err instanceof OmlInvalidError) {
      process.stderr.write(formatProblems(file, err.problems) + '\n');
      process.stderr.write(`${pc.red('error:')} ${file} is not a valid pipeline (${problemCounts(err.problems)}); nothing was run.\n`);
      return EXIT.invalid;
    }
    throw err;
  }
  if (compiled.warnings.length > 0) process.stderr.write(formatProblems(file, compiled.warnings) + '\n');

  return withTemporal(
    config,
    async (session) => {
      if (!config.embedded) await requireWorkers(session.client, target);
      // Embedded: the steps run here, on a queue of this process, with this shell's environment.
      const execQueue = config.embedded ? ownRunQueue(target) : undefined;
      const handle = await startPipelineRun(session.client, compiled, target, { oml: source.text, execQueue, hostFailover: hostFailoverOf(config.execution) });
      // The run's first task waits on that queue while this process creates the worker taking it and
      // imports the steps' drivers, instead of the run starting only after both.
      if (execQueue && target === 'local') void preloadDrivers(compiled.manifest.steps.map((s) => s.component));
      const own = execQueue
        ? await startRunWorkers(session, config, target, execQueue).catch(async (err: unknown) => {
            await handle.terminate('osiris run could not start the worker for its steps').catch(() => {});
            throw err;
          })
        : undefined;
      try {
        process.stdout.write(`${pc.bold(compiled.manifest.pipeline.name)}  ${pc.dim(`fingerprint ${compiled.fingerprint.slice(0, 12)}  target ${target}`)}\n`);
        return await followRun(handle, session, compiled.manifest, started);
      } finally {
        await own?.stop();
      }
    },
    { worker: true },
  );
}
