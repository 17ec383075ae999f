/**
 * The request parser: reads an ordinary request against a SchemaModel and produces a typed intent
 * (subject table, columns, filters, aggregates, grouping, ordering), plus the phrases it must look up
 * with the search tool and the words it could not place. Knows no table or column name in advance.
 */
import type { SchemaModel } from './schema-model.js';
import { isDateLike, isNumeric } from './schema-model.js';
import { FILLER, fold, PRONOUNS, singular, stem, variants } from './words.js';

export interface ColumnRef {
  table: string;
  column: string;
}

export type AggFn = 'count' | 'avg' | 'sum' | 'min' | 'max';

export interface Aggregate {
  fn: AggFn;
  /** The table counted, or the column's table. */
  table: string;
  column?: string;
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

export type Output = { column: ColumnRef } | { aggregate: number };

export interface Intent {
  base?: string;
  outputs: Output[];
  aggregates: Aggregate[];
  /** Group by a column, or by the rows of a table (its key and label). */
  group?: { column: ColumnRef } | { table: string };
  comparisons: Comparison[];
  values: ValuePhrase[];
  /** Tables whose rows must not exist for the result row ("with no reviews"). */
  without: string[];
  /** Tables whose rows must exist ("reviewed movies"): an inner join. */
  joined: string[];
  /** Link-table qualifier conditions matched from verbs ("directed" -> role = 'director'). */
  qualifiers: { column: ColumnRef; value: string; word: string }[];
  distinct: boolean;
  order?: { target: Output; direction: 'ASC' | 'DESC' };
  limit?: number;
  /** A possessive pronoun stood before this table ("her movies"): restrict to the entity found earlier. */
  pronounTable?: string;
  /** "rank ... by X": a RANK() column over the ordering (ties share a rank). */
  rank?: boolean;
  /** A personal pronoun (she, him, ...) refers to the entity found earlier. */
  pronoun?: boolean;
  /** Words that carried meaning this parser could not place. */
  unplaced: string[];
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
  ['bottom', 'ASC'], ['least', 'ASC'], ['cheapest', 'ASC'], ['oldest', 'ASC'], ['newest', 'DESC'], ['most recent', 'DESC'],
];

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

type Ref = { kind: 'table'; table: string } | { kind: 'column'; candidates: (ColumnRef & { score: number })[]; qualifier?: string };

interface Mention {
  ref: Ref;
  /** Where its first word is (position is its last). */
  start?: number;
  possessive?: boolean;
  role: 'plain' | 'aggregate' | 'group' | 'without' | 'joined' | 'order' | 'compare' | 'qualifier';
  position: number;
}

export function parseIntent(text: string, model: SchemaModel): Intent {
  const tokens = tokenize(text);
  const intent: Intent = { outputs: [], aggregates: [], comparisons: [], values: [], without: [], joined: [], qualifiers: [], distinct: false, unplaced: [] };
  const mentions: Mention[] = [];
  /** What the next table/column mention is for. */
  let pending: { role: Mention['role']; fn?: AggFn; op?: Op; direction?: 'ASC' | 'DESC' } | undefined;
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
      pending = { role: 'aggregate', fn };
      continue;
    }

