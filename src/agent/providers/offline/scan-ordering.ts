/**
 * Readers of aggregation and ordering words: aggregates ("how many", "average"), ordering ("top 3",
 * "highest", "by <what>"), row limits ("5 rows"), grouping ("per", "for each"), negation ("with no"),
 * ranking and distinct.
 */
import { columnsNamed, namesOwnMeasure } from './columns-named.js';
import { AGGREGATES, COUNTED_ORDER, DISTINCT, GROUP_WORDS, NEGATIONS, numberOf, ORDER_WORDS, phraseAt, take, YEAR } from './intent-lexicon.js';
import { namesDate, type Reader } from './scan-state.js';
import { isNumeric } from './schema-model.js';
import { FILLER, singular } from './words.js';

/**
 * Whether the next word that carries meaning (from `from`) after `orderWord` is read as a column: it names
 * one and no table, or, in the singular, names a column exactly ("the highest salary" beside a `salaries`
 * table), or a table's own measure (see namesOwnMeasure; the column reader in scan-names.ts reads both so too).
 */
function namesColumnNext(s: Parameters<Reader>[0], from: number, orderWord: string): boolean {
  const next = s.tokens.slice(from).find((x) => !x.used && !FILLER.has(x.low));
  if (next === undefined) return false;
  const columns = columnsNamed(s.model, [next.low]);
  if (columns.length === 0) return false;
  // "the most fees" counts them; "the highest fees" orders by the fee.
  const ownMeasure = !COUNTED_ORDER.has(orderWord) && namesOwnMeasure(s.model, next.low);
  return s.model.tablesNamed(next.low).length === 0 || (singular(next.low) === next.low && columns[0]!.score >= 3) || ownMeasure;
}

/** Aggregates: the next mention is what they apply to; a bare "count" after one names it again. */
const aggregate: Reader = (s, i) => {
  const { tokens, model } = s;
  const found = AGGREGATES.find(([phrase]) => phraseAt(tokens, i, phrase));
  if (!found) return false;
  s.flushValue(i);
  const [phrase, fn] = found;
  take(tokens, i, phrase.split(' ').length);
  const again = s.seenFns.includes(fn);
  const next = tokens.slice(i + phrase.split(' ').length).find((x) => !x.used && !FILLER.has(x.low));
  // "the number of beds" of a ward whose `beds` column counts them already: that column, not a count of rows.
  const counted = next && phrase === 'number of' && model.tablesNamed(next.low).length === 0 ? columnsNamed(model, [next.low])[0] : undefined;
  if (counted && counted.score === 3 && isNumeric(model.table(counted.ref.table)!.columns.find((c) => c.name === counted.ref.column)!)) return true;
  const nextNamesSomething = next !== undefined && (model.tablesNamed(next.low).length > 0 || columnsNamed(model, [next.low]).length > 0);
  if (again && !nextNamesSomething) {
    s.repeats.push(fn);
    return true;
  }
  s.seenFns.push(fn);
  s.pending = { role: 'aggregate', fn, running: s.runningNext };
  s.runningNext = false;
  return true;
};

