import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { StepProgressState } from '../workflows/run-progress.js';
import { formatCount, formatDuration } from './output.js';
import { isInteractive, SPINNER_FRAMES } from './spinner.js';
import type { RunSnapshot } from './watch-run.js';

function stepLine(step: StepProgressState, snapshot: RunSnapshot, frame: number, width: number): string {
  const name = step.id.padEnd(width);
  const component = pc.dim(step.component.padEnd(26));
  switch (step.status) {
    case 'completed':
      return `${pc.green('✓')} ${name} ${component} ${formatCount(step.rows ?? 0).padStart(10)} rows  ${formatDuration(step.durationMs ?? 0)}`;
    case 'failed':
      // The full (multi-line) error follows the table; one line keeps the table readable.
      return `${pc.red('✗')} ${name} ${component} ${pc.red((step.error ?? 'failed').split('\n')[0]!)}`;
    case 'running': {
      const rows = snapshot.liveRows.get(step.id);
      const rate = snapshot.rates.get(step.id);
      const attempt = snapshot.attempts.get(step.id);
      const soFar = rows === undefined ? '' : `${formatCount(rows).padStart(10)} rows`;
      const speed = rate === undefined || rows === 0 ? '' : pc.dim(`  ${formatCount(Math.round(rate))} rows/s`);
      const extra = attempt ? pc.yellow(` (attempt ${attempt})`) : '';
      return `${pc.cyan(SPINNER_FRAMES[frame % SPINNER_FRAMES.length]!)} ${name} ${component} ${soFar}${speed}${extra}`;
    }
    default:
      return `${pc.dim('·')} ${pc.dim(name)} ${component}`;
  }
}

/**
 * Live per-step display. On a terminal it redraws in place; elsewhere (CI, pipes) it prints one
 * line per step when the step ends, so logs stay readable.
 */
export function createRunRenderer(stream: NodeJS.WriteStream = process.stdout) {
  const interactive = isInteractive(stream);
  const printed = new Set<string>();
  const update = createLogUpdate(stream);
  let frame = 0;
  let last: RunSnapshot | undefined;

  const render = (snapshot: RunSnapshot) => {
    last = snapshot;
    const width = Math.max(...snapshot.progress.steps.map((s) => s.id.length), 4);
    if (interactive) {
      update(snapshot.progress.steps.map((s) => stepLine(s, snapshot, frame++, width)).join('\n'));
      return;
    }
    for (const step of snapshot.progress.steps) {
      if ((step.status === 'completed' || step.status === 'failed') && !printed.has(step.id)) {
        printed.add(step.id);
        stream.write(stepLine(step, snapshot, 0, width) + '\n');
      }
    }
  };
  return {
    render,
    done() {
      if (interactive && last) {
        render(last);
        update.done();
      }
    },
  };
}
