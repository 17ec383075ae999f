/**
 * Readers of conditions: a comparator and its number, date or range ("above 9", "between 2 and 4",
 * "before 2024-06-30"), and a year or decade ("in 2019", "in the 1990s"). What they compare is
 * decided once every mention is known.
 */
import { COMPARATORS, DATE, decadeOf, numberOf, phraseAt, take, YEAR } from './intent-lexicon.js';
import type { Reader } from './scan-state.js';
import { columnsNamed } from './columns-named.js';
import type { ColumnMention, Op } from './intent-types.js';
import { isNumeric } from './schema-model.js';
import { singular } from './words.js';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const words = (s: Parameters<Reader>[0], from: number, to: number): string => s.tokens.slice(from, to).map((x) => x.raw).join(' ');

/** Comparisons: a comparator then a number (or a date, or "between A and B"). */
const comparison: Reader = (s, i) => {
  const { tokens } = s;
  const comparator = COMPARATORS.find(([phrase]) => phraseAt(tokens, i, phrase));
  if (!comparator) return false;
  const [phrase, op] = comparator;
  const width = phrase.split(' ').length;
  const first = numberOf(tokens[i + width]);
  const date = tokens[i + width] && DATE.test(tokens[i + width]!.low) ? tokens[i + width]!.low : undefined;
  if (date !== undefined && op !== 'between') {
    s.flushValue(i);
    s.pushCompare({ op, value: date, words: words(s, i, i + width + 1), position: i, after: s.lastMention() });
    take(tokens, i, width + 1);
    return true;
  }
  if (phrase === 'or more' && s.compares.length === 0) {
    take(tokens, i, width);
    return true;
  }
  if (op === 'between' && first !== undefined && tokens[i + width + 1]?.low === 'and' && numberOf(tokens[i + width + 2]) !== undefined) {
    s.flushValue(i);
    s.pushCompare({ op, value: first, upper: numberOf(tokens[i + width + 2])!, words: words(s, i, i + width + 3), position: i, after: s.lastMention() });
    take(tokens, i, width + 3);
    return true;
  }
  if (first === undefined) return compareColumns(s, i, width, op);
  s.flushValue(i);
  // "at least one British actor": existence, which the join already gives.
  if (first === 1 && op === '>=' && s.model.tablesNamed(tokens[i + width + 1]?.low ?? '').length === 0 && tokens[i + width]!.low === 'one') {
    take(tokens, i, width + 1);
    return true;
  }
  s.pushCompare({ op, value: first, words: words(s, i, i + width + 1), position: i, after: s.lastMention() });
  take(tokens, i, width + 1);
  return true;
};

/** "shipped after their required date": a comparator followed by a column (one to three words) names the value to compare with. */
function compareColumns(s: Parameters<Reader>[0], i: number, width: number, op: Op): boolean {
  const { tokens } = s;
  let at = i + width;
  while (tokens[at] && !tokens[at]!.used && ['their', 'its', 'the', 'his', 'her'].includes(tokens[at]!.low)) at++;
  for (const span of [3, 2, 1]) {
    const words = tokens.slice(at, at + span);
    if (words.length < span || words.some((x) => x.used)) continue;
    const columns = columnsNamed(s.model, words.map((x) => x.low));
    if (columns.length === 0 || columns[0]!.score < (span === 1 ? 2 : 3)) continue;
    s.flushValue(i);
    const other: ColumnMention = { kind: 'column', candidates: columns.map((c) => ({ ...c.ref, score: c.score })) };
    s.pushCompare({ op, value: 0, other, words: tokens.slice(i, at + span).map((x) => x.raw).join(' '), position: i, after: s.lastMention() });
    take(tokens, i, at + span - i);
    return true;
  }
  return false;
}

/** "in the 1990s", "in 2019", "from the 90s". */
const period: Reader = (s, i) => {
  const { tokens } = s;
  const t = tokens[i]!;
  if (t.low !== 'in' && t.low !== 'from' && t.low !== 'during') return false;
  const skip = tokens[i + 1]?.low === 'the' ? 2 : 1;
  // "in March 2024": from the first of that month to the first of the next, as dates.
  const named = tokens[i + skip]?.low ?? '';
  const month = MONTHS.findIndex((m) => m === named || (named.length === 3 && m.startsWith(named)));
  const monthYear = tokens[i + skip + 1] && YEAR.test(tokens[i + skip + 1]!.low) ? Number(tokens[i + skip + 1]!.low) : undefined;
  if (month >= 0 && monthYear !== undefined) {
    s.flushValue(i);
    const first = (year: number, m: number) => `${year + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
    const said = words(s, i, i + skip + 2);
    s.pushCompare({ op: '>=', value: first(monthYear, month), words: said, position: i, after: s.lastMention() });
    s.pushCompare({ op: '<', value: first(monthYear, month + 1), words: said, position: i, after: s.lastMention() });
    take(tokens, i, skip + 2);
    return true;
  }
  const decade = decadeOf(tokens[i + skip]);
  const year = numberOf(tokens[i + skip]);
  if (decade) {
    s.flushValue(i);
    s.pushCompare({ op: 'between', value: decade[0], upper: decade[1], words: words(s, i, i + skip + 1), position: i, after: s.lastMention() });
    take(tokens, i, skip + 1);
    return true;
  }
  if (year === undefined || !YEAR.test(tokens[i + skip]!.low)) return false;
  s.flushValue(i);
  s.pushCompare({ op: '=', value: year, words: words(s, i, i + skip + 1), position: i, after: s.lastMention() });
  take(tokens, i, skip + 1);
  return true;
};

/** "invoice 5", "order 10248": a whole number right after a table named in the singular is its key. */
const keyNumber: Reader = (s, i) => {
  const t = s.tokens[i]!;
  const named = s.lastMention();
  const before = s.tokens[i - 1];
  if (!/^\d+$/.test(t.low) || !named || named.ref.kind !== 'table' || named.position !== i - 1 || !before || singular(before.low) !== before.low) return false;
  const table = s.model.table(named.ref.table);
  const key = table?.primaryKey.length === 1 ? table.columns.find((c) => c.name === table.primaryKey[0]) : undefined;
  if (!table || !key || !isNumeric(key)) return false;
  s.flushValue(i);
  s.intent.comparisons.push({ target: { table: table.name, column: key.name }, op: '=', value: Number(t.low), words: `${before.raw} ${t.raw}` });
  take(s.tokens, i, 1);
  return true;
};

export const FILTER_READERS: Reader[] = [keyNumber, comparison, period];
