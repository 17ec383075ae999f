/** One finding of OML validation. Pure data, so it can travel in activity results and workflow state. */
export type Severity = 'error' | 'warning';

export interface Problem {
  severity: Severity;
  /** Stable id, e.g. `unknown-component`; tools and tests match on it, never on the message. */
  rule: string;
  /** Where in the OML, e.g. `steps[2].config.query`; `''` is the whole document. */
  path: string;
  /** 1-based, when the path (or its nearest ancestor) exists in the YAML source. */
  line?: number;
  column?: number;
  message: string;
  hint: string;
}

export function isError(problem: Problem): boolean {
  return problem.severity === 'error';
}

/** `path (line 3:5): message`, one line, for CLI output and error messages. */
export function formatProblem(problem: Problem): string {
  const where = problem.path === '' ? '(document)' : problem.path;
  const at = problem.line === undefined ? '' : ` (line ${problem.line}:${problem.column ?? 1})`;
  return `${problem.severity} ${problem.rule} at ${where}${at}: ${problem.message}`;
}
