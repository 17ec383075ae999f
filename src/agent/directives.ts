/**
 * What a chat message asks for before any model reads it, parsed in one place. Pure (the workflow
 * uses it): `approve` / `reject [reason]` are handled by the conversation itself; `FAST:` (no
 * clarifying questions) and `SQL:` (run this query as written) shape the agent's turn.
 */
export type Directive = { kind: 'approve' } | { kind: 'reject'; reason: string };

export interface MessageModes {
  /** `FAST:` prefix: best effort, no clarifying questions. */
  fast: boolean;
  /** The query after a `SQL:` prefix (which may follow `FAST:`): run it as written, no model asked. */
  sql?: string;
  /** The message without its prefixes. */
  text: string;
}

export function parseDirective(text: string): Directive | undefined {
  const trimmed = text.trim();
  if (/^approve[.!]?$/i.test(trimmed)) return { kind: 'approve' };
  const reject = /^reject\b[:\s]*(.*)$/is.exec(trimmed);
  if (reject) return { kind: 'reject', reason: reject[1]!.trim() || 'rejected in chat' };
  return undefined;
}

export function parseModes(message: string): MessageModes {
  const fastPrefix = /^\s*fast:\s*/i.exec(message);
  const text = (fastPrefix ? message.slice(fastPrefix[0].length) : message).trim();
  const sql = /^sql:\s*([\s\S]+)$/i.exec(text)?.[1];
  return { fast: fastPrefix !== null, sql, text };
}
