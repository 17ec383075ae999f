import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { OsirisError } from '../../errors.js';

/** Files no pipeline may read, wherever they are: they hold secrets or Osiris' own state. */
const PROTECTED_NAMES = [/^\.env(\..*)?$/, /^osiris_connections\.ya?ml$/];
const PROTECTED_DIRS = new Set(['.osiris', '.git']);

export type InputPathVerdict = { ok: true; file: string; exists: boolean } | { ok: false; reason: string };

/**
 * Where an input path (a csv_extractor `path`) may be read from: inside `root` (the project
 * directory, or `execution.input_dir`), never a secrets file or Osiris state, and not through a
 * symbolic link that leads out. Checked at validate and again right before the file is read.
 */
export async function checkInputPath(root: string, input: string): Promise<InputPathVerdict> {
  if (input.trim() === '') return { ok: false, reason: 'the path is empty' };
  if (input.includes('\0')) return { ok: false, reason: 'the path contains a NUL character' };
  if (input.startsWith('~')) return { ok: false, reason: 'a path starting with ~ points into a home directory' };
  const base = path.resolve(root);
  const file = path.resolve(base, input);
  if (!isInside(base, file)) {
    return { ok: false, reason: path.isAbsolute(input) ? `it is outside the input directory ${base}` : `it climbs out of the input directory ${base} with ..` };
  }
  const named = protectedPart(base, file);
  if (named) return { ok: false, reason: named };
  let real: string;
  try {
    real = await realpath(file);
  } catch {
    return { ok: true, file, exists: false };
  }
  const realBase = await realpath(base).catch(() => base);
  if (!isInside(realBase, real)) return { ok: false, reason: `it leads outside the input directory through a symbolic link (to ${real})` };
  const linkedTo = protectedPart(realBase, real);
  if (linkedTo) return { ok: false, reason: `it is a symbolic link to a protected file: ${linkedTo}` };
  if ((await stat(real)).isDirectory()) return { ok: false, reason: 'it is a directory, not a file' };
  return { ok: true, file: real, exists: true };
}

/** The same check for the runtime: the resolved file, or a non-retryable PATH_REFUSED error. */
export async function resolveInputPath(root: string, input: string, stepId: string): Promise<string> {
  const verdict = await checkInputPath(root, input);
  if (verdict.ok) return verdict.file;
  throw new OsirisError('PATH_REFUSED', `Step "${stepId}": input path "${input}" is refused: ${verdict.reason}`, { hint: INPUT_PATH_HINT });
}

export const INPUT_PATH_HINT =
  'Read files inside the project directory (or execution.input_dir in osiris.yaml), by a relative path such as data/orders.csv; .env files, osiris_connections.yaml and .osiris/ are never read.';

function protectedPart(base: string, file: string): string | undefined {
  const segments = path.relative(base, file).split(path.sep);
  if (segments.some((s) => PROTECTED_DIRS.has(s))) return `${segments.find((s) => PROTECTED_DIRS.has(s))}/ holds Osiris or repository state`;
  const name = segments.at(-1) ?? '';
  if (PROTECTED_NAMES.some((pattern) => pattern.test(name))) return `${name} holds secrets`;
  return undefined;
}

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}
