/**
 * Reader of yes/no columns used as adjectives: "active carriers", "fragile parcels", "carriers that are
 * not active", "inactive carriers" name `IS_ACTIVE` / `is_fragile` (or a BOOLEAN column) as a condition,
 * not as a column to show. "the active flag" still names the column.
 */
import { columnsNamed } from './columns-named.js';
import type { ColumnMention } from './intent-types.js';
import { take } from './intent-lexicon.js';
import { flagWords, isDateLike } from './schema-model.js';
import type { Reader } from './scan-state.js';
import { FILLER } from './words.js';

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

// The column that ends a row's period: to_date, end_date, valid_to, date_to, ended_at, expires_on.
const PERIOD_END = /^(?:to|end|until|thru|valid_?to|expir\w*)(?:_?(?:date|on|at|day))?$|^(?:date|valid)_?(?:to|end|until)$|^end(?:ed|s)?_?(?:at|on|date)$/i;

/**
 * "each employee's current salary", "the current manager": of rows that hold from one date to another, those
 * whose period has not ended (its end empty, or after today, as a `9999-01-01` is). Only for a table with such a
 * column; otherwise "current" is left unplaced, to be said or asked about.
 */
export const current: Reader = (s, i) => {
  if (s.tokens[i]!.low !== 'current') return false;
  const next = s.tokens.slice(i + 1).find((x) => !x.used && !FILLER.has(x.low));
  const table = next && (s.model.tablesNamed(next.low)[0] ?? columnsNamed(s.model, [next.low])[0]?.ref.table);
  const end = table === undefined ? undefined : s.model.table(table)?.columns.find((c) => isDateLike(c) && PERIOD_END.test(c.name));
  if (table === undefined || end === undefined) return false;
  s.flushValue(i);
  s.intent.ongoing.push({ table, column: end.name });
  s.intent.notes.push(`"current" = ${table}.${end.name} empty or after today`);
  take(s.tokens, i, 1);
  return true;
};
