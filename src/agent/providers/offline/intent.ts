/**
 * The request parser: reads an ordinary request against a SchemaModel and produces a typed intent
 * (subject table, columns, filters, aggregates, grouping, ordering), plus the phrases it must look up
 * with the search tool and the words it could not place. Knows no table or column name in advance.
 */
import { ARITHMETIC, BUCKETS, exprColumns, type ArithOp, type Bucket, type ColumnRef, type Expr } from './expressions.js';
import type { SchemaModel } from './schema-model.js';
import { isDateLike, isNumeric } from './schema-model.js';
import { FILLER, fold, PRONOUNS, singular, stem, variants } from './words.js';

export type { ColumnRef } from './expressions.js';

export type AggFn = 'count' | 'avg' | 'sum' | 'min' | 'max';

export interface Aggregate {
  fn: AggFn;
  /** The table counted, or the column's table. */
  table: string;
  column?: string;
  /** A value computed per row ("sum of quantity times unit price") instead of a column. */
  expr?: Expr;
  /** "the average rating of all reviews of its director's movies": computed over this related table's rows, not the result row's. */
  level?: string;
  /** "running count of reviews of that movie by date": a window up to the current row, per partition. */
  running?: { partition?: { table: string } | { column: ColumnRef }; order: ColumnRef[] };
}

export type Op = '>' | '>=' | '<' | '<=' | '=' | 'between';

export interface Comparison {
  /** A column, or an aggregate (by index into `aggregates`): then it is a HAVING condition. */
  target: ColumnRef | { aggregate: number };
  op: Op;
  value: number | string;
  upper?: number;
  /** The words it came from, for the reply. */
  words: string;
}

/** A phrase to look up with search_data: it names a value ("Drama", "Christopher Nolan"). */
export interface ValuePhrase {
  text: string;
  /** A table named right after it ("British actors"), preferred among the hits. */
  tableHint?: string;
}

export type Output = { column: ColumnRef } | { aggregate: number } | { expr: Expr };

export interface Intent {
  base?: string;
  outputs: Output[];
  aggregates: Aggregate[];
  /** Group by a column, by a computed value (a decade), or by the rows of a table (its key and label). */
  group?: { column: ColumnRef } | { table: string } | { expr: Expr };
  /**
   * "For each director their most recent movie", "the genre with the most movies per decade": the first
   * `n` rows of each group by the ordering. Ties are all kept unless a tie-break was asked for.
   */
  perGroup?: { n: number; tieBreak?: 'alphabetical' };
  /** "pairs of actors who appeared in the same movie": pairs of `entity` rows sharing a `through` row. */
  pairs?: { entity: string; through: string; count: boolean };
  comparisons: Comparison[];
  values: ValuePhrase[];
  /** Tables whose rows must not exist for the result row ("with no reviews"). */
  without: string[];
  /** Tables whose rows must exist ("reviewed movies"): an inner join. */
  joined: string[];
  /** Link-table qualifier conditions matched from verbs ("directed" -> role = 'director'). */
  qualifiers: { column: ColumnRef; value: string; word: string }[];
  distinct: boolean;
  order?: { target: { column: ColumnRef } | { aggregate: number }; direction: 'ASC' | 'DESC' };
  limit?: number;
  /** A possessive pronoun stood before this table ("her movies"): restrict to the entity found earlier. */
  pronounTable?: string;
  /** "rank ... by X": a RANK() column over the ordering (ties share a rank). */
  rank?: boolean;
  /** A personal pronoun (she, him, ...) refers to the entity found earlier. */
  pronoun?: boolean;
  /** Words that carried meaning this parser could not place. */
  unplaced: string[];
  /** What the request's shape words were read as, for the reply ("ties: all kept"). */
  notes: string[];
}

interface Token {
  raw: string;
  low: string;
  possessive: boolean;
  used: boolean;
}

