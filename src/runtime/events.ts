/**
 * Run events: what happened in a run, one JSON object per line in `.osiris/runs/<run-id>/events.jsonl`,
 * and the `metrics.json` summary derived from them. Pure (no IO, no Temporal) so the activities that
 * write them, the CLI that reads them and the HTML report agree on one shape whatever the backend.
 */
import type { StepMode } from '../oml/manifest.js';

export const EVENTS_FILE = 'events.jsonl';
export const METRICS_FILE = 'metrics.json';
/** The compiled manifest and fingerprint of the run, saved when its workspace is prepared. */
export const MANIFEST_FILE = 'manifest.json';

export type RunEndStatus = 'completed' | 'failed' | 'cancelled';

/** An error as the events record it: secrets already masked, with what to do about it. */
export interface EventError {
  /** Failure type: an Osiris error code (`SQL_ERROR`, ...) or the JS error name. */
  code: string;
  message: string;
  hint?: string;
  /** The step that failed, when the error belongs to one. */
  stepId?: string;
}

interface EventBase {
  /** ISO 8601 time on the host that wrote the event. */
  ts: string;
  runId: string;
}

export interface RunStartEvent extends EventBase {
  type: 'run_start';
  pipeline: string;
  fingerprint: string;
  target: string;
  /** The ExecutionBackend that runs the steps (`local`, a sandbox, ...). */
  backend: string;
  steps: number;
  /** From the second attempt on: the run restarted here after losing these hosts' queues. */
  attempt?: number;
  lostHosts?: string[];
}

interface StepEventBase extends EventBase {
  stepId: string;
  component: string;
  mode: StepMode;
  /** Temporal activity attempt, 1 for the first try. */
  attempt: number;
}

export interface StepStartEvent extends StepEventBase {
  type: 'step_start';
}

export interface StepEndEvent extends StepEventBase {
  type: 'step_end';
  /** Rows in the step's output (readers, transforms) or rows written (writers). */
  rows: number;
  /** Rows taken from a source system: a reader's rows, 0 for other modes. */
  rowsRead: number;
  /** Rows delivered to a destination: a writer's rows, 0 for other modes. */
  rowsWritten: number;
  /** Bytes of the files the step wrote. */
  bytes: number;
  durationMs: number;
}

export interface StepErrorEvent extends StepEventBase, Omit<EventError, 'stepId'> {
  type: 'step_error';
  /** False when retrying cannot help (bad config, bad SQL): the run fails at once. */
  retryable: boolean;
  durationMs: number;
}

export interface RunEndEvent extends EventBase {
  type: 'run_end';
  status: RunEndStatus;
  error?: EventError;
}

export type RunEvent = RunStartEvent | StepStartEvent | StepEndEvent | StepErrorEvent | RunEndEvent;

export type StepMetricsStatus = 'pending' | 'running' | 'completed' | 'failed';

export interface StepMetrics {
  stepId: string;
  component: string;
  mode: StepMode;
  status: StepMetricsStatus;
  attempts: number;
  rows: number;
  rowsRead: number;
  rowsWritten: number;
  bytes: number;
  /** Of the last attempt. */
  durationMs?: number;
  /** Start of the first attempt and end of the last, for timelines. */
  startedAt?: string;
  endedAt?: string;
  /** Every failed attempt, oldest first. */
  errors: (EventError & { attempt: number; retryable: boolean })[];
}

/** `metrics.json`: the run in numbers. Derived from the events only, so it always agrees with them. */
export interface RunMetrics {
  runId: string;
  pipeline: string;
  fingerprint: string;
  target: string;
  backend: string;
  /** `running` while no run_end was recorded. */
  status: RunEndStatus | 'running';
  startedAt?: string;
  endedAt?: string;
  durationMs?: number;
  steps: StepMetrics[];
  totals: { steps: number; completed: number; failed: number; rowsRead: number; rowsWritten: number; bytes: number; retries: number; errors: number };
  error?: EventError;
  /** Set when this host ran a later attempt of the run, after losing the hosts listed. */
  attempt?: number;
  lostHosts?: string[];
}

export function eventLine(event: RunEvent): string {
  return JSON.stringify(event) + '\n';
}

/** Parses events.jsonl; a torn last line (a host that died mid-write) is ignored. */
export function parseEvents(text: string): RunEvent[] {
  const events: RunEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as RunEvent);
    } catch {
      // Only the last line can be incomplete; nothing after it was written.
    }
  }
  return events;
}

/** The run's metrics from its events; `stepOrder` lists the pipeline's steps so pending ones appear too. */
export function summarizeRun(events: RunEvent[], stepOrder: { id: string; component: string; mode: StepMode }[] = []): RunMetrics {
  const start = events.find((e): e is RunStartEvent => e.type === 'run_start');
  const end = events.find((e): e is RunEndEvent => e.type === 'run_end');
  const steps = new Map<string, StepMetrics>();
  const step = (id: string, component: string, mode: StepMode): StepMetrics => {
    let s = steps.get(id);
    if (!s) steps.set(id, (s = { stepId: id, component, mode, status: 'pending', attempts: 0, rows: 0, rowsRead: 0, rowsWritten: 0, bytes: 0, errors: [] }));
    return s;
  };
  for (const s of stepOrder) step(s.id, s.component, s.mode);
  for (const e of events) {
    if (e.type !== 'step_start' && e.type !== 'step_end' && e.type !== 'step_error') continue;
    const s = step(e.stepId, e.component, e.mode);
    if (e.type === 'step_start') {
      s.status = 'running';
      s.attempts = Math.max(s.attempts, e.attempt);
      s.startedAt ??= e.ts;
    } else if (e.type === 'step_end') {
      Object.assign(s, { status: 'completed', rows: e.rows, rowsRead: e.rowsRead, rowsWritten: e.rowsWritten, bytes: e.bytes, durationMs: e.durationMs, endedAt: e.ts });
    } else {
      s.status = 'failed';
      s.durationMs = e.durationMs;
      s.endedAt = e.ts;
      s.errors.push({ code: e.code, message: e.message, hint: e.hint, stepId: e.stepId, attempt: e.attempt, retryable: e.retryable });
    }
  }
  const list = [...steps.values()];
  const sum = (f: (s: StepMetrics) => number) => list.reduce((n, s) => n + f(s), 0);
  const startedAt = start?.ts;
  const endedAt = end?.ts;
  return {
    runId: start?.runId ?? end?.runId ?? events[0]?.runId ?? '',
    pipeline: start?.pipeline ?? '',
    fingerprint: start?.fingerprint ?? '',
    target: start?.target ?? '',
    backend: start?.backend ?? '',
    ...(start?.attempt ? { attempt: start.attempt, lostHosts: start.lostHosts ?? [] } : {}),
    status: end?.status ?? 'running',
    startedAt,
    endedAt,
    durationMs: startedAt && endedAt ? Date.parse(endedAt) - Date.parse(startedAt) : undefined,
    steps: list,
    totals: {
      steps: list.length,
      completed: list.filter((s) => s.status === 'completed').length,
      failed: list.filter((s) => s.status === 'failed').length,
      rowsRead: sum((s) => s.rowsRead),
      rowsWritten: sum((s) => s.rowsWritten),
      bytes: sum((s) => s.bytes),
      retries: sum((s) => Math.max(0, s.attempts - 1)),
      errors: sum((s) => s.errors.length),
    },
    error: end?.error,
  };
}

/** Rows per second, or undefined before any time has passed. */
export function rowsPerSecond(rows: number, ms: number): number | undefined {
  return ms > 0 ? (rows * 1000) / ms : undefined;
}
