import { joinPath } from './path-format.js';
import { isRecord } from './record.js';

// Matches password, db_password, api_key, apiKey, access_token, client_secret, key... but not primary_key.
const SECRET_KEY = /(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)/i;
const ENV_REF = /^\$\{[A-Za-z_][A-Za-z0-9_]*\}$/;

/** Shared with connection listing and masking, so "what is a secret" has one answer. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || key.toLowerCase() === 'key';
}

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