function tokenize(text: string): Token[] {
  // Brackets and commas stay as (already used) tokens: words on either side are not adjacent.
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}_'’.-]*|[(),;:]/gu) ?? [];
  return words.map((word) => {
    if (/^[(),;:]$/.test(word)) return { raw: word, low: word, possessive: false, used: true };
    let raw = word.replace(/[.'’-]+$/, '');
    const possessive = /['’]s$/i.test(raw) || /s['’]$/i.test(word);
    raw = raw.replace(/['’]s$/i, '');
    return { raw, low: fold(raw), possessive, used: false };
  });
}

const COMPARATORS: [string, Op][] = [
  ['more than', '>'], ['greater than', '>'], ['higher than', '>'], ['larger than', '>'], ['bigger than', '>'], ['longer than', '>'], ['later than', '>'],
  ['older than', '>'], ['no less than', '>='], ['not less than', '>='], ['at least', '>='], ['or more', '>='], ['less than', '<'], ['fewer than', '<'],
  ['lower than', '<'], ['smaller than', '<'], ['shorter than', '<'], ['cheaper than', '<'], ['earlier than', '<'], ['no more than', '<='],
  ['not more than', '<='], ['at most', '<='], ['up to', '<='], ['above', '>'], ['over', '>'], ['exceeding', '>'], ['after', '>'], ['since', '>='],
  ['below', '<'], ['under', '<'], ['before', '<'], ['between', 'between'], ['equal to', '='], ['equals', '='], ['exactly', '='],
];

const AGGREGATES: [string, AggFn][] = [
  ['how many', 'count'], ['number of', 'count'], ['count of', 'count'], ['count', 'count'], ['counts', 'count'], ['average', 'avg'], ['avg', 'avg'],
  ['mean', 'avg'], ['total', 'sum'], ['sum of', 'sum'], ['sum', 'sum'], ['minimum', 'min'], ['min', 'min'], ['smallest', 'min'], ['earliest', 'min'],
  ['maximum', 'max'], ['max', 'max'], ['largest', 'max'], ['latest', 'max'],
];

const ORDER_WORDS: [string, 'ASC' | 'DESC'][] = [
  ['top', 'DESC'], ['highest', 'DESC'], ['best', 'DESC'], ['most', 'DESC'], ['biggest', 'DESC'], ['first', 'ASC'], ['lowest', 'ASC'], ['worst', 'ASC'],
  ['bottom', 'ASC'], ['least', 'ASC'], ['fewest', 'ASC'], ['cheapest', 'ASC'], ['oldest', 'ASC'], ['newest', 'DESC'], ['most recent', 'DESC'],
];
/** Before a table ("their most recent movie"): ordered by the table's date. */
const RECENCY: [string, 'ASC' | 'DESC'][] = [['most recent', 'DESC'], ['latest', 'DESC'], ['newest', 'DESC'], ['oldest', 'ASC'], ['earliest', 'ASC']];
/** Before a table ("the genre with the most movies"): ordered by how many. */
const COUNTED_ORDER = new Set(['most', 'fewest', 'least']);
/** After a value ("quantity times unit price, summed"): the aggregate applies to what was just named. */
const POST_AGGREGATES: [string, AggFn][] = [['summed', 'sum'], ['added up', 'sum'], ['totalled', 'sum'], ['totaled', 'sum'], ['averaged', 'avg']];
/** "running count ... up to and including that review": the window's frame, which a running aggregate has anyway. */
const RUNNING_FRAME = ['up to and including', 'up to', 'so far', 'to date', 'until', 'including'];
/** Words of a pairs request that only restate what a pair is ("two names, alphabetical within the pair, each pair once"). */
const PAIR_WORDS = new Set(['share', 'shared', 'sharing', 'together', 'once', 'alphabetical', 'alphabetically', 'within', 'two', 'both', 'same', 'each', 'other']);

const GROUP_WORDS = ['for each', 'per', 'each', 'every', 'by'];
const NEGATIONS = ['that have no', 'which have no', 'with no', 'without any', 'without', 'having no', 'that were never', 'were never', 'never', 'no'];
const DISTINCT = new Set(['distinct', 'unique', 'different']);
/** Verbs that only tie words together ("reviews they wrote", "movies they appear in"). */
const LINKING_VERBS = new Set(['appear', 'appears', 'appeared', 'wrote', 'written', 'write', 'made', 'make', 'got', 'get', 'gets', 'received', 'receive', 'belong', 'belongs', 'contain', 'contains', 'placed', 'place', 'sorted', 'ordered', 'order', 'whose', 'where', 'which', 'than', 'like', 'named', 'called', 'released', 'rows']);
const YEAR = /^(1[5-9]|2[01])\d\d$/;
/** The last part of a key column's name: keys are not what a participle names. */
const KEY_PART = /^(?:id|no|nr|num|code|ref|key|fk|pk)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function phraseAt(tokens: Token[], i: number, phrase: string): boolean {
  const words = phrase.split(' ');
  return words.every((w, k) => tokens[i + k] !== undefined && !tokens[i + k]!.used && tokens[i + k]!.low === w);
}

function take(tokens: Token[], i: number, count: number): void {
  for (let k = 0; k < count; k++) if (tokens[i + k]) tokens[i + k]!.used = true;
}

function numberOf(token: Token | undefined): number | undefined {
  if (!token) return undefined;
  const n = Number(token.low.replace(/,/g, ''));
  if (token.low !== '' && Number.isFinite(n)) return n;
  const small: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twenty: 20 };
  return small[token.low];
}

/** "1990s", "90s" -> [1990, 1999]. */
function decadeOf(token: Token | undefined): [number, number] | undefined {
  const m = token && /^(\d{2}|\d{4})s$/.exec(token.low);
  if (!m) return undefined;
  const start = m[1]!.length === 2 ? 1900 + Number(m[1]) : Number(m[1]);
  return [start, start + 9];
}

/** Columns of any table that `words` name (all words must match, in order); best matches first. */
export function columnsNamed(model: SchemaModel, words: string[]): { ref: ColumnRef; score: number }[] {
  const wanted = words.map((w) => variants(w));
  const found: { ref: ColumnRef; score: number }[] = [];
  for (const table of model.tables.values()) {
    for (const column of table.columns) {
      const parts = fold(column.name).split(/_+|(?<=[a-z])(?=[0-9])/).filter(Boolean).map(singular);
      let score = 0;
      if (wanted.length === parts.length && wanted.every((w, k) => w.includes(parts[k]!))) score = 3;
      else if (wanted.length === 1 && wanted[0]!.includes(fold(column.name))) score = 3;
      else if (wanted.length === 1 && parts.length > 1 && wanted[0]!.includes(parts[0]!) && parts[0] !== 'id') score = 2;
      else if (wanted.length === 1 && parts.length > 1 && parts.slice(1).some((p) => wanted[0]!.includes(p)) && !['id', 'name', 'year', 'date'].includes(words[0]!)) score = 1;
      else if (wanted.length === 1 && parts.length > 1 && ['name', 'year', 'date', 'title'].includes(singular(words[0]!)) && parts.at(-1) === singular(words[0]!)) score = 1;
      // "rated" -> rating, "priced" -> price: a participle names the column of the same stem.
      else if (wanted.length === 1 && /(?:ed|ing)$/.test(words[0]!) && !KEY_PART.test(parts.at(-1)!) && parts.some((p) => p.length >= 4 && stem(p) === stem(words[0]!)) && model.tablesNamed(stem(words[0]!)).length === 0) score = 1;
      if (score > 0) found.push({ ref: { table: table.name, column: column.name }, score });
    }
  }
  return found.sort((a, b) => b.score - a.score);
}

type ColumnMention = { kind: 'column'; candidates: (ColumnRef & { score: number })[]; qualifier?: string };
/** A computed value; a bucket without operands is over the subject's date. */
type ExprMention = { kind: 'expr'; shape: Expr['kind']; op?: ArithOp; unit?: Bucket; operands: ColumnMention[]; name?: string };
type Ref = { kind: 'table'; table: string } | ColumnMention | ExprMention;

interface Mention {
  ref: Ref;
  /** Where its first word is (position is its last). */
  start?: number;
  possessive?: boolean;
  role: 'plain' | 'aggregate' | 'group' | 'without' | 'joined' | 'order' | 'compare' | 'qualifier' | 'window' | 'partition' | 'through';
  position: number;
  fn?: AggFn;
  direction?: 'ASC' | 'DESC';
  /** A running aggregate ("running count of ..."). */
  running?: boolean;
  /** An aggregate over a related table's rows ("... of its director's movies"). */
  level?: string;
  /** "the most movies": a count that orders the result. */
  ordered?: 'ASC' | 'DESC';
}

/** Shape words seen in the request, settled once every mention is known. */
interface ShapeWords {
  tieBreak?: 'alphabetical';
  /** "most first": the order of the only aggregate, when nothing else is ordered. */
  direction?: { direction: 'ASC' | 'DESC'; words: string };
  pairsOf?: string;
}

export function parseIntent(text: string, model: SchemaModel): Intent {
  const tokens = tokenize(text);
  const intent: Intent = { outputs: [], aggregates: [], comparisons: [], values: [], without: [], joined: [], qualifiers: [], distinct: false, unplaced: [], notes: [] };
  const mentions: Mention[] = [];
  /** What the next table/column mention is for. */
  let pending: { role: Mention['role']; fn?: AggFn; op?: Op; direction?: 'ASC' | 'DESC'; running?: boolean; ordered?: 'ASC' | 'DESC'; recency?: boolean } | undefined;
  const shape: ShapeWords = {};
  let runningNext = false;
  /** "quantity times": the left operand waits for the right one. */
  let arithmetic: { op: ArithOp; left: Mention } | undefined;
  /** "the director's age": waits for the moment ("in the release year", "at release"). */
  let age: { position: number; qualifier?: string; role: Mention['role']; fn?: AggFn } | undefined;
  let orderPending: 'ASC' | 'DESC' | undefined;
  const compares: PendingCompare[] = [];
  const pendingCompares = {
    push(c: PendingCompare) {
      const next = tokens[c.position + c.words.split(' ').length];
      compares.push({ ...c, fillerAfter: next !== undefined && FILLER.has(next.low) });
    },
    get length() {
      return compares.length;
    },
  };
  let valueWords: Token[] = [];
  const seenFns: AggFn[] = [];
  /** An aggregate named again without its argument ("... director name and count"): an output. */
  const repeats: AggFn[] = [];
  const valueGroups: { tokens: Token[]; end: number }[] = [];
  const flushValue = (end: number) => {
    if (valueWords.length > 0) valueGroups.push({ tokens: valueWords, end });
    valueWords = [];
  };

  const lastMention = (): Mention | undefined => mentions.at(-1);

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.used) {
      flushValue(i);
      continue;
    }

    // "ties broken alphabetically": which row a group keeps when several share the best value.
    if (t.low === 'ties' || t.low === 'tie') {
      const end = tokens.slice(i, i + 4).findIndex((x) => /^alphabetical(?:ly)?$/.test(x.low));
      if (end > 0) {
        flushValue(i);
        take(tokens, i, end + 1);
        shape.tieBreak = 'alphabetical';
        continue;
      }
    }
    // "pairs of actors who appeared in the same movie".
    if ((t.low === 'pair' || t.low === 'pairs') && !shape.pairsOf && tokens[i + 1]?.low === 'of') {
      const entity = model.tablesNamed(tokens[i + 2]?.low ?? '')[0];
      if (entity) {
        flushValue(i);
        take(tokens, i, 3);
        shape.pairsOf = entity;
        pending = undefined;
        continue;
      }
    }
    // "who ran in the same race": the verb before "the same" only says how they share it.
    const sharedVerb = shape.pairsOf && !PAIR_WORDS.has(t.low) && tokens.slice(i + 1, i + 3).some((x, k) => x.low === 'same' && (k === 0 || ['in', 'on', 'at', 'for', 'with'].includes(tokens[i + 1]!.low)));
    if (shape.pairsOf && (t.low === 'pair' || t.low === 'pairs' || PAIR_WORDS.has(t.low) || sharedVerb)) {
      flushValue(i);
      t.used = true;
      if (t.low === 'same') pending = { role: 'through' };
      continue;
    }
    // "running count of reviews ... (by date, then review id)".
    if ((t.low === 'running' || t.low === 'cumulative') && AGGREGATES.some(([phrase]) => phraseAt(tokens, i + 1, phrase))) {
      flushValue(i);
      t.used = true;
      runningNext = true;
      continue;
    }
    if (mentions.some((m) => m.running)) {
      const frame = RUNNING_FRAME.find((phrase) => phraseAt(tokens, i, phrase));
      if (frame) {
        flushValue(i);
        take(tokens, i, frame.split(' ').length);
        continue;
      }
      const by = ['ordered by', 'sorted by', 'in order of', 'by'].find((phrase) => phraseAt(tokens, i, phrase));
      if (by || (t.low === 'then' && lastMention()?.role === 'window')) {
        flushValue(i);
        take(tokens, i, by ? by.split(' ').length : 1);
        pending = { role: 'window' };
        continue;
      }
    }
    // "the director's age in the release year": an age needs a birth column and a moment.
    if (t.low === 'age' || t.low === 'ages') {
      flushValue(i);
      t.used = true;
      const previous = lastMention();
      const qualifier = previous?.ref.kind === 'table' && previous.position === i - 1 ? previous.ref.table : undefined;
      age = { position: i, qualifier, role: pending?.role ?? 'plain', fn: pending?.fn };
      pending = undefined;
      continue;
    }
    const operator = ARITHMETIC.find(([phrase]) => phraseAt(tokens, i, phrase));
    const left = lastMention();
    if (operator && left && left.ref.kind === 'column' && left.position === i - 1) {
      flushValue(i);
      take(tokens, i, operator[0].split(' ').length);
      mentions.pop();
      arithmetic = { op: operator[1], left };
      continue;
    }
    const post = POST_AGGREGATES.find(([phrase]) => phraseAt(tokens, i, phrase));
    if (post && left && left.ref.kind !== 'table' && left.role === 'plain' && i - left.position <= 2) {
      flushValue(i);
      take(tokens, i, post[0].split(' ').length);
      left.role = 'aggregate';
      left.fn = post[1];
      seenFns.push(post[1]);
      // "summed over order items": the rows summed, which the joins already are.
      if (tokens[i + 1]?.low === 'over' || tokens[i + 1]?.low === 'across') {
        for (let k = i + 1; k < tokens.length && !tokens[k]!.used; k++) {
          const word = tokens[k]!;
          if (k > i + 1 && !FILLER.has(word.low) && !LINKING_VERBS.has(word.low) && model.tablesNamed(word.low).length === 0) break;
          word.used = true;
        }
      }
      continue;
    }
    // "per release decade", "per month": a time bucket of the column just named, or of the subject's date.
    if (BUCKETS.has(singular(t.low)) && !(singular(t.low) === 'year' && columnsNamed(model, ['year']).length > 0)) {
      flushValue(i);
      t.used = true;
      const unit = singular(t.low) as Bucket;
      if (left && left.ref.kind === 'column' && left.position === i - 1) {
        left.ref = { kind: 'expr', shape: 'bucket', unit, operands: [left.ref] };
        left.position = i;
      } else {
        mentions.push({ ref: { kind: 'expr', shape: 'bucket', unit, operands: [] }, role: pending?.role ?? 'plain', position: i, start: i });
        pending = undefined;
      }
      continue;
    }
    // "their most recent movie": a table ordered by its date.
    const recency = RECENCY.find(([phrase]) => phraseAt(tokens, i, phrase));
    if (recency) {
      const width = recency[0].split(' ').length;
      const next = tokens.slice(i + width).find((x) => !x.used && !FILLER.has(x.low));
      if (next && model.tablesNamed(next.low).length > 0 && (columnsNamed(model, [next.low])[0]?.score ?? 0) < 3) {
        flushValue(i);
        take(tokens, i, width);
        pending = { role: 'order', direction: recency[1], recency: true };
        continue;
      }
    }

    // Comparisons: a comparator then a number (or a decade, or "between A and B").
    const comparator = COMPARATORS.find(([phrase]) => phraseAt(tokens, i, phrase));
    if (comparator) {
      const [phrase, op] = comparator;
      const width = phrase.split(' ').length;
      const first = numberOf(tokens[i + width]);
      const date = tokens[i + width] && DATE.test(tokens[i + width]!.low) ? tokens[i + width]!.low : undefined;
      if (date !== undefined && op !== 'between') {
        flushValue(i);
        pendingCompares.push({ op, value: date, words: tokens.slice(i, i + width + 1).map((x) => x.raw).join(' '), position: i, after: lastMention() });
        take(tokens, i, width + 1);
        continue;
      }
      if (phrase === 'or more' && pendingCompares.length === 0) {
        take(tokens, i, width);
        continue;
      }
      if (op === 'between' && first !== undefined && tokens[i + width + 1]?.low === 'and' && numberOf(tokens[i + width + 2]) !== undefined) {
        flushValue(i);
        pendingCompares.push({ op, value: first, upper: numberOf(tokens[i + width + 2])!, words: tokens.slice(i, i + width + 3).map((x) => x.raw).join(' '), position: i, after: lastMention() });
        take(tokens, i, width + 3);
        continue;
      }
      if (first !== undefined) {
        flushValue(i);
        // "at least one British actor": existence, which the join already gives.
        if (first === 1 && op === '>=' && model.tablesNamed(tokens[i + width + 1]?.low ?? '').length === 0 && tokens[i + width]!.low === 'one') {
          take(tokens, i, width + 1);
          continue;
        }
        pendingCompares.push({ op, value: first, words: tokens.slice(i, i + width + 1).map((x) => x.raw).join(' '), position: i, after: lastMention() });
        take(tokens, i, width + 1);
        continue;
      }
    }
    // "in the 1990s", "in 2019", "from the 90s".
    if ((t.low === 'in' || t.low === 'from' || t.low === 'during') && !t.used) {
      const skip = tokens[i + 1]?.low === 'the' ? 2 : 1;
      const decade = decadeOf(tokens[i + skip]);
      const year = numberOf(tokens[i + skip]);
      if (decade) {
        flushValue(i);
        pendingCompares.push({ op: 'between', value: decade[0], upper: decade[1], words: tokens.slice(i, i + skip + 1).map((x) => x.raw).join(' '), position: i, after: lastMention() });
        take(tokens, i, skip + 1);
        continue;
      }
      if (year !== undefined && YEAR.test(tokens[i + skip]!.low)) {
        flushValue(i);
        pendingCompares.push({ op: '=', value: year, words: tokens.slice(i, i + skip + 1).map((x) => x.raw).join(' '), position: i, after: lastMention() });
        take(tokens, i, skip + 1);
        continue;
      }
    }

    // Aggregates: the next mention is what they apply to; a bare "count" after one names it again.
    const aggregate = AGGREGATES.find(([phrase]) => phraseAt(tokens, i, phrase));
    if (aggregate) {
      flushValue(i);
      const [phrase, fn] = aggregate;
      take(tokens, i, phrase.split(' ').length);
      const again = seenFns.includes(fn);
      const next = tokens.slice(i + phrase.split(' ').length).find((x) => !x.used && !FILLER.has(x.low));
      const nextNamesSomething = next !== undefined && (model.tablesNamed(next.low).length > 0 || columnsNamed(model, [next.low]).length > 0);
      if (again && !nextNamesSomething) {
        repeats.push(fn);
        continue;
      }
      seenFns.push(fn);
      pending = { role: 'aggregate', fn, running: runningNext };
      runningNext = false;
      continue;
    }

    // Ordering: "top 3", "3 best", "highest", then "by <what>".
    const order = ORDER_WORDS.find(([phrase]) => phraseAt(tokens, i, phrase));
    if (order && !(order[0] === 'first' && numberOf(tokens[i + 1]) === undefined)) {
      flushValue(i);
      const width = order[0].split(' ').length;
      take(tokens, i, width);
      // "most first", "highest first": only the direction.
      if (tokens[i + width]?.low === 'first' && !tokens[i + width]!.used) {
        take(tokens, i + width, 1);
        orderPending = order[1];
        shape.direction = { direction: order[1], words: `${order[0]} first` };
        continue;
      }
      const n = numberOf(tokens[i + width]);
      if (n !== undefined && !tokens[i + width]!.used) {
        intent.limit = n;
        take(tokens, i + width, 1);
      }
      orderPending = order[1];
      // "the 3 most expensive products": the next column named is what is ordered by (unless "by" names it);
      // "highest first" is only a direction.
      const next = tokens.slice(i + width).find((x) => !x.used && !FILLER.has(x.low));
      const namesColumn = next !== undefined && columnsNamed(model, [next.low]).length > 0 && model.tablesNamed(next.low).length === 0;
      if (!pending && namesColumn) pending = { role: 'order', direction: order[1] };
      // "the genre with the most movies": ordered by a count of that table.
      else if (COUNTED_ORDER.has(order[0]) && next !== undefined && !namesColumn && model.tablesNamed(next.low).length > 0) pending = { role: 'aggregate', fn: 'count', ordered: order[1] };
      continue;
    }
    const count = numberOf(t);
    if (count !== undefined && Number.isInteger(count) && !YEAR.test(t.low)) {
      const nextOrder = ORDER_WORDS.find(([phrase]) => phraseAt(tokens, i + 1, phrase));
      if (nextOrder) {
        intent.limit = count;
        orderPending = nextOrder[1];
        if (!pending) pending = { role: 'order', direction: nextOrder[1] };
        take(tokens, i, 1 + nextOrder[0].split(' ').length);
        continue;
      }
      // "5 rows", "first 10", "the 3 customers with the most orders": how many rows.
      const countsTable = model.tablesNamed(tokens[i + 1]?.low ?? '').length > 0 && tokens[i - 1]?.low === 'the';
      if (tokens[i + 1]?.low === 'rows' || tokens[i + 1]?.low === 'row' || (i > 0 && ['first', 'last'].includes(tokens[i - 1]!.low)) || countsTable) {
        intent.limit = count;
        take(tokens, i, countsTable ? 1 : 2);
        continue;
      }
    }

    if (t.low === 'by' && orderPending) {
      take(tokens, i, 1);
      pending = { role: 'order', direction: orderPending };
      continue;
    }
    const group = GROUP_WORDS.find((phrase) => phraseAt(tokens, i, phrase));
    if (group) {
      flushValue(i);
      take(tokens, i, group.split(' ').length);
      if (group !== 'every' || !pending) pending = { role: 'group' };
      continue;
    }
    const negation = NEGATIONS.find((phrase) => phraseAt(tokens, i, phrase));
    if (negation) {
      flushValue(i);
      take(tokens, i, negation.split(' ').length);
      pending = { role: 'without' };
      continue;
    }
    if (t.low === 'rank' || t.low === 'ranked' || t.low === 'ranking') {
      intent.rank = true;
      orderPending ??= 'DESC';
      t.used = true;
      // "rank 1 = best": a rank value, not a limit.
      if (numberOf(tokens[i + 1]) !== undefined) take(tokens, i + 1, 1);
      flushValue(i);
      continue;
    }
    if (DISTINCT.has(t.low)) {
      intent.distinct = true;
      t.used = true;
      continue;
    }

    // "the average rating of all reviews of its director's movies": the aggregate is over the director's rows.
    if (['its', 'their', 'his', 'her'].includes(t.low) && tokens[i - 1]?.low === 'of') {
      const aggregate = [...mentions].reverse().find((m) => m.role === 'aggregate');
      const after = aggregate ? mentions.slice(mentions.indexOf(aggregate) + 1) : [];
      const k = tokens.findIndex((x, at) => at > i && !x.used && !FILLER.has(x.low));
      const level = k > 0 ? model.tablesNamed(tokens[k]!.low)[0] : undefined;
      if (aggregate && level && i - aggregate.position <= 6 && after.every((m) => m.ref.kind === 'table' && m.role === 'plain')) {
        flushValue(i);
        mentions.splice(mentions.length - after.length, after.length);
        aggregate.level = level;
        take(tokens, i, k - i + 1);
        // "... of its director's movies": the rows of the subject's kind under that level, which the aggregate already names.
        if (tokens[k]!.possessive && tokens[k + 1] && model.tablesNamed(tokens[k + 1]!.low).length > 0) take(tokens, k + 1, 1);
        continue;
      }
    }
    // A possessive pronoun before a table: the entity found earlier ("her movies").
    if (PRONOUNS.has(t.low)) {
      t.used = true;
      flushValue(i);
      const nextTable = tokens.slice(i + 1).find((x) => !x.used && !FILLER.has(x.low));
      const named = nextTable && model.tablesNamed(nextTable.low)[0];
      // Only when no table was named before it: in "each movie's title with its director" it is the movie.
      if (named && ['her', 'his', 'their', 'its'].includes(t.low) && !intent.pronounTable && !mentions.some((m) => m.ref.kind === 'table')) intent.pronounTable = named;
      // "the films she directed": a person named earlier, whatever table the request is about.
      else if (['she', 'he', 'her', 'him', 'his'].includes(t.low)) intent.pronoun = true;
      continue;
    }

    // Column names (up to three words), then table names.
    let matched = false;
    for (const width of [3, 2, 1]) {
      const span = tokens.slice(i, i + width);
      if (span.length < width || span.some((x) => x.used) || (width > 1 && FILLER.has(span[0]!.low)) || (width === 1 && FILLER.has(t.low))) continue;
      if (span.slice(0, -1).some((x) => x.possessive)) continue;
      const columns = columnsNamed(model, span.map((x) => x.low));
      const best = columns[0]?.score ?? 0;
      if (width > 1 && best < 3) continue;
      const tables = width === 1 ? model.tablesNamed(t.low) : [];
      if (tables.length > 0 && best < 3) break;
      if (columns.length === 0) continue;
      flushValue(i);
      const candidates = columns.map((c) => ({ ...c.ref, score: c.score }));
      const previous = lastMention();
      // "director's name", "review rating": a table mentioned just before qualifies the column.
      const qualifier =
        previous && previous.ref.kind === 'table' && previous.position === i - 1 && candidates.some((c) => c.table === (previous.ref as { table: string }).table) ? previous.ref.table : undefined;
      // A counted table is complete ("number of orders placed in 2024"); "average review rating" is not.
      const counted = previous?.role === 'aggregate' && (previous.fn ?? 'count') === 'count';
      // The table hands its role to the column ("average review rating", "per director country"); a plainly
      // named table stays a candidate subject ("names of writers born before 1980").
      if (qualifier && previous && !previous.possessive && !counted && previous.role !== 'plain') {
        mentions.pop();
        pending = { role: previous.role, fn: previous.fn, running: previous.running, ordered: previous.ordered };
      }
      const role = pending?.role ?? 'plain';
      const column: ColumnMention = { kind: 'column', candidates, qualifier };
      const mention: Mention = { ref: column, role, position: i + width - 1, start: i, fn: pending?.fn, direction: pending?.direction, running: pending?.running };
      if (arithmetic) {
        // "quantity times unit price": one value, with the role the left operand had.
        const { op, left: operand } = arithmetic;
        Object.assign(mention, { ref: { kind: 'expr', shape: 'arith', op, operands: [operand.ref as ColumnMention, column] }, role: operand.role, fn: operand.fn, start: operand.start });
        arithmetic = undefined;
      } else if (age && i - age.position <= 4) {
        // "age in the release year": this column is the moment; the birth column is found by name.
        const birth: ColumnMention = { kind: 'column', candidates: columnsNamed(model, ['born']).map((c) => ({ ...c.ref, score: c.score })), qualifier: age.qualifier };
        if (birth.qualifier && !birth.candidates.some((c) => c.table === birth.qualifier)) birth.qualifier = undefined;
        Object.assign(mention, { ref: { kind: 'expr', shape: 'age', operands: [column, birth], name: 'age' }, role: age.role, fn: age.fn, start: age.position });
        age = undefined;
      }
      mentions.push(mention);
      pending = undefined;
      take(tokens, i, width);
      i += width - 1;
      matched = true;
      break;
    }
    if (matched) continue;
    const tables = model.tablesNamed(t.low);
    if (tables.length > 0) {
      flushValue(i);
      // "reviewed movies": a past participle of a table name means "that have some".
      const participle = /ed$/.test(t.low) && model.tablesNamed(t.low.replace(/ed$/, '')).length > 0 && !model.tablesNamed(t.low.replace(/d$/, '')).length;
      // An ordering waits for a column ("top 5 customers by points"): a table does not take it, unless it is
      // ordered by its date ("their most recent movie"). A running window's "by <table>" is its partition.
      const waits = pending?.role === 'order' && !pending.recency;
      const role = participle ? 'joined' : waits ? 'plain' : pending?.role === 'window' ? 'partition' : (pending?.role ?? 'plain');
      mentions.push({ ref: { kind: 'table', table: tables[0]! }, role, position: i, possessive: t.possessive, fn: pending?.fn, direction: pending?.direction, running: pending?.running, ordered: pending?.ordered });
      if (!participle && !waits) pending = undefined;
      t.used = true;
      continue;
    }
    const participleTable = /ed$/.test(t.low) ? model.tablesNamed(t.low.replace(/ed$/, '')).concat(model.tablesNamed(t.low.replace(/d$/, '')))[0] : undefined;
    if (participleTable) {
      flushValue(i);
      // "never ordered": no such rows.
      mentions.push({ ref: { kind: 'table', table: participleTable }, role: pending?.role === 'without' ? 'without' : 'joined', position: i });
      if (pending?.role === 'without') pending = undefined;
      t.used = true;
      continue;
    }
    // A verb matching a link table's qualifier value ("directed" -> 'director').
    const qualifier = qualifierFor(model, t.low);
    if (qualifier) {
      flushValue(i);
      intent.qualifiers.push({ ...qualifier, word: t.raw });
      t.used = true;
      continue;
    }
    if (FILLER.has(t.low) || LINKING_VERBS.has(t.low) || t.low === 'by' || t.low === 'not') {
      t.used = true;
      flushValue(i);
      continue;
    }
    t.used = true;
    valueWords.push(t);
    if (t.possessive) flushValue(i + 1);
  }
  flushValue(tokens.length);

  if (age) intent.unplaced.push('age (at which moment? e.g. "age at the <date column>")');
  if (arithmetic) intent.unplaced.push(`${arithmetic.op} (no second column after it)`);

  for (const groupTokens of valueGroups) {
    // "its revenue (quantity times unit price, ...)": a word defined by the computed value in brackets names it.
    const defined = tokens[groupTokens.end]?.low === '(' ? mentions.find((m) => m.ref.kind === 'expr' && m.start === groupTokens.end + 1) : undefined;
    if (defined && defined.ref.kind === 'expr') {
      defined.ref.name = fold(groupTokens.tokens.map((x) => x.raw).join('_')).replace(/[^a-z0-9_]+/g, '_');
      continue;
    }
    const next = mentions.find((m) => m.position >= groupTokens.end && m.position <= groupTokens.end + 1 && m.ref.kind === 'table');
    intent.values.push({ text: groupTokens.tokens.map((x) => x.raw).join(' '), tableHint: next && next.ref.kind === 'table' ? next.ref.table : undefined });
  }

  resolve(intent, mentions, compares, model, text, shape);
  for (const fn of repeats) {
    const index = intent.aggregates.findIndex((a) => a.fn === fn);
    // Named again at the end: it goes where it was named last.
    if (index >= 0) intent.outputs = [...intent.outputs.filter((o) => !('aggregate' in o && o.aggregate === index)), { aggregate: index }];
  }
  return intent;
}

