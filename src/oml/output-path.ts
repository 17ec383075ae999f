/**
 * Why an output path would leave the output directory, or null when it stays inside. Pure string
 * logic (no node:fs) so workflows and the validator can share it; writers still resolve and re-check.
 */
export function checkRelativeOutputPath(p: string): string | null {
  if (p.trim() === '') return 'the path is empty';
  if (p.includes('\0')) return 'the path contains a NUL character';
  if (p.startsWith('~')) return 'a path starting with ~ points into a home directory';
  if (/^[A-Za-z]:/.test(p) || p.startsWith('/') || p.startsWith('\\')) return 'the path is absolute';
  let depth = 0;
  for (const segment of p.split(/[\\/]+/)) {
    if (segment === '..') depth -= 1;
    else if (segment !== '' && segment !== '.') depth += 1;
    if (depth < 0) return 'the path climbs out of the output directory with ..';
  }
  if (depth === 0) return 'the path names the output directory itself, not a file in it';
  return null;
}
