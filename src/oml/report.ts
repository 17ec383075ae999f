import type { Severity } from './problem.js';

/** A problem before it is located in the source; `severity` defaults to error. */
export interface Finding {
  severity?: Severity;
  rule: string;
  path: string;
  message: string;
  hint: string;
}

export type Report = (finding: Finding) => void;