function qualifierFor(model: SchemaModel, word: string): { column: ColumnRef; value: string } | undefined {
  if (word.length < 4) return undefined;
  const wanted = stem(word);
  for (const [key, values] of model.qualifierValues) {
    const [table, column] = key.split('\u0000') as [string, string];
    const value = values.find((v) => stem(v) === wanted);
    if (value !== undefined) return { column: { table, column }, value };
  }
  return undefined;
}

/** Picks the subject table, settles each column mention on one table, and places the comparisons. */
interface PendingCompare {
  op: Op;
  value: number | string;
  upper?: number;
  words: string;
  position: number;
  /** The mention just before the comparator. */
  after?: Mention;
  /** The word after it is a small word ("in"), so a unit may come one word later. */
  fillerAfter?: boolean;
}

/** "in 2024", "after 2015", "before 2024-06-30", "in the 1990s": about a moment, so never a count or an average. */
function temporal(c: PendingCompare): boolean {
  return /^(?:in|from|during|after|before|since|later|earlier)\b/i.test(c.words) || /\d{4}-\d{2}-\d{2}/.test(c.words);
}

function resolve(intent: Intent, mentions: Mention[], compares: PendingCompare[], model: SchemaModel, text: string, shape: ShapeWords): void {
  const refTable = (ref: ColumnMention): string | undefined => ref.qualifier ?? ref.candidates[0]?.table;
  const tableOf = (m: Mention): string | undefined => (m.ref.kind === 'table' ? m.ref.table : m.ref.kind === 'column' ? refTable(m.ref) : m.ref.operands[0] && refTable(m.ref.operands[0]));
  settleRunning(mentions, tableOf);
  const aggregateMentions = mentions.filter((m) => m.role === 'aggregate');
  const groupMention = mentions.find((m) => m.role === 'group');
  const recent = mentions.find((m) => m.role === 'order' && m.ref.kind === 'table');

  // The subject: the pairs' link, the rows ordered by date ("their most recent movie"), the rows grouped,
  // else the first table named plainly, else the first column's table.
  const through = shape.pairsOf ? pairedThrough(mentions, shape.pairsOf, model) : undefined;
  if (through) intent.base = through;
  else if (recent) intent.base = tableOf(recent);
  else if (aggregateMentions.length > 0 && groupMention?.ref.kind === 'table') intent.base = groupMention.ref.table;
  else if (aggregateMentions.length > 0 && groupMention) intent.base = tableOf(aggregateMentions[0]!);
  const firstTable = mentions.find((m) => m.ref.kind === 'table' && (m.role === 'plain' || m.role === 'group' || m.role === 'order'));
  intent.base ??= firstTable && tableOf(firstTable);
  intent.base ??= intent.pronounTable;
  const firstPlain = mentions.find((m) => m.role === 'plain' && m.ref.kind !== 'table');
  intent.base ??= firstPlain && tableOf(firstPlain);
  intent.base ??= aggregateMentions[0] && tableOf(aggregateMentions[0]);
  intent.base ??= mentions[0] && tableOf(mentions[0]);
  const base = intent.base;

  const settleRef = (ref: ColumnMention): ColumnRef | undefined => {
    const pick = (c: (ColumnRef & { score: number }) | undefined): ColumnRef | undefined => c && { table: c.table, column: c.column };
    if (ref.qualifier) return pick(ref.candidates.find((c) => c.table === ref.qualifier));
    if (!base) return pick(ref.candidates[0]);
    // The nearest table in the foreign-key graph (the subject itself first), then the closest name.
    return pick([...ref.candidates].sort((a, b) => model.distance(base, a.table) - model.distance(base, b.table) || b.score - a.score)[0]);
  };
  const settle = (m: Mention): ColumnRef | undefined => (m.ref.kind === 'column' ? settleRef(m.ref) : undefined);
  const settleExpr = (m: Mention): Expr | undefined => (m.ref.kind === 'expr' ? exprOf(m.ref, settleRef, model, base) : undefined);

  const aggregateIndex = new Map<Mention, number>();
  for (const m of mentions) {
    if (m.role === 'aggregate') {
      const fn = m.fn ?? 'count';
      const column = settle(m);
      const expr = settleExpr(m);
      const shaped = { level: m.level, running: m.running ? { order: [] } : undefined };
      if (m.ref.kind === 'table') intent.aggregates.push({ fn: 'count', table: m.ref.table, ...shaped });
      else if (expr) intent.aggregates.push({ fn, table: exprColumns(expr)[0]!.table, expr, ...shaped });
      else if (column && (fn === 'count' || isNumeric(model.table(column.table)!.columns.find((c) => c.name === column.column)!) || fn === 'min' || fn === 'max')) intent.aggregates.push({ fn, table: column.table, column: column.column, ...shaped });
      else continue;
      aggregateIndex.set(m, intent.aggregates.length - 1);
      if (m.level) intent.notes.push(`the ${fn} ${column?.column ?? expr?.name ?? ''} over all rows of each result row's ${m.level}`.replace('  ', ' '));
      if (m.ordered) intent.order = { target: { aggregate: intent.aggregates.length - 1 }, direction: m.ordered };
    }
  }
  // Running aggregates: their partition and window order.
  for (const [m, index] of aggregateIndex) {
    if (!m.running) continue;
    const partition = mentions.find((p) => p.role === 'partition' && mentions.indexOf(p) > mentions.indexOf(m));
    const partitionColumn = partition && settle(partition);
    const order = mentions.filter((w) => w.role === 'window').flatMap((w) => settle(w) ?? []);
    intent.aggregates[index]!.running = {
      partition: partition?.ref.kind === 'table' ? { table: partition.ref.table } : partitionColumn && { column: partitionColumn },
      order,
    };
    if (partition) intent.notes.push(`running ${intent.aggregates[index]!.fn} per ${partition.ref.kind === 'table' ? partition.ref.table : partitionColumn?.column}`);
  }
  // "the average" / "the count" named again later (already pushed as outputs during the scan) keep their order.
  const havingAggregates = new Set<number>();

  for (const c of compares) {
    // "with at least 3 movies": a count compared, when a table follows the number.
    const following = mentions.find((m) => m.position > c.position && m.position <= c.position + c.words.split(' ').length + 1 && m.ref.kind === 'table');
    if (following && following.ref.kind === 'table' && following.role === 'plain' && following.ref.table !== base) {
      intent.aggregates.push({ fn: 'count', table: following.ref.table });
      following.role = 'compare';
      const index = intent.aggregates.length - 1;
      havingAggregates.add(index);
      intent.comparisons.push({ target: { aggregate: index }, op: c.op, value: c.value, upper: c.upper, words: `${c.words} ${following.ref.table}` });
      continue;
    }
    // The aggregate or column mentioned just before the comparator, else a unit after the number ("150 minutes").
    const before = c.after;
    if (before && aggregateIndex.has(before) && c.position - before.position <= 4 && !temporal(c)) {
      const index = aggregateIndex.get(before)!;
      havingAggregates.add(index);
      intent.comparisons.push({ target: { aggregate: index }, op: c.op, value: c.value, upper: c.upper, words: c.words });
      continue;
    }
    // A unit right after the number, maybe after one small word ("10 in stock", "150 minutes").
    const end = c.position + c.words.split(' ').length;
    const unitStarts = c.fillerAfter ? [end, end + 1] : [end];
    const unit = mentions.find((m) => m.ref.kind === 'column' && m.role === 'plain' && unitStarts.includes(m.start ?? m.position));
    const near = before && before.ref.kind === 'column' && c.position - before.position <= 4 && before.role === 'plain' ? before : unit;
    let column = near ? settle(near) : undefined;
    if (near) near.role = 'compare';
    if (!column && base) column = dateColumn(model, base, c.value);
    // "number of loans in 2024": the moment of the rows counted.
    for (const a of aggregateMentions) if (!column && temporal(c)) column = dateColumn(model, tableOf(a) ?? '', c.value);
    if (!column) {
      intent.unplaced.push(c.words);
      continue;
    }
    // "movies rated above 9": a number of the many related rows (a movie's reviews) is compared as their average.
    const numeric = model.table(column.table)?.columns.find((x) => x.name === column!.column);
    if (base && column.table !== base && numeric && isNumeric(numeric) && typeof c.value === 'number' && model.oneToMany(base, column.table) && !temporal(c)) {
      intent.aggregates.push({ fn: 'avg', table: column.table, column: column.column });
      const index = intent.aggregates.length - 1;
      havingAggregates.add(index);
      intent.comparisons.push({ target: { aggregate: index }, op: c.op, value: c.value, upper: c.upper, words: c.words });
      continue;
    }
    intent.comparisons.push({ target: column, op: c.op, value: c.value, upper: c.upper, words: c.words });
  }

  for (const m of mentions) {
    if (m.role === 'without' && m.ref.kind === 'table') intent.without.push(m.ref.table);
    else if (m.role === 'without') intent.without.push(tableOf(m)!);
    if (m.role === 'joined') intent.joined.push(tableOf(m)!);
    if (m.role === 'order' && m.ref.kind === 'table') {
      const column = recencyColumn(model, m.ref.table);
      if (column) {
        intent.order = { target: { column }, direction: m.direction ?? 'DESC' };
        intent.notes.push(`"${m.direction === 'ASC' ? 'oldest' : 'most recent'}" is by ${column.table}.${column.column}`);
      } else intent.unplaced.push(`${m.direction === 'ASC' ? 'oldest' : 'most recent'} ${m.ref.table} (it has no date column)`);
    } else if (m.role === 'order') {
      const column = settle(m);
      const existing = intent.aggregates.findIndex((a) => m.ref.kind === 'column' && column && a.column === column.column && a.table === column.table);
      if (column) intent.order = { target: existing >= 0 ? { aggregate: existing } : { column }, direction: m.direction ?? 'DESC' };
    }
  }

  // Grouped by the aggregates computed per result row (a running or related-level one is not).
  const grouping = intent.aggregates.filter((a) => !a.running && !a.level);
  if (groupMention && (grouping.length > 0 || intent.order)) {
    const column = settle(groupMention);
    const expr = settleExpr(groupMention);
    intent.group = groupMention.ref.kind === 'table' ? { table: groupMention.ref.table } : expr ? { expr } : column && { column };
  } else if (grouping.some((a) => a.table !== base) && base) {
    intent.group = { table: base };
  }

  // Outputs in the order they were named: plain columns, computed values and the aggregates (unless only in a HAVING).
  const named: { position: number; output: Output }[] = [];
  for (const m of mentions) {
    if (m.role === 'plain' && m.ref.kind === 'column') {
      const column = settle(m);
      if (column) named.push({ position: m.position, output: { column } });
    }
    if (m.role === 'plain' && m.ref.kind === 'expr') {
      const expr = settleExpr(m);
      if (expr?.kind === 'age') intent.notes.push(`age = whole years from ${expr.birth.table}.${expr.birth.column} to ${expr.event.table}.${expr.event.column}`);
      if (expr) named.push({ position: m.position, output: { expr } });
      else intent.unplaced.push(`${m.ref.unit ?? m.ref.name ?? 'a computed value'} (no column to compute it from)`);
    }
    if (m.role === 'aggregate' && aggregateIndex.has(m)) {
      const index = aggregateIndex.get(m)!;
      const repeated = /\b(?:with|and)\s+(?:that|the|this|its|their)\s+(?:average|count|total|sum|number|mean|minimum|maximum)\b/i.test(text);
      if (!havingAggregates.has(index) || repeated) named.push({ position: m.position, output: { aggregate: index } });
    }
  }
  intent.outputs = named.sort((a, b) => a.position - b.position).map((n) => n.output);
  if (intent.group && !('table' in intent.group)) {
    const key = intent.group;
    const same = (o: Output) => ('column' in key ? 'column' in o && o.column.table === key.column.table && o.column.column === key.column.column : 'expr' in o && o.expr.name === key.expr.name);
    if (!intent.outputs.some(same)) intent.outputs.unshift('column' in key ? { column: key.column } : { expr: key.expr });
  }
  if (intent.order && !intent.outputs.some((o) => 'aggregate' in o) && 'aggregate' in intent.order.target) intent.outputs.push(intent.order.target);
  // "rank the movies by average rating": the ranking follows the aggregate when no column was named for it.
  if (intent.rank && !intent.order && intent.aggregates.length > 0) intent.order = { target: { aggregate: 0 }, direction: 'DESC' };
  if (intent.rank && !intent.order) intent.rank = false;
  if (shape.direction && !intent.order) {
    if (intent.aggregates.length > 0) intent.order = { target: { aggregate: 0 }, direction: shape.direction.direction };
    else intent.unplaced.push(`${shape.direction.words} (by what?)`);
  }

  // "For each director their most recent movie": a group and an ordering without a rank pick rows per group,
  // unless the only other outputs are the group itself and its aggregates (then the groups are ordered).
  if (intent.group && intent.order && !intent.rank) {
    const key = intent.group;
    const picked = intent.outputs.some((o) => 'column' in o && !('table' in key && o.column.table === key.table) && !('column' in key && o.column.column === key.column.column && o.column.table === key.column.table));
    if (grouping.length === 0 || picked) {
      intent.perGroup = { n: intent.limit ?? 1, tieBreak: shape.tieBreak };
      intent.limit = undefined;
      intent.notes.push(shape.tieBreak ? 'ties broken alphabetically' : 'rows tied for the first place in a group are all kept');
    }
  }
  if (shape.tieBreak && !intent.perGroup) intent.unplaced.push('ties broken alphabetically (nothing is picked per group)');

  if (shape.pairsOf) {
    if (!through) intent.unplaced.push(`pairs of ${shape.pairsOf} (I found no table they share)`);
    else intent.pairs = { entity: shape.pairsOf, through, count: intent.aggregates.some((a) => a.fn === 'count' && a.table === through) };
  }
}

