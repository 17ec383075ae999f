import { readFile } from 'node:fs/promises';
import pc from 'picocolors';
import { formatProblems, problemCounts } from '../render-problems.js';
import { EXIT } from '../output.js';

export async function validateCommand(file: string, opts: { param: string[]; json?: boolean }): Promise<number> {
  void startOpeningSqlParser(file);
  // Imported here, not at the top, so that DuckDB opens while these (the OML rules, zod, yaml) load.
  const { readPipeline, validatePipeline } = await import('../load-pipeline.js');
  const source = await readPipeline(file, opts.param);
  const report = await validatePipeline(source);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ file, valid: report.ok, problems: report.problems }, null, 2) + '\n');
  } else {
    if (report.problems.length > 0) process.stdout.write(formatProblems(file, report.problems) + '\n');
    process.stdout.write(report.ok ? `${pc.green('valid')} ${file} (${problemCounts(report.problems)})\n` : `${pc.red('invalid')} ${file} (${problemCounts(report.problems)})\n`);
  }
  return report.ok ? EXIT.ok : EXIT.invalid;
}

/**
 * A pipeline with transform SQL needs DuckDB's parser, ~30 ms to open off the main thread:
 * start it now when the text names a processor or a transform (legacy `transform:` too). Only a
 * hint, read before the YAML is parsed; the rule itself runs on the parsed pipeline.
 */
async function startOpeningSqlParser(file: string): Promise<void> {
  try {
    if (!/processor|transform/.test(await readFile(file, 'utf8'))) return;
    (await import('../../dataplane/sql-guard.js')).startOpeningParser();
  } catch {
    // An unreadable file is reported by readPipeline.
  }
}
