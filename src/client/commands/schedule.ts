import { setTimeout as sleep } from 'node:timers/promises';
import { ScheduleNotFoundError, type Client, type ScheduleHandle } from '@temporalio/client';
import pc from 'picocolors';
import { loadProjectConfig } from '../../config/project-config.js';
import { OsirisError } from '../../errors.js';
import type { pipelineRun } from '../../workflows/pipeline-run.js';
import { EXECUTION_TARGETS, type ExecutionTarget } from '../../workflows/task-queues.js';
import { followRun } from '../follow-run.js';
import { compilePipeline, readPipeline } from '../load-pipeline.js';
import { hostFailoverOf } from '../start-run.js';
import { EXIT } from '../output.js';
import { formatProblems } from '../render-problems.js';
import { createPipelineSchedule, scheduledInput, type CreateScheduleOptions } from '../schedules.js';
import { withTemporal } from '../with-temporal.js';

const OVERLAPS = ['skip', 'buffer_one', 'allow_all'] as const;

async function existingSchedule(client: Client, id: string): Promise<{ handle: ScheduleHandle; description: Awaited<ReturnType<ScheduleHandle['describe']>> }> {
  const handle = client.schedule.getHandle(id);
  try {
    return { handle, description: await handle.describe() };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) {
      throw new OsirisError('CONFIG_INVALID', `No schedule "${id}"`, { hint: 'List schedules with `osiris schedule list`.' });
    }
    throw err;
  }
}

export async function scheduleCreateCommand(file: string, opts: { cron: string; param: string[]; target?: string; id?: string; overlap: string }): Promise<number> {
  const config = loadProjectConfig();
  const target = (opts.target ?? config.execution.target) as ExecutionTarget;
  if (!EXECUTION_TARGETS.includes(target)) throw new OsirisError('CONFIG_INVALID', `Unknown target "${opts.target}"`, { hint: `Use --target ${EXECUTION_TARGETS.join(' or ')}.` });
  if (!(OVERLAPS as readonly string[]).includes(opts.overlap)) throw new OsirisError('CONFIG_INVALID', `Unknown overlap policy "${opts.overlap}"`, { hint: `Use --overlap ${OVERLAPS.join(', ')}.` });
  const source = await readPipeline(file, opts.param);
  const compiled = await compilePipeline(source);
  if (compiled.warnings.length > 0) process.stderr.write(formatProblems(file, compiled.warnings) + '\n');
  return withTemporal(config, async (session) => {
    let handle: ScheduleHandle;
    try {
      handle = await createPipelineSchedule(session.client, compiled, { cron: opts.cron, target, scheduleId: opts.id, overlap: opts.overlap as CreateScheduleOptions['overlap'], oml: source.text, hostFailover: hostFailoverOf(config.execution) });
    } catch (err) {
      const message = (err as Error).message;
      throw new OsirisError('CONFIG_INVALID', `Could not create the schedule: ${message}`, {
        hint: /already/i.test(message) ? 'A schedule with this id exists: delete it first or pass --id.' : 'Check the --cron expression (five fields: minute hour day month weekday).',
      });
    }
    const { info } = await handle.describe();
    process.stdout.write(`schedule ${pc.bold(handle.scheduleId)}  ${compiled.manifest.pipeline.name} ${pc.dim(`fingerprint ${compiled.fingerprint.slice(0, 12)}`)}  cron "${opts.cron}"  overlap ${opts.overlap}\n`);
    process.stdout.write(`next runs: ${info.nextActionTimes.slice(0, 3).map((d) => d.toISOString()).join(', ')}\n`);
    process.stdout.write(pc.dim(config.embedded ? 'Scheduled runs are executed by the project worker (osiris worker status) while the embedded server runs.' : 'Scheduled runs need running workers: `osiris worker`.') + '\n');
    return EXIT.ok;
  }, { worker: true });
}

export async function scheduleListCommand(): Promise<number> {
  return withTemporal(loadProjectConfig(), async (session) => {
    let count = 0;
    for await (const s of session.client.schedule.list()) {
      const description = await session.client.schedule.getHandle(s.scheduleId).describe();
      const last = description.info.recentActions.at(-1);
      const next = description.info.nextActionTimes[0];
      const cron = String(description.memo?.cron ?? '');
      process.stdout.write(
        `${s.scheduleId.padEnd(36)} ${String(description.memo?.pipeline ?? '').padEnd(24)} ${cron.padEnd(16)} ${description.state.paused ? pc.yellow('paused ') : 'active '} ` +
          pc.dim(`next ${next?.toISOString() ?? '-'}  last ${last?.takenAt.toISOString() ?? '-'}`) +
          '\n',
      );
      count++;
    }
    if (count === 0) process.stdout.write(pc.dim('No schedules. Create one: osiris schedule create examples/top-rated-movies.yaml --cron "0 6 * * *"') + '\n');
    return EXIT.ok;
  });
}

export async function schedulePauseCommand(id: string, opts: { note?: string; resume?: boolean }): Promise<number> {
  return withTemporal(loadProjectConfig(), async (session) => {
    const { handle } = await existingSchedule(session.client, id);
    if (opts.resume) await handle.unpause(opts.note ?? 'resumed with osiris');
    else await handle.pause(opts.note ?? 'paused with osiris');
    process.stdout.write(`${id} ${opts.resume ? 'resumed' : 'paused'}\n`);
    return EXIT.ok;
  });
}

export async function scheduleDeleteCommand(id: string): Promise<number> {
  return withTemporal(loadProjectConfig(), async (session) => {
    const { handle } = await existingSchedule(session.client, id);
    await handle.delete();
    // Deletion reaches the schedule asynchronously; wait until it is really gone so a following
    // command never acts on a schedule this one reported deleted.
    for (let i = 0; i < 100; i++) {
      const gone = await handle.describe().then(
        () => false,
        (err: unknown) => err instanceof ScheduleNotFoundError,
      );
      if (gone) break;
      await sleep(100);
    }
    process.stdout.write(`${id} deleted (runs already started are not affected)\n`);
    return EXIT.ok;
  });
}

/** Runs the schedule's action now and follows the run it started (the project worker serves it). */
export async function scheduleTriggerCommand(id: string, opts: { wait: boolean }): Promise<number> {
  return withTemporal(loadProjectConfig(), async (session) => {
    const { handle, description } = await existingSchedule(session.client, id);
    const input = scheduledInput(description);
    if (!input) throw new OsirisError('CONFIG_INVALID', `Schedule "${id}" does not run an Osiris pipeline`, { hint: 'Only schedules made by `osiris schedule create` can be triggered here.' });
    const before = description.info.recentActions.length;
    await handle.trigger();
    let started: string | undefined;
    for (let i = 0; i < 100 && !started; i++) {
      const actions = (await handle.describe()).info.recentActions;
      if (actions.length > before) started = actions.at(-1)!.action.workflow.workflowId;
      else await sleep(100);
    }
    if (!started) {
      throw new OsirisError('TEMPORAL_UNAVAILABLE', `Schedule "${id}" did not start a run`, {
        hint: 'With the overlap policy "skip", a trigger while a run is still going does nothing; see `osiris schedule list`.',
      });
    }
    process.stdout.write(`schedule ${id} started ${started}\n`);
    if (!opts.wait) return EXIT.ok;
    return followRun(session.client.workflow.getHandle<typeof pipelineRun>(started), session, input.manifest);
  }, { worker: true });
}
