import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../oml/manifest.js';
import { EVENTS_FILE, eventLine, MANIFEST_FILE, METRICS_FILE, parseEvents, summarizeRun, type RunEvent, type RunMetrics } from './events.js';

/** `.osiris/runs/`: one directory per run, on the host that executed it. */
export function runsDir(stateDir: string): string {
  return path.join(stateDir, 'runs');
}

export function runDir(stateDir: string, runId: string): string {
  return path.join(runsDir(stateDir), runId);
}

export interface SavedManifest {
  fingerprint: string;
  manifest: Manifest;
  oml?: string;
}

export interface RunLog {
  dir: string;
  events: RunEvent[];
  /** Absent for runs recorded before manifests were saved. */
  saved?: SavedManifest;
  metrics: RunMetrics;
}

/** Appends one event; each is a single small write to an O_APPEND file, so parallel steps never interleave lines. */
export async function appendEvent(dir: string, event: RunEvent): Promise<void> {
  await mkdir(dir, { recursive: true });
  await appendFile(path.join(dir, EVENTS_FILE), eventLine(event));
}

export async function saveManifest(dir: string, saved: SavedManifest): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(saved, null, 2));
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A run directory's events and manifest, with metrics computed from them (never read from a stale metrics.json). */
export async function readRunLog(dir: string): Promise<RunLog> {
  const events = parseEvents((await readIfExists(path.join(dir, EVENTS_FILE))) ?? '');
  const manifestText = await readIfExists(path.join(dir, MANIFEST_FILE));
  const saved = manifestText === undefined ? undefined : (JSON.parse(manifestText) as SavedManifest);
  return { dir, events, saved, metrics: summarizeRun(events, saved?.manifest.steps) };
}

export async function writeMetrics(dir: string, metrics: RunMetrics): Promise<void> {
  await writeFile(path.join(dir, METRICS_FILE), JSON.stringify(metrics, null, 2) + '\n');
}
