import pc from 'picocolors';
import { isOsirisError } from '../errors.js';

/** Exit codes: 0 ok, 1 the work failed (a run, a connection test), 2 bad input (OML, config, usage), 3 Temporal unreachable. */
/** `interrupted`: Ctrl-C / SIGTERM (128 + SIGINT, as shells report it). */
export const EXIT = { ok: 0, failed: 1, invalid: 2, unavailable: 3, interrupted: 130 } as const;

export function exitCodeFor(err: unknown): number {
  if (!isOsirisError(err)) return EXIT.failed;
  if (err.code === 'TEMPORAL_UNAVAILABLE') return EXIT.unavailable;
  if (err.code === 'OML_INVALID' || err.code === 'CONFIG_INVALID') return EXIT.invalid;
  return EXIT.failed;
}

/** Prints an error as `error: message` plus a `hint:` line, the shape every command uses. */
export function printError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${pc.red('error:')} ${message}\n`);
  const hint = isOsirisError(err) ? err.hint : undefined;
  if (hint) process.stderr.write(`${pc.yellow('hint:')} ${hint}\n`);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
