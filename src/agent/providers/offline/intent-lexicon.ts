/**
 * The request's words: the tokenizer, the phrase lists the scan recognises (comparators, aggregates,
 * ordering, grouping, negation), and the small readers of numbers, years and decades.
 */
import type { AggFn, Op, Token } from './intent-types.js';
import { fold } from './words.js';

export function tokenize(text: string): Token[] {
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

/**
 * Comparatives and superlatives of a measure, read as the measure's noun and an order or comparison word:
 * "heavier than 20 kg" is "weight more than 20 kg", "the 10 heaviest parcels" "the 10 highest weight
 * parcels", "parcels that weigh ..." "parcels that weight ...". The noun then names the column as usual.
 */
const MEASURES: Record<string, string[]> = {
  heavier: ['weight', 'more'], lighter: ['weight', 'less'], heaviest: ['highest', 'weight'], lightest: ['lowest', 'weight'],
  weigh: ['weight'], weighs: ['weight'], weighed: ['weight'], weighing: ['weight'],
  taller: ['height', 'more'], tallest: ['highest', 'height'], wider: ['width', 'more'], widest: ['highest', 'width'], narrower: ['width', 'less'],
  deeper: ['depth', 'more'], deepest: ['highest', 'depth'], longer: ['length', 'more'], shorter: ['length', 'less'], longest: ['highest', 'length'], shortest: ['lowest', 'length'],
  farther: ['distance', 'more'], further: ['distance', 'more'], farthest: ['highest', 'distance'], furthest: ['highest', 'distance'], nearest: ['lowest', 'distance'],
  faster: ['speed', 'more'], fastest: ['highest', 'speed'], slower: ['speed', 'less'], slowest: ['lowest', 'speed'],
};

/** The tokens with each measure word replaced by what it means (see MEASURES). */
export function expandMeasures(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => (t.used || !(t.low in MEASURES) ? [t] : MEASURES[t.low]!.map((word, k, all) => ({ raw: word, low: word, possessive: k === all.length - 1 && t.possessive, used: false }))));
}

export const COMPARATORS: [string, Op][] = [
  ['more than', '>'], ['greater than', '>'], ['higher than', '>'], ['larger than', '>'], ['bigger than', '>'], ['longer than', '>'], ['later than', '>'],
  ['older than', '>'], ['no less than', '>='], ['not less than', '>='], ['at least', '>='], ['or more', '>='], ['less than', '<'], ['fewer than', '<'],
  ['lower than', '<'], ['smaller than', '<'], ['shorter than', '<'], ['cheaper than', '<'], ['earlier than', '<'], ['no more than', '<='],
  ['not more than', '<='], ['at most', '<='], ['up to', '<='], ['above', '>'], ['over', '>'], ['exceeding', '>'], ['after', '>'], ['since', '>='],
  ['below', '<'], ['under', '<'], ['before', '<'], ['between', 'between'], ['equal to', '='], ['equals', '='], ['exactly', '='],
];

/** Whether `word` is the first word of a comparison ("above", "more" of "more than", "between"). */
export function startsComparison(word: string): boolean {
  return COMPARATORS.some(([phrase]) => phrase.split(' ')[0] === word);
}

export const AGGREGATES: [string, AggFn][] = [
  ['how many', 'count'], ['number of', 'count'], ['count of', 'count'], ['count', 'count'], ['counts', 'count'], ['average', 'avg'], ['avg', 'avg'],
  ['mean', 'avg'], ['total', 'sum'], ['sum of', 'sum'], ['sum', 'sum'], ['minimum', 'min'], ['min', 'min'], ['smallest', 'min'], ['earliest', 'min'],
  ['maximum', 'max'], ['max', 'max'], ['largest', 'max'], ['latest', 'max'],
];

