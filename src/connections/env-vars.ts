import { OsirisError } from '../errors.js';

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Substitutes `${NAME}` in a config value from the environment. A missing variable is an error
 * naming the variable and where it was used, never an empty string (that would hide a typo).
 */
export function expandEnv(value: string, where: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(ENV_REF, (_match, name: string) => {
    const resolved = env[name];
    if (resolved === undefined) {
      throw new OsirisError('CONFIG_INVALID', `${where} uses \${${name}}, but ${name} is not set`, {
        hint: `Set ${name} in the environment or in .env next to osiris.yaml.`,
      });
    }
    return resolved;
  });
}

export function hasEnvReference(value: string): boolean {
  return new RegExp(ENV_REF.source).test(value);
}

/** The variables `${NAME}` in a value refers to that are not set, without expanding anything. */
export function missingEnvVars(value: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return [...value.matchAll(ENV_REF)].map((m) => m[1]!).filter((name) => env[name] === undefined);
}
