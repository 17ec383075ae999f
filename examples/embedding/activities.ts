// The user's own activities: plain functions, nothing Osiris-specific.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function checkSourceFresh(): Promise<void> {
  // Stand-in for "is last night's load finished?": a real workflow would ask its own systems.
}

export async function publishReport(summary: { pipeline: string; fingerprint: string; rowsByStep: Record<string, number>; files: string[] }): Promise<string> {
  const file = path.join(path.dirname(summary.files[0] ?? process.cwd()), 'report.json');
  await writeFile(file, JSON.stringify(summary, null, 2));
  return file;
}
