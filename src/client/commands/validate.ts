import pc from 'picocolors';
import { formatProblems, problemCounts } from '../render-problems.js';
import { readPipeline, validatePipeline } from '../load-pipeline.js';
import { EXIT } from '../output.js';

export async function validateCommand(file: string, opts: { param: string[]; json?: boolean }): Promise<number> {
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
