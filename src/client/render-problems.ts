import pc from 'picocolors';
import type { Problem } from '../oml/problem.js';

/** `file:line:col  error  message` then the path and the fix, the way compilers print problems. */
export function formatProblems(file: string, problems: readonly Problem[]): string {
  return problems
    .map((p) => {
      const where = `${file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}`;
      const severity = p.severity === 'error' ? pc.red('error') : pc.yellow('warning');
      return `${where}  ${severity}  ${p.message}\n    at ${p.path || '(document)'} [${p.rule}]\n    ${pc.dim('fix:')} ${p.hint}`;
    })
    .join('\n');
}

export function problemCounts(problems: readonly Problem[]): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  return `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
}
