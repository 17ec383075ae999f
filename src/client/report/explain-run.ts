/**
 * `osiris logs explain RUN --json` and the MCP `run_report`: one run told compactly for a model to
 * read. Deterministic (built only from the run's own log and the previous run of the same
 * pipeline), capped in size (long text clipped, then the OML, then steps dropped, each said in
 * `omitted`), and with every known secret value masked.
 */
import { createConnectionResolver } from '../../connections/resolver.js';
import { maskDeep } from '../../connections/secrets.js';
import type { ProjectConfig } from '../../config/project-config.js';
import type { EventError, StepMetrics } from '../../runtime/events.js';
import type { RunLog } from '../../runtime/run-log.js';
import { findRunLog, listRunLogs } from './run-logs.js';

/** The whole explanation's JSON stays below this many characters. */
export const MAX_EXPLANATION_CHARS = 16_000;
const MAX_MESSAGE_CHARS = 1_000;
const MAX_SQL_CHARS = 2_000;
const MAX_OML_CHARS = 6_000;

/** A step's metrics without its timestamps and error list (the run's error is told once, below). */
export type StepExplanation = Omit<StepMetrics, 'stepId' | 'startedAt' | 'endedAt' | 'errors'> & { id: string };

export interface ErrorExplanation {
  step?: string;
  code: string;
  message: string;
  hint?: string;
  /** The failing step's SQL (its `query` / `sql` config), when it has any. */
  sql?: string;
}

export interface RunDelta {
  run: string;
  status: string;
  rowsWrittenChange: number;
  durationMsChange?: number;
  steps: { id: string; rowsChange: number; durationMsChange?: number }[];
  /** Error codes of this run that the previous run did not have, by step. */
  newErrors: { step?: string; code: string }[];
}

export interface RunExplanation {
  run: string;
  pipeline: string;
  fingerprint: string;
  target: string;
  status: string;
  startedAt?: string;
  durationMs?: number;
  totals: { rowsRead: number; rowsWritten: number; bytes: number; retries: number; errors: number };
  steps: StepExplanation[];
  error?: ErrorExplanation;
  oml?: string;
  /** Against the previous run of the same pipeline on this host. */
  previous?: RunDelta;
  /** What was left out to stay under MAX_EXPLANATION_CHARS. */
  omitted?: string[];
}

/** One recorded run (id, a unique part of it, or `last`) explained, with the secrets of every connection it used masked. */
export async function explainRecordedRun(config: Pick<ProjectConfig, 'projectDir' | 'stateDir'>, run: string): Promise<RunExplanation> {
  const log = await findRunLog(config.stateDir, run);
  const started = log.metrics.startedAt ?? '';
  const previous = (await listRunLogs(config.stateDir)).find((l) => l.metrics.pipeline === log.metrics.pipeline && (l.metrics.startedAt ?? '') < started);
  const resolve = createConnectionResolver(config);
  const refs = new Set((log.saved?.manifest.steps ?? []).map((s) => s.config.connection).filter((c): c is string => typeof c === 'string'));
  const secrets: string[] = [];
  for (const ref of refs) secrets.push(...((await resolve(ref).catch(() => undefined))?.secrets ?? []));
  return explainRun(log, previous, secrets);
}

export function explainRun(log: RunLog, previous: RunLog | undefined, secrets: readonly string[]): RunExplanation {
  const m = log.metrics;
  const steps = m.steps.map(stepExplanation);
  const omitted: string[] = [];
  const explanation: RunExplanation = {
    run: m.runId,
    pipeline: m.pipeline,
    fingerprint: m.fingerprint,
    target: m.target,
    status: m.status,
    startedAt: m.startedAt,
    durationMs: m.durationMs,
    totals: { rowsRead: m.totals.rowsRead, rowsWritten: m.totals.rowsWritten, bytes: m.totals.bytes, retries: m.totals.retries, errors: m.totals.errors },
    steps,
    error: runError(log),
    oml: clip(log.saved?.oml, MAX_OML_CHARS, 'oml', omitted),
    previous: previous && delta(log, previous),
  };
  if (explanation.error) {
    explanation.error.message = clip(explanation.error.message, MAX_MESSAGE_CHARS, 'error.message', omitted)!;
    explanation.error.sql = clip(explanation.error.sql, MAX_SQL_CHARS, 'error.sql', omitted);
  }
  const masked = maskDeep(explanation, secrets.filter((s) => s.length > 0));
  return fitExplanation(masked, omitted);
}

function stepExplanation(s: StepMetrics): StepExplanation {
  return { id: s.stepId, component: s.component, mode: s.mode, status: s.status, attempts: s.attempts, rows: s.rows, rowsRead: s.rowsRead, rowsWritten: s.rowsWritten, bytes: s.bytes, durationMs: s.durationMs };
}

/** The run's final error, or the last error of its last failed step. */
function runError(log: RunLog): ErrorExplanation | undefined {
  const failed = log.metrics.steps.filter((s) => s.errors.length > 0).at(-1);
  const error: EventError | undefined = log.metrics.error ?? failed?.errors.at(-1);
  if (!error) return undefined;
  const step = error.stepId ?? failed?.stepId;
  const config = log.saved?.manifest.steps.find((s) => s.id === step)?.config ?? {};
  const sql = ['sql', 'query'].map((key) => config[key]).find((value): value is string => typeof value === 'string');
  return { step, code: error.code, message: error.message, hint: error.hint, sql };
}

function delta(log: RunLog, previous: RunLog): RunDelta {
  const now = log.metrics;
  const before = previous.metrics;
  const earlier = new Map(before.steps.map((s) => [s.stepId, s]));
  const seen = new Set(before.steps.flatMap((s) => s.errors.map((e) => `${s.stepId}/${e.code}`)));
  const diff = (a?: number, b?: number) => (a === undefined || b === undefined ? undefined : a - b);
  return {
    run: before.runId,
    status: before.status,
    rowsWrittenChange: now.totals.rowsWritten - before.totals.rowsWritten,
    durationMsChange: diff(now.durationMs, before.durationMs),
    steps: now.steps.map((s) => ({ id: s.stepId, rowsChange: s.rows - (earlier.get(s.stepId)?.rows ?? 0), durationMsChange: diff(s.durationMs, earlier.get(s.stepId)?.durationMs) })),
    newErrors: now.steps.flatMap((s) => [...new Set(s.errors.map((e) => e.code))].filter((code) => !seen.has(`${s.stepId}/${code}`)).map((code) => ({ step: s.stepId, code }))),
  };
}

function clip(text: string | undefined, max: number, what: string, omitted: string[]): string | undefined {
  if (text === undefined || text.length <= max) return text;
  omitted.push(`${what} clipped to ${max} of ${text.length} characters`);
  return `${text.slice(0, max)}…`;
}

/** Drops the OML, then trailing steps (and their deltas), until the JSON fits. */
function fitExplanation(explanation: RunExplanation, omitted: string[]): RunExplanation {
  const size = () => JSON.stringify({ ...explanation, omitted }).length;
  if (size() > MAX_EXPLANATION_CHARS && explanation.oml !== undefined) {
    explanation.oml = undefined;
    omitted.push('oml (too large to include)');
  }
  const total = explanation.steps.length;
  while (size() > MAX_EXPLANATION_CHARS && explanation.steps.length > 1) {
    explanation.steps.pop();
    explanation.previous?.steps.pop();
  }
  if (explanation.steps.length < total) omitted.push(`${total - explanation.steps.length} of ${total} steps`);
  return omitted.length > 0 ? { ...explanation, omitted } : explanation;
}

