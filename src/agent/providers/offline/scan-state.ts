/**
 * What the scan of a request carries from word to word: the mentions found so far, what the next
 * mention is for, and the comparisons and value words waiting to be placed once the scan is over.
 */
import type { ArithOp } from './expressions.js';
import type { AggFn, Intent, Mention, Op, PendingCompare, ShapeWords, Token } from './intent-types.js';
import { columnsNamed } from './columns-named.js';
import { phraseAt, take } from './intent-lexicon.js';
import { isDateLike, type SchemaModel } from './schema-model.js';
import { FILLER, singular } from './words.js';

const DAYS_PER: Record<string, number> = { day: 1, week: 7, hour: 1 / 24 };
const UNITS = new Set(['minute', 'min', 'second', 'sec', 'month', 'year', 'kg', 'kilogram', 'kilo', 'g', 'gram', 'km', 'kilometre', 'kilometer', 'metre', 'meter', 'm', 'cm', 'mile', 'euro', 'eur', 'dollar', 'usd', 'pound', 'gbp', 'percent', 'page', 'unit', 'item']);
const SPAN_VERBS = new Set(['lasted', 'lasting', 'lasts', 'took', 'taking', 'takes', 'stayed', 'staying', 'spanned', 'spanning', 'ran', 'running']);

/** What the next table/column mention is for. */
export interface Pending {
  role: Mention['role'];
  fn?: AggFn;
  op?: Op;
  direction?: 'ASC' | 'DESC';
  running?: boolean;
  ordered?: 'ASC' | 'DESC';
  recency?: boolean;
  all?: boolean;
}

export class Scan {
  readonly mentions: Mention[] = [];
  readonly compares: PendingCompare[] = [];
  readonly shape: ShapeWords = {};
  pending: Pending | undefined;
  /** "running count": the next aggregate is a running one. */
  runningNext = false;
  /** "each course title with its teacher": the next table is a row related to the one named before, never the subject. */
  relatedNext = false;
  /** "quantity times": the left operand waits for the right one. */
  arithmetic: { op: ArithOp; left: Mention } | undefined;
  /** "the director's age": waits for the moment ("in the release year", "at release"). */
  age: { position: number; qualifier?: string; role: Mention['role']; fn?: AggFn } | undefined;
  /** "top", "highest": the direction a later "by <what>" orders in. */
  orderPending: 'ASC' | 'DESC' | undefined;
  /** The ordering word seen ("highest"): when nothing turns out to be ordered, it was not understood. */
  orderWord: string | undefined;
  readonly seenFns: AggFn[] = [];
  /** An aggregate named again without its argument ("... director name and count"): an output. */
  readonly repeats: AggFn[] = [];
  /** Runs of words that named nothing in the schema (values to search for), each with where it ended. */
  readonly valueGroups: { tokens: Token[]; end: number }[] = [];
  private valueWords: Token[] = [];

  constructor(
    readonly tokens: Token[],
    readonly model: SchemaModel,
    readonly intent: Intent,
  ) {}

  /** Ends the current run of value words: whatever comes next is not part of the same value. */
  flushValue(end: number): void {
    if (this.valueWords.length > 0) this.valueGroups.push({ tokens: this.valueWords, end });
    this.valueWords = [];
  }

  /** The first of `phrases` whose words start at token `i`, taken (and ending any value run), if one does. */
  takePhrase(i: number, phrases: readonly string[]): string | undefined {
    const found = phrases.find((phrase) => phraseAt(this.tokens, i, phrase));
    if (found === undefined) return undefined;
    this.flushValue(i);
    take(this.tokens, i, found.split(' ').length);
    return found;
  }

  /** Whether token `i` would continue the run of value words ("Stroke" then "Unit"). */
  continuesValue(i: number): boolean {
    return this.valueWords.length > 0 && this.valueWords.at(-1) === this.tokens[i - 1];
  }

  addValueWord(token: Token): void {
    this.valueWords.push(token);
  }

  lastMention(): Mention | undefined {
    return this.mentions.at(-1);
  }

  pushCompare(c: PendingCompare): void {
    const end = c.position + c.words.split(' ').length;
    const next = this.tokens[end];
    // "over 50 kg in total", "over 50 altogether": right after the number or its unit.
    const total = [end, end + 1].find((at) => phraseAt(this.tokens, at, 'in total') || ['altogether', 'combined'].some((word) => phraseAt(this.tokens, at, word)));
    if (total !== undefined) take(this.tokens, total, this.tokens[total]!.low === 'in' ? 2 : 1);
    // "more than 10 days", where no column is named by the unit (a `runtime_minutes` is): a time span, in days.
    const unnamed = next !== undefined && !next.used && columnsNamed(this.model, [next.low]).length === 0;
    const unit = unnamed ? DAYS_PER[singular(next.low)] : undefined;
    // "longer than 100 minutes": any other unit that names no column is read as the column's own, and said so.
    const said = unnamed && (unit !== undefined || UNITS.has(singular(next.low))) ? `${c.words} ${next.raw}` : undefined;
    if (said !== undefined && unit === undefined) take(this.tokens, end, 1);
    if (unit !== undefined) {
      take(this.tokens, end, 1);
      // "lasted more than 10 days": the verb says what the span is, which the span itself reads.
      const verb = this.tokens[c.position - 1];
      const group = this.valueGroups.at(-1);
      if (verb && SPAN_VERBS.has(verb.low) && group?.end === c.position && group.tokens.at(-1) === verb) {
        group.tokens.pop();
        if (group.tokens.length === 0) this.valueGroups.pop();
      } else if (verb && !verb.used && SPAN_VERBS.has(verb.low)) verb.used = true;
    }
    this.compares.push({ ...c, fillerAfter: next !== undefined && FILLER.has(next.low), total: total !== undefined, days: unit, unitWords: said });
  }
}

/** Reads the phrase starting at token `i` if it is of its kind (marking its tokens used); false leaves it to the next reader. */
export type Reader = (s: Scan, i: number) => boolean;

/** The words (one or two, from `from`) naming a date-like column at least this well, if they do. */
export function namesDate(s: Scan, from: number, minScore = 1): string | undefined {
  const start = s.tokens.findIndex((x, at) => at >= from && !x.used && !FILLER.has(x.low));
  if (start < 0) return undefined;
  for (const width of [2, 1]) {
    const words = s.tokens.slice(start, start + width);
    if (words.length < width || words.some((x) => x.used)) continue;
    const dated = columnsNamed(s.model, words.map((x) => x.low)).some((c) => c.score >= minScore && isDateLike(s.model.table(c.ref.table)!.columns.find((x) => x.name === c.ref.column)!));
    if (dated) return words.map((x) => x.raw).join(' ');
  }
  return undefined;
}
