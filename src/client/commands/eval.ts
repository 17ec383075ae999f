import pc from 'picocolors';
import { runEval, type EvalReport, type TaskResult } from '../../agent/eval/run-eval.js';
import { loadSuite } from '../../agent/eval/suite.js';
import { createProvider } from '../../agent/providers/index.js';
import { loadProjectConfig } from '../../config/project-config.js';
import { EXIT, formatDuration } from '../output.js';

/** `osiris eval SUITE.yaml`: execution accuracy of the configured provider, in-process (no Temporal). */
export async function evalCommand(file: string, opts: { json?: boolean; only?: string[]; minAccuracy?: number }): Promise<number> {
  const config = loadProjectConfig();
  const suite = loadSuite(file);
  const selected = opts.only?.length ? { ...suite, tasks: suite.tasks.filter((t) => opts.only!.includes(t.id)) } : suite;
  const width = Math.max(...selected.tasks.map((t) => t.id.length));
  const report = await runEval(selected, {
    config,
    provider: createProvider(config.llm),
    onTask: opts.json ? undefined : (r) => process.stdout.write(taskLine(r, width)),
  });
  process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report, config.llm.model));
  if (opts.minAccuracy !== undefined && report.accuracy < opts.minAccuracy) {
    process.stderr.write(`accuracy ${(report.accuracy * 100).toFixed(1)}% is below --min-accuracy ${(opts.minAccuracy * 100).toFixed(1)}%\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

function taskLine(r: TaskResult, width: number): string {
  const mark = r.passed ? pc.green('✓') : pc.red('✗');
  const figures = pc.dim(`${formatDuration(r.ms).padStart(7)}  ${String(r.llmCalls).padStart(2)} calls  ${r.inputTokens} in / ${r.outputTokens} out tokens`);
  const why = [r.reason && pc.red(r.reason), ...(r.sql ?? []).map((sql) => pc.dim(`sql: ${sql.replace(/\s+/g, ' ')}`)), r.reply && pc.dim(`reply: ${r.reply}`)].filter(Boolean);
  return `${mark} ${r.id.padEnd(width)} ${r.difficulty.padEnd(6)} ${figures}${why.map((line) => `\n    ${line}`).join('')}\n`;
}

function summary(r: EvalReport, model: string | undefined): string {
  const byDifficulty = (['easy', 'medium', 'hard'] as const)
    .map((d) => {
      const tasks = r.tasks.filter((t) => t.difficulty === d);
      return tasks.length ? `${d} ${tasks.filter((t) => t.passed).length}/${tasks.length}` : '';
    })
    .filter(Boolean)
    .join(', ');
  return (
    `\n${r.suite} with ${r.provider}${model ? ` (${model})` : ''}: execution accuracy ${(r.accuracy * 100).toFixed(1)}% (${r.passed}/${r.tasks.length}; ${byDifficulty})\n` +
    `time ${formatDuration(r.ms)} total, ${formatDuration(r.ms / r.tasks.length)} per task; tokens ${r.inputTokens} in / ${r.outputTokens} out\n`
  );
}
