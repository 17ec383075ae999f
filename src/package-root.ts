import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'osiris-temporal';

interface PackageJson {
  name?: string;
  version?: string;
}

function readPackageJson(dir: string): PackageJson | undefined {
  const file = path.join(dir, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PackageJson) : undefined;
}

/**
 * This package's root (package.json, bin/, dist/, .tools/), found by walking up from this module: the
 * same answer from src/ under tsx, from dist/src/ (tsc) and from dist/cli/ (the CLI bundle, where this
 * module is part of a chunk). Paths to the package's own files are built from it, never from a module's
 * own location, which differs between those three.
 */
export const { packageRoot, packageJson } = (() => {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    const pkg = readPackageJson(dir);
    if (pkg?.name === PACKAGE_NAME) return { packageRoot: dir, packageJson: pkg };
    if (path.dirname(dir) === dir) throw new Error(`${PACKAGE_NAME}: package.json not found above ${start}`);
  }
})();

/** The package's version (package.json). */
export const packageVersion = (): string => packageJson.version ?? 'unknown';
