import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { OsirisError } from '../errors.js';
import { parseYaml } from '../oml/parse.js';
import { decodeSourceText } from '../oml/source-text.js';
import { issueFindings } from '../oml/zod-issues.js';

/**
 * Reads and checks a YAML settings file (osiris.yaml, osiris_connections.yaml) with the same parser
 * as pipelines: every problem is reported as `file:line:col: what` and is a CONFIG_INVALID error
 * (exit 2). Returns undefined when the file does not exist.
 */
export function loadYamlFile<S extends z.ZodType>(file: string, schema: S, hint: string): z.output<S> | undefined {
  if (!existsSync(file)) return undefined;
  const shown = path.relative(process.cwd(), file) || file;
  const fail = (lines: string[], fix: string): never => {
    throw new OsirisError('CONFIG_INVALID', `${shown} is invalid:\n${lines.map((l) => `  ${shown}:${l}`).join('\n')}`, { hint: fix });
  };
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    return fail([`1:1: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`], 'Make it a readable file.');
  }
  const decoded = decodeSourceText(bytes);
  if ('problem' in decoded) return fail([`${decoded.problem.line}:${decoded.problem.column}: ${decoded.problem.message}`], decoded.problem.hint);
  const parsed = parseYaml(decoded.text);
  if (parsed.problems.length > 0) return fail(parsed.problems.map((p) => `${p.line ?? 1}:${p.column ?? 1}: ${p.message}`), parsed.problems[0]!.hint);
  // An empty file (or only comments) means "all defaults".
  const value = parsed.value ?? {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const lines = issueFindings(result.error.issues, value, '').map((finding) => {
    const where = parsed.locate(finding.path) ?? { line: 1, column: 1 };
    const subject = finding.path === '' ? 'the file' : finding.path;
    return `${where.line}:${where.column}: ${subject}: ${finding.message}`;
  });
  return fail(lines, hint);
}