export const ORDER_WORDS: [string, 'ASC' | 'DESC'][] = [
  ['top', 'DESC'], ['highest', 'DESC'], ['best', 'DESC'], ['most', 'DESC'], ['biggest', 'DESC'], ['first', 'ASC'], ['lowest', 'ASC'], ['worst', 'ASC'],
  ['bottom', 'ASC'], ['least', 'ASC'], ['fewest', 'ASC'], ['cheapest', 'ASC'], ['oldest', 'ASC'], ['newest', 'DESC'], ['most recent', 'DESC'],
];
/** Before a table ("their most recent movie"): ordered by the table's date. */
export const RECENCY: [string, 'ASC' | 'DESC'][] = [['most recent', 'DESC'], ['latest', 'DESC'], ['newest', 'DESC'], ['oldest', 'ASC'], ['earliest', 'ASC']];
/** Before a table ("the genre with the most movies"): ordered by how many. */
export const COUNTED_ORDER = new Set(['most', 'fewest', 'least']);
/** After a value ("quantity times unit price, summed"): the aggregate applies to what was just named. */
export const POST_AGGREGATES: [string, AggFn][] = [['summed', 'sum'], ['added up', 'sum'], ['totalled', 'sum'], ['totaled', 'sum'], ['averaged', 'avg']];
/** "running count ... up to and including that review": the window's frame, which a running aggregate has anyway. */
export const RUNNING_FRAME = ['up to and including', 'up to', 'so far', 'to date', 'until', 'including'];
/** Words of a pairs request that only restate what a pair is ("two names, alphabetical within the pair, each pair once"). */
export const PAIR_WORDS = new Set(['share', 'shared', 'sharing', 'together', 'once', 'alphabetical', 'alphabetically', 'within', 'two', 'both', 'same', 'each', 'other']);

export const GROUP_WORDS = ['for each', 'per', 'each', 'every', 'by'];
export const NEGATIONS = ['nobody is', 'nobody', 'no one is', 'no one', 'that have no', 'which have no', 'with no', 'without any', 'without', 'having no', 'that were never', 'were never', 'never', 'no', 'not been', 'not'];
export const DISTINCT = new Set(['distinct', 'unique', 'different']);
/** Verbs that only tie words together ("reviews they wrote", "movies they appear in"). */
export const LINKING_VERBS = new Set(['appear', 'appears', 'appeared', 'wrote', 'written', 'write', 'made', 'make', 'got', 'get', 'gets', 'received', 'receive', 'belong', 'belongs', 'contain', 'contains', 'placed', 'place', 'sorted', 'ordered', 'order', 'whose', 'where', 'which', 'than', 'like', 'named', 'called', 'released', 'rows', 'work', 'works', 'working', 'worked', 'employed', 'employs', 'handled', 'handles', 'handling', 'report', 'reports', 'reporting', 'reported']);
export const YEAR = /^(1[5-9]|2[01])\d\d$/;
export const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function phraseAt(tokens: Token[], i: number, phrase: string): boolean {
  const words = phrase.split(' ');
  return words.every((w, k) => tokens[i + k] !== undefined && !tokens[i + k]!.used && tokens[i + k]!.low === w);
}

export function take(tokens: Token[], i: number, count: number): void {
  for (let k = 0; k < count; k++) if (tokens[i + k]) tokens[i + k]!.used = true;
}

export function numberOf(token: Token | undefined): number | undefined {
  if (!token) return undefined;
  const n = Number(token.low.replace(/,/g, ''));
  if (token.low !== '' && Number.isFinite(n)) return n;
  const small: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twenty: 20 };
  return small[token.low];
}

/** "1990s", "90s" -> [1990, 1999]. */
export function decadeOf(token: Token | undefined): [number, number] | undefined {
  const m = token && /^(\d{2}|\d{4})s$/.exec(token.low);
  if (!m) return undefined;
  const start = m[1]!.length === 2 ? 1900 + Number(m[1]) : Number(m[1]);
  return [start, start + 9];
}
