/**
 * Files a proposed pipeline would write that already exist in the output directory, and which pipeline
 * wrote each (from the run logs' saved manifests, newest run first), so a proposal can say that approving
 * it replaces them instead of overwriting an earlier export silently.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../oml/manifest.js';
import { MANIFEST_FILE } from '../runtime/events.js';
import { runsDir, type SavedManifest } from '../runtime/run-log.js';
import type { ExistingOutput } from './tool-content.js';

/** Run logs read to name a file's writer: the recent ones, so a long history never slows a proposal down. */
const RUNS_READ = 200;

const FILE_WRITER = /^filesystem\.\w+_writer$/;

/** Output paths of a manifest's file writers, normalized the way the writer resolves them (relative to the output directory). */
export function writtenPaths(manifest: Manifest): string[] {
  return manifest.steps.flatMap((step) => {
    const target = (step.config as { path?: unknown }).path;
    return FILE_WRITER.test(step.component) && typeof target === 'string' ? [path.normalize(target)] : [];
  });
}

export async function existingOutputs(manifest: Manifest, dirs: { outputDir: string; stateDir: string }): Promise<ExistingOutput[]> {
  const existing: string[] = [];
  for (const target of writtenPaths(manifest)) {
    const present = await stat(path.resolve(dirs.outputDir, target)).then((s) => s.isFile(), () => false);
    if (present) existing.push(target);
  }
  if (existing.length === 0) return [];
  const writers = await lastWriters(dirs.stateDir, new Set(existing));
  return existing.map((target) => ({ path: target, writtenBy: writers.get(target) }));
}

/** For each wanted path, the pipeline of the newest run that wrote it. */
async function lastWriters(stateDir: string, wanted: Set<string>): Promise<Map<string, string>> {
  const dir = runsDir(stateDir);
  const runs = await readdir(dir).catch(() => [] as string[]);
  const dated = await Promise.all(runs.map(async (run) => ({ run, at: await stat(path.join(dir, run, MANIFEST_FILE)).then((s) => s.mtimeMs, () => -1) })));
  const writers = new Map<string, string>();
  for (const { run } of dated.filter((d) => d.at >= 0).sort((a, b) => b.at - a.at).slice(0, RUNS_READ)) {
    const saved = await readFile(path.join(dir, run, MANIFEST_FILE), 'utf8').then((text) => JSON.parse(text) as SavedManifest, () => undefined);
    if (!saved) continue;
    for (const target of writtenPaths(saved.manifest)) if (wanted.has(target) && !writers.has(target)) writers.set(target, saved.manifest.pipeline.name);
    if (writers.size === wanted.size) break;
  }
  return writers;
}