/** Ordering: "top 3", "3 best", "highest", then "by <what>". */
const order: Reader = (s, i) => {
  const { tokens, model } = s;
  const found = ORDER_WORDS.find(([phrase]) => phraseAt(tokens, i, phrase));
  if (!found || (found[0] === 'first' && numberOf(tokens[i + 1]) === undefined)) return false;
  s.flushValue(i);
  const width = found[0].split(' ').length;
  take(tokens, i, width);
  // "most first", "highest first": only the direction.
  if (tokens[i + width]?.low === 'first' && !tokens[i + width]!.used) {
    take(tokens, i + width, 1);
    s.orderPending = found[1];
    s.shape.direction = { direction: found[1], words: `${found[0]} first` };
    return true;
  }
  // "the best year for comedies": a moment is not better than another by itself, and which measure makes it best is not said.
  const measured = namesDate(s, i + width);
  if ((found[0] === 'best' || found[0] === 'worst') && measured) {
    s.intent.unplaced.push(`${found[0]} ${measured} (${found[0]} by what?)`);
    return true;
  }
  if (found[0] !== 'first') s.orderWord = found[0];
  const n = numberOf(tokens[i + width]);
  if (n !== undefined && !tokens[i + width]!.used) {
    s.intent.limit = n;
    take(tokens, i + width, 1);
  }
  s.orderPending = found[1];
  // "the 3 most expensive products": the next column named is what is ordered by (unless "by" names it).
  const next = tokens.slice(i + width).find((x) => !x.used && !FILLER.has(x.low));
  const namesColumn = namesColumnNext(s, i + width, found[0]);
  if (!s.pending && namesColumn) s.pending = { role: 'order', direction: found[1] };
  // "the genre with the most movies": ordered by a count of that table.
  else if (COUNTED_ORDER.has(found[0]) && next !== undefined && !namesColumn && model.tablesNamed(next.low).length > 0) s.pending = { role: 'aggregate', fn: 'count', ordered: found[1] };
  return true;
};

/** "3 best", "5 rows", "first 10", "the 3 customers with the most orders": how many rows. */
const rowCount: Reader = (s, i) => {
  const { tokens } = s;
  const t = tokens[i]!;
  const count = numberOf(t);
  if (count === undefined || !Number.isInteger(count) || YEAR.test(t.low)) return false;
  const nextOrder = ORDER_WORDS.find(([phrase]) => phraseAt(tokens, i + 1, phrase));
  if (nextOrder) {
    s.intent.limit = count;
    s.orderPending = nextOrder[1];
    s.orderWord = nextOrder[0];
    // "the 5 highest paid staff": ordered by the column named next; "5 best movies by rating" waits for "by".
    const width = 1 + nextOrder[0].split(' ').length;
    if (!s.pending && namesColumnNext(s, i + width, nextOrder[0])) s.pending = { role: 'order', direction: nextOrder[1] };
    take(tokens, i, width);
    return true;
  }
  const countsTable = s.model.tablesNamed(tokens[i + 1]?.low ?? '').length > 0 && tokens[i - 1]?.low === 'the';
  if (tokens[i + 1]?.low !== 'rows' && tokens[i + 1]?.low !== 'row' && !(i > 0 && ['first', 'last'].includes(tokens[i - 1]!.low)) && !countsTable) return false;
  s.intent.limit = count;
  take(tokens, i, countsTable ? 1 : 2);
  return true;
};

/** "top customers by points": what an ordering word waits for. */
const orderedBy: Reader = (s, i) => {
  if (s.tokens[i]!.low !== 'by' || !s.orderPending) return false;
  take(s.tokens, i, 1);
  s.pending = { role: 'order', direction: s.orderPending };
  return true;
};

const group: Reader = (s, i) => {
  const found = s.takePhrase(i, GROUP_WORDS);
  if (!found) return false;
  if (found !== 'every' || !s.pending) s.pending = { role: 'group', all: found === 'every' };
  if (found === 'per' || found === 'by') s.shape.groupsBy = true;
  return true;
};

const negation: Reader = (s, i) => {
  if (!s.takePhrase(i, NEGATIONS)) return false;
  s.pending = { role: 'without' };
  return true;
};

const rank: Reader = (s, i) => {
  const t = s.tokens[i]!;
  if (t.low !== 'rank' && t.low !== 'ranked' && t.low !== 'ranking') return false;
  s.intent.rank = true;
  s.orderPending ??= 'DESC';
  t.used = true;
  // "rank 1 = best": a rank value, not a limit.
  if (numberOf(s.tokens[i + 1]) !== undefined) take(s.tokens, i + 1, 1);
  s.flushValue(i);
  return true;
};

const distinct: Reader = (s, i) => {
  const t = s.tokens[i]!;
  if (!DISTINCT.has(t.low)) return false;
  s.intent.distinct = true;
  t.used = true;
  return true;
};

export const ORDERING_READERS: Reader[] = [aggregate, order, rowCount, orderedBy, group, negation, rank, distinct];
