import { readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Older than this, a temp file or preview directory belongs to a process that was killed. */
export const STALE_AFTER_MS = 15 * 60_000;

/** `<file>.<uuid>.tmp`: what a file writer renames onto its target when done. */
const WRITER_TEMP = /\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

/**
 * Removes what killed processes left behind: writers' temp files under `outputDir` and agent
 * previews' `osiris-preview-*` directories in the system temp directory, when untouched for
 * STALE_AFTER_MS (a live writer keeps its file's mtime fresh). Returns the paths removed.
 */
export async function sweepStale(outputDir: string, tempDir = os.tmpdir(), now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const removeIfStale = async (file: string) => {
    try {
      if (now - (await stat(file)).mtimeMs < STALE_AFTER_MS) return;
      await rm(file, { recursive: true, force: true });
      removed.push(file);
    } catch {
      // Gone already, or not ours to remove: leave it.
    }
  };
  for (const entry of await readdir(outputDir, { recursive: true }).catch(() => [] as string[])) {
    if (WRITER_TEMP.test(entry)) await removeIfStale(path.join(outputDir, entry));
  }
  for (const entry of await readdir(tempDir).catch(() => [] as string[])) {
    if (entry.startsWith('osiris-preview-')) await removeIfStale(path.join(tempDir, entry));
  }
  return removed;
}