/**
 * A running aggregate's partition is the table named after it that is not what it counts ("of that
 * movie"), or the group ("per customer"); its own table named again ("up to that review") is the frame.
 */
function settleRunning(mentions: Mention[], tableOf: (m: Mention) => string | undefined): void {
  const running = mentions.find((m) => m.running && m.role === 'aggregate');
  if (!running) return;
  const counted = tableOf(running);
  const after = mentions.slice(mentions.indexOf(running) + 1);
  for (const m of after) if (m.ref.kind === 'table' && m.role === 'plain' && m.ref.table === counted) m.role = 'window';
  const partition = after.find((m) => m.ref.kind === 'table' && m.role === 'plain' && !mentions.some((w) => w.role === 'window' && w.ref.kind !== 'table' && w.position < m.position));
  const group = mentions.find((m) => m.role === 'group');
  if (partition) partition.role = 'partition';
  else if (group && (group.ref.kind !== 'table' || tableOf(group) !== counted)) group.role = 'partition';
  // The frame's table mention has no column to order by.
  for (const m of after) if (m.role === 'window' && m.ref.kind === 'table') m.role = 'compare';
}

/** The table two entities share: the one named with "same", else the one counted, else the link next to them. */
function pairedThrough(mentions: Mention[], entity: string, model: SchemaModel): string | undefined {
  const named = mentions.find((m) => m.role === 'through' && m.ref.kind === 'table') ?? mentions.find((m) => m.role === 'aggregate' && m.ref.kind === 'table' && m.ref.table !== entity);
  if (named?.ref.kind === 'table' && model.path(named.ref.table, entity)) return named.ref.table;
  return undefined;
}

