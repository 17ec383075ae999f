import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { compilePipeline, readPipeline } from '../load-pipeline.js';
import { EXIT } from '../output.js';
import { formatProblems } from '../render-problems.js';

/** Writes `<out>/<name>/manifest.json` (the exact bytes that were fingerprinted) and prints the fingerprint. */
export async function compileCommand(file: string, opts: { param: string[]; out: string; json?: boolean }): Promise<number> {
  const compiled = await compilePipeline(await readPipeline(file, opts.param));
  if (compiled.warnings.length > 0) process.stderr.write(formatProblems(file, compiled.warnings) + '\n');
  const dir = path.resolve(opts.out, compiled.manifest.pipeline.name);
  await mkdir(dir, { recursive: true });
  const manifestFile = path.join(dir, 'manifest.json');
  await writeFile(manifestFile, compiled.json);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ manifest: manifestFile, fingerprint: compiled.fingerprint }) + '\n');
  } else {
    process.stdout.write(`manifest    ${path.relative(process.cwd(), manifestFile)}\nfingerprint ${compiled.fingerprint}\nsteps       ${compiled.manifest.levels.map((l) => l.join(' + ')).join(' -> ')}\n`);
  }
  return EXIT.ok;
}
