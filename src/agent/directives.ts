/**
 * Chat messages the conversation handles itself instead of asking the model: approving or
 * rejecting the pending pipeline from the chat box. Pure (used by the workflow).
 */
export type Directive = { kind: 'approve' } | { kind: 'reject'; reason: string };

export function parseDirective(text: string): Directive | undefined {
  const trimmed = text.trim();
  if (/^approve[.!]?$/i.test(trimmed)) return { kind: 'approve' };
  const reject = /^reject\b[:\s]*(.*)$/is.exec(trimmed);
  if (reject) return { kind: 'reject', reason: reject[1]!.trim() || 'rejected in chat' };
  return undefined;
}
