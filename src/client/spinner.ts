import { createLogUpdate } from 'log-update';
import pc from 'picocolors';

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function isInteractive(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.CI;
}

/**
 * Shows a spinner with `label` on stderr while `work` runs (terminals only; logs and pipes get
 * nothing, so output stays clean), then clears it.
 */
export async function withSpinner<T>(label: string | (() => string), work: Promise<T>, stream: NodeJS.WriteStream = process.stderr): Promise<T> {
  if (!isInteractive(stream)) return work;
  const update = createLogUpdate(stream);
  let frame = 0;
  const text = typeof label === 'string' ? () => label : label;
  const timer = setInterval(() => update(`${pc.cyan(SPINNER_FRAMES[frame++ % SPINNER_FRAMES.length]!)} ${text()}`), 100);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    update.clear();
    update.done();
  }
}
