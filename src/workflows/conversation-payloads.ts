/**
 * zod schemas of every payload the conversation accepts from outside (signals and the update).
 * PURE: imported by workflow code. Anyone can send a signal with the plain `temporal` CLI, so
 * nothing here trusts its input: a malformed payload is refused with a reason, never thrown
 * inside a signal handler (that would fail the workflow task again and again).
 */
import { z } from 'zod';
import { MAX_MESSAGE_CHARS } from './conversation-types.js';

const by = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

export const approvePayload = z.strictObject({
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/, 'must be the 64-character sha256 shown with the pipeline'),
  by: by.optional(),
});

export const rejectPayload = z.strictObject({
  reason: z.string().trim().min(1, 'must not be empty').max(2000, 'must be at most 2000 characters'),
  by: by.optional(),
});

export const messagePayload = z
  .string({ error: 'must be a string' })
  .refine((text) => text.trim() !== '', 'The message is empty.')
  .max(MAX_MESSAGE_CHARS, `The message is longer than ${MAX_MESSAGE_CHARS} characters, the limit.`);

export type PayloadCheck<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The payload, or one line saying what is wrong with it (and where), in a user's words. */
export function checkPayload<T>(schema: z.ZodType<T>, payload: unknown): PayloadCheck<T> {
  const parsed = schema.safeParse(payload, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, reason: parsed.error.issues.map(describeIssue).join('; ') };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `"${issue.path.join('.')}" ` : '';
  if (issue.code === 'invalid_type' && issue.path.length === 0) return `expected ${issue.expected === 'object' ? 'an object' : `a ${issue.expected}`}, got ${describe(issue.input)}`;
  if (issue.code === 'invalid_type') return `${where}is ${issue.input === undefined ? 'missing' : `${describe(issue.input)}, expected ${issue.expected}`}`;
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}${issue.message}`;
}

function describe(value: unknown): string {
  if (value === undefined) return 'no payload';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return `${typeof value === 'object' ? 'an object' : `the ${typeof value} ${String(value)}`}`;
}
