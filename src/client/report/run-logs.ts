import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { OsirisError } from '../../errors.js';
import { readRunLog, runsDir, type RunLog } from '../../runtime/run-log.js';

/** Runs recorded on this host (`.osiris/runs/`), newest first. */
export async function listRunLogs(stateDir: string): Promise<RunLog[]> {
  let names: string[];
  try {
    names = (await readdir(runsDir(stateDir), { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const logs = await Promise.all(names.map((name) => readRunLog(path.join(runsDir(stateDir), name))));
  return logs.filter((l) => l.events.length > 0).sort((a, b) => (b.metrics.startedAt ?? '').localeCompare(a.metrics.startedAt ?? ''));
}

/**
 * One run by its id, `last`, or any unique part of the id (the ulid at its end is enough), so
 * users need not paste 70 characters.
 */
export async function findRunLog(stateDir: string, query: string): Promise<RunLog> {
  const logs = await listRunLogs(stateDir);
  const exact = logs.find((l) => l.metrics.runId === query);
  if (exact) return exact;
  if (query === 'last' && logs[0]) return logs[0];
  const matches = logs.filter((l) => l.metrics.runId.includes(query));
  if (matches.length === 1) return matches[0]!;
  const hint = matches.length > 1
    ? `"${query}" matches ${matches.length} runs (${matches.slice(0, 3).map((l) => l.metrics.runId).join(', ')}, ...): give more of the id.`
    : 'See `osiris logs list` for the runs recorded on this machine (runs live where their steps executed).';
  throw new OsirisError('INPUT_MISSING', `No single run matches "${query}"`, { hint });
}