function exprOf(ref: ExprMention, settle: (ref: ColumnMention) => ColumnRef | undefined, model: SchemaModel, base: string | undefined): Expr | undefined {
  const operands = ref.operands.map(settle);
  if (operands.some((o) => o === undefined)) return undefined;
  const [first, second] = operands as ColumnRef[];
  if (ref.shape === 'bucket') {
    const column = first ?? (base ? recencyColumn(model, base) : undefined);
    return column && { kind: 'bucket', unit: ref.unit ?? 'year', column, name: ref.unit ?? 'year' };
  }
  if (!first || !second) return undefined;
  if (ref.shape === 'age') return { kind: 'age', event: first, birth: second, name: ref.name ?? 'age' };
  const op = ref.op ?? '*';
  const word = { '*': 'times', '/': 'per', '-': 'minus', '+': 'plus' }[op];
  return { kind: 'arith', op, left: first, right: second, name: ref.name ?? `${first.column}_${word}_${second.column}` };
}

/** The date a table's rows are ordered by in time: its one date-like column, a typed date first. */
function recencyColumn(model: SchemaModel, table: string): ColumnRef | undefined {
  const dated = model.table(table)?.columns.filter((c) => isDateLike(c)) ?? [];
  const best = dated.find((c) => /DATE|TIME/i.test(c.type)) ?? dated.find((c) => /(?:^|_)(?:date|year)$/i.test(c.name)) ?? dated[0];
  return best && { table, column: best.name };
}

/** For a bare year or date ("after 2015"): the subject's one year/date column. */
function dateColumn(model: SchemaModel, table: string, value: number | string): ColumnRef | undefined {
  if (!YEAR.test(String(value)) && !DATE.test(String(value))) return undefined;
  const dated = model.table(table)?.columns.filter((c) => isDateLike(c)) ?? [];
  return dated.length === 1 ? { table, column: dated[0]!.name } : undefined;
}
