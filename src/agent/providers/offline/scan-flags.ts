/**
 * Reader of yes/no columns used as adjectives: "active carriers", "fragile parcels", "carriers that are
 * not active", "inactive carriers" name `IS_ACTIVE` / `is_fragile` (or a BOOLEAN column) as a condition,
 * not as a column to show. "the active flag" still names the column.
 */
import type { ColumnMention } from './intent-types.js';
import { take } from './intent-lexicon.js';
import { flagWords } from './schema-model.js';
import type { Reader } from './scan-state.js';

// Negating prefixes of an adjective: "inactive", "unpaid", "non-fragile".
const NEGATED = /^(?:non-?|in|un)(.+)$/;
// A word after the adjective that asks for the column itself.
const COLUMN_NOUNS = new Set(['flag', 'flags', 'status', 'column', 'indicator', 'field', 'value', 'values']);

export const flag: Reader = (s, i) => {
  const t = s.tokens[i]!;
  if (s.model.tablesNamed(t.low).length > 0 || COLUMN_NOUNS.has(s.tokens[i + 1]?.low ?? '')) return false;
  const named = (word: string) =>
    [...s.model.tables.values()].flatMap((table) => table.columns.filter((c) => flagWords(c)?.join('') === word).map((c) => ({ table: table.name, column: c.name, score: 3 })));
  let candidates = named(t.low);
  let negated = false;
  const prefixed = NEGATED.exec(t.low)?.[1];
  if (candidates.length === 0 && prefixed !== undefined) {
    candidates = named(prefixed);
    negated = true;
  }
  if (candidates.length === 0) return false;
  s.flushValue(i);
  // "not active": a negation before it sets "without"; "not inactive" is active.
  if (s.pending?.role === 'without') negated = !negated;
  const ref: ColumnMention = { kind: 'column', candidates };
  s.mentions.push({ ref, role: negated ? 'without' : 'present', position: i, start: i });
  s.pending = undefined;
  take(s.tokens, i, 1);
  return true;
};