    // Ordering: "top 3", "3 best", "highest", then "by <what>".
    const order = ORDER_WORDS.find(([phrase]) => phraseAt(tokens, i, phrase));
    if (order && !(order[0] === 'first' && numberOf(tokens[i + 1]) === undefined)) {
      flushValue(i);
      const width = order[0].split(' ').length;
      take(tokens, i, width);
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
      if (tokens[i + 1]?.low === 'rows' || tokens[i + 1]?.low === 'row' || (i > 0 && ['first', 'last'].includes(tokens[i - 1]!.low))) {
        intent.limit = count;
        take(tokens, i, 2);
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
      const counted = previous?.role === 'aggregate' && (pendingFnOf(previous) ?? 'count') === 'count';
      // The table hands its role to the column ("average review rating", "per director country"); a plainly
      // named table stays a candidate subject ("names of writers born before 1980").
      if (qualifier && previous && !previous.possessive && !counted && previous.role !== 'plain') {
        mentions.pop();
        pending = { role: previous.role, fn: pendingFnOf(previous) };
      }
      const role = pending?.role ?? 'plain';
      mentions.push({ ref: { kind: 'column', candidates, qualifier }, role, position: i + width - 1, start: i });
      if (role === 'aggregate') (mentions.at(-1) as Mention & { fn?: AggFn }).fn = pending?.fn;
      if (role === 'order') (mentions.at(-1) as Mention & { direction?: string }).direction = pending?.direction;
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
      // An ordering waits for a column ("top 5 customers by points"): a table does not take it.
      const role = participle ? 'joined' : pending?.role === 'order' ? 'plain' : (pending?.role ?? 'plain');
      mentions.push({ ref: { kind: 'table', table: tables[0]! }, role, position: i, possessive: t.possessive });
      if (role === 'aggregate') (mentions.at(-1) as Mention & { fn?: AggFn }).fn = pending?.fn;
      if (!participle && pending?.role !== 'order') pending = undefined;
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

  for (const groupTokens of valueGroups) {
    const next = mentions.find((m) => m.position >= groupTokens.end && m.position <= groupTokens.end + 1 && m.ref.kind === 'table');
    intent.values.push({ text: groupTokens.tokens.map((x) => x.raw).join(' '), tableHint: next && next.ref.kind === 'table' ? next.ref.table : undefined });
  }

  resolve(intent, mentions, compares, model, text);
  for (const fn of repeats) {
    const index = intent.aggregates.findIndex((a) => a.fn === fn);
    // Named again at the end: it goes where it was named last.
    if (index >= 0) intent.outputs = [...intent.outputs.filter((o) => !('aggregate' in o && o.aggregate === index)), { aggregate: index }];
  }
  return intent;
}

function pendingFnOf(mention: Mention): AggFn | undefined {
  return (mention as Mention & { fn?: AggFn }).fn;
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

function resolve(intent: Intent, mentions: Mention[], compares: PendingCompare[], model: SchemaModel, text: string): void {
  const tableOf = (m: Mention): string | undefined => (m.ref.kind === 'table' ? m.ref.table : (m.ref.qualifier ?? m.ref.candidates[0]?.table));
  const aggregateMentions = mentions.filter((m) => m.role === 'aggregate');
  const groupMention = mentions.find((m) => m.role === 'group');

  // The subject: the rows grouped, else the first table named plainly, else the first column's table.
  if (aggregateMentions.length > 0 && groupMention?.ref.kind === 'table') intent.base = groupMention.ref.table;
  else if (aggregateMentions.length > 0 && groupMention?.ref.kind === 'column') intent.base = tableOf(aggregateMentions[0]!);
  intent.base ??= mentions.find((m) => m.ref.kind === 'table' && (m.role === 'plain' || m.role === 'group' || m.role === 'order'))?.ref.kind === 'table' ? tableOf(mentions.find((m) => m.ref.kind === 'table' && (m.role === 'plain' || m.role === 'group' || m.role === 'order'))!) : undefined;
  intent.base ??= intent.pronounTable;
  intent.base ??= mentions.find((m) => m.role === 'plain')?.ref.kind === 'column' ? tableOf(mentions.find((m) => m.role === 'plain')!) : undefined;
  intent.base ??= aggregateMentions[0] && tableOf(aggregateMentions[0]);
  intent.base ??= mentions[0] && tableOf(mentions[0]);
  const base = intent.base;

  const settle = (m: Mention): ColumnRef | undefined => {
    if (m.ref.kind !== 'column') return undefined;
    const pick = (c: (ColumnRef & { score: number }) | undefined): ColumnRef | undefined => c && { table: c.table, column: c.column };
    if (m.ref.qualifier) return pick(m.ref.candidates.find((c) => c.table === (m.ref as { qualifier: string }).qualifier));
    if (!base) return pick(m.ref.candidates[0]);
    // The nearest table in the foreign-key graph (the subject itself first), then the closest name.
    return pick([...m.ref.candidates].sort((a, b) => model.distance(base, a.table) - model.distance(base, b.table) || b.score - a.score)[0]);
  };

  const aggregateIndex = new Map<Mention, number>();
  for (const m of mentions) {
    if (m.role === 'aggregate') {
      const fn = pendingFnOf(m) ?? 'count';
      const column = settle(m);
      if (m.ref.kind === 'table') intent.aggregates.push({ fn: 'count', table: m.ref.table });
      else if (column && (fn === 'count' || isNumeric(model.table(column.table)!.columns.find((c) => c.name === column.column)!) || fn === 'min' || fn === 'max')) intent.aggregates.push({ fn, table: column.table, column: column.column });
      else continue;
      aggregateIndex.set(m, intent.aggregates.length - 1);
    }
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

  if (groupMention && aggregateMentions.length + havingAggregates.size > 0) {
    const column = settle(groupMention);
    intent.group = groupMention.ref.kind === 'table' ? { table: groupMention.ref.table } : column && { column };
  } else if (intent.aggregates.some((a) => a.table !== base) && base) {
    intent.group = { table: base };
  }

  for (const m of mentions) {
    if (m.role === 'without' && m.ref.kind === 'table') intent.without.push(m.ref.table);
    else if (m.role === 'without') intent.without.push(tableOf(m)!);
    if (m.role === 'joined') intent.joined.push(tableOf(m)!);
    if (m.role === 'order') {
      const column = settle(m);
      const existing = intent.aggregates.findIndex((a) => m.ref.kind === 'column' && column && a.column === column.column && a.table === column.table);
      if (column) intent.order = { target: existing >= 0 ? { aggregate: existing } : { column }, direction: ((m as Mention & { direction?: 'ASC' | 'DESC' }).direction ?? 'DESC') };
    }
  }

  // Outputs in the order they were named: plain columns and the aggregates (unless only in a HAVING).
  const named: { position: number; output: Output }[] = [];
  for (const m of mentions) {
    if (m.role === 'plain' && m.ref.kind === 'column') {
      const column = settle(m);
      if (column) named.push({ position: m.position, output: { column } });
    }
    if (m.role === 'aggregate' && aggregateIndex.has(m)) {
      const index = aggregateIndex.get(m)!;
      const repeated = /\b(?:with|and)\s+(?:that|the|this|its|their)\s+(?:average|count|total|sum|number|mean|minimum|maximum)\b/i.test(text);
      if (!havingAggregates.has(index) || repeated) named.push({ position: m.position, output: { aggregate: index } });
    }
  }
  intent.outputs = named.sort((a, b) => a.position - b.position).map((n) => n.output);
  if (intent.group && 'column' in intent.group) {
    const key = intent.group.column;
    if (!intent.outputs.some((o) => 'column' in o && o.column.table === key.table && o.column.column === key.column)) intent.outputs.unshift({ column: key });
  }
  if (intent.order && !intent.outputs.some((o) => 'aggregate' in o) && 'aggregate' in intent.order.target) intent.outputs.push(intent.order.target);
  // "rank the movies by average rating": the ranking follows the aggregate when no column was named for it.
  if (intent.rank && !intent.order && intent.aggregates.length > 0) intent.order = { target: { aggregate: 0 }, direction: 'DESC' };
  if (intent.rank && !intent.order) intent.rank = false;
}

/** For a bare year or date ("after 2015"): the subject's one year/date column. */
function dateColumn(model: SchemaModel, table: string, value: number | string): ColumnRef | undefined {
  if (!YEAR.test(String(value)) && !DATE.test(String(value))) return undefined;
  const dated = model.table(table)?.columns.filter((c) => isDateLike(c)) ?? [];
  return dated.length === 1 ? { table, column: dated[0]!.name } : undefined;
}
