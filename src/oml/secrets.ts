import { isSecretKey } from '../connections/secrets.js';
import { joinPath } from './path-format.js';
import { isRecord } from './record.js';

const ENV_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * Paths of config values that hold a literal secret: a secret-looking key whose value is neither a
 * `${ENV_VAR}` reference nor an `@family.alias` connection. Searches nested objects and arrays.
 */
export function findInlineSecrets(config: unknown, path: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown, at: string): void => {
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, joinPath(at, index)));
    } else if (isRecord(node)) {
      for (const [key, value] of Object.entries(node)) {
        const child = joinPath(at, key);
        if (isSecretKey(key) && isLiteralSecret(value)) found.push(child);
        else walk(value, child);
      }
    }
  };
  walk(config, path);
  return found;
}

function isLiteralSecret(value: unknown): boolean {
  if (typeof value === 'number') return true;
  if (typeof value !== 'string' || value.trim() === '') return false;
  return !ENV_REF.test(value.trim()) && !value.startsWith('@');
}
