import { OsirisError } from '../errors.js';
import { formatProblem, isError, type Problem } from './problem.js';

/** An OML pipeline that failed validation; carries every problem so callers can show them all. */
export class OmlInvalidError extends OsirisError {
  readonly problems: Problem[];

  constructor(problems: Problem[], file?: string) {
    const errors = problems.filter(isError);
    const subject = file === undefined ? 'Pipeline' : `Pipeline ${file}`;
    const count = errors.length === 1 ? '1 problem' : `${errors.length} problems`;
    super('OML_INVALID', `${subject} is invalid (${count}):\n${errors.map((p) => `- ${formatProblem(p)}`).join('\n')}`, {
      hint: errors[0]?.hint ?? 'Fix the problems listed and validate again.',
    });
    this.name = 'OmlInvalidError';
    this.problems = problems;
  }
}
