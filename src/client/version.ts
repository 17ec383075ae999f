import { readFileSync } from 'node:fs';

/** The package's version, from the package.json above this file (src/ under tsx, dist/src/ when built). */
export function packageVersion(): string {
  for (const relative of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'osiris-temporal' && pkg.version) return pkg.version;
    } catch {
      // Not at this depth; try the next.
    }
  }
  return 'unknown';
}
