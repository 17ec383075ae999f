/**
 * What a secret is and how it is hidden: one answer for connection listing, OML's inline-secret rule,
 * error messages, events and tool results. Pure (no Node APIs), so any layer may import it.
 */
import { isOsirisError, OsirisError } from '../errors.js';

// Matches password, db_password, api_key, apiKey, access_token, client_secret, key... but not primary_key.
const SECRET_KEY = /(password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) || key.toLowerCase() === 'key';
}

// scheme://user:password@host — the password part of any URL inside a text.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)([^\s@/]+)@/gi;

/** The password inside a URL value (decoded and as written), for the secrets list of a connection. */
export function urlPasswords(value: string): string[] {
  try {
    const raw = new URL(value).password;
    if (!raw) return [];
    const decoded = decodeURIComponent(raw);
    return decoded === raw ? [raw] : [raw, decoded];
  } catch {
    return [];
  }
}

/** Every secret replaced by ***, longest first (a secret containing another is masked whole), and URL passwords. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const ordered = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const masked = ordered.reduce((out, secret) => out.split(secret).join('***'), text);
  return masked.replace(URL_USERINFO, '$1***@');
}

/** Every string inside a JSON-like value masked: what a sandbox reports crosses into events and history. */
export function maskDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return maskSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => maskDeep(v, secrets)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v, secrets)])) as T;
  return value;
}

/** An error whose message and hint are masked; the same error when there was nothing to hide. */
export function maskError(err: unknown, secrets: readonly string[]): unknown {
  if (!(err instanceof Error)) return err;
  const message = maskSecrets(err.message, secrets);
  if (isOsirisError(err)) {
    const hint = maskSecrets(err.hint, secrets);
    if (message === err.message && hint === err.hint) return err;
    return new OsirisError(err.code, message, { hint, retryable: err.retryable });
  }
  return message === err.message ? err : new Error(message);
}
