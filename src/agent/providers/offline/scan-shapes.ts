/**
 * Readers of the request's shape words: ties, pairs, running aggregates and their window, ages,
 * arithmetic between columns, aggregates named after their value, time buckets and recency.
 */
import { ARITHMETIC, BUCKETS, type Bucket } from './expressions.js';
import { columnsNamed } from './columns-named.js';
import { AGGREGATES, GROUP_WORDS, LINKING_VERBS, numberOf, PAIR_WORDS, phraseAt, POST_AGGREGATES, RECENCY, RUNNING_FRAME, take } from './intent-lexicon.js';
import { namesDate, type Reader } from './scan-state.js';
import { FILLER, singular } from './words.js';

/** "ties broken alphabetically": which row a group keeps when several share the best value. */
const ties: Reader = (s, i) => {
  const t = s.tokens[i]!;
  if (t.low !== 'ties' && t.low !== 'tie') return false;
  const end = s.tokens.slice(i, i + 4).findIndex((x) => /^alphabetical(?:ly)?$/.test(x.low));
  if (end <= 0) return false;
  s.flushValue(i);
  take(s.tokens, i, end + 1);
  s.shape.tieBreak = 'alphabetical';
  return true;
};

/** "pairs of actors who appeared in the same movie". */
const pairs: Reader = (s, i) => {
  const { tokens, shape } = s;
  const t = tokens[i]!;
  if ((t.low === 'pair' || t.low === 'pairs') && !shape.pairsOf && tokens[i + 1]?.low === 'of') {
    const entity = s.model.tablesNamed(tokens[i + 2]?.low ?? '')[0];
    if (entity) {
      s.flushValue(i);
      take(tokens, i, 3);
      shape.pairsOf = entity;
      s.pending = undefined;
      return true;
    }
  }
  // "who ran in the same race": the verb before "the same" only says how they share it.
  const sharedVerb = shape.pairsOf && !PAIR_WORDS.has(t.low) && tokens.slice(i + 1, i + 3).some((x, k) => x.low === 'same' && (k === 0 || ['in', 'on', 'at', 'for', 'with'].includes(tokens[i + 1]!.low)));
  if (!shape.pairsOf || !(t.low === 'pair' || t.low === 'pairs' || PAIR_WORDS.has(t.low) || sharedVerb)) return false;
  s.flushValue(i);
  t.used = true;
  if (t.low === 'same') s.pending = { role: 'through' };
  return true;
};

/** "running count of reviews ... (by date, then review id)". */
const running: Reader = (s, i) => {
  const { tokens } = s;
  const t = tokens[i]!;
  if ((t.low === 'running' || t.low === 'cumulative') && AGGREGATES.some(([phrase]) => phraseAt(tokens, i + 1, phrase))) {
    s.flushValue(i);
    t.used = true;
    s.runningNext = true;
    return true;
  }
  if (!s.mentions.some((m) => m.running)) return false;
  if (s.takePhrase(i, RUNNING_FRAME)) return true;
  const by = ['ordered by', 'sorted by', 'in order of', 'by'].find((phrase) => phraseAt(tokens, i, phrase));
  if (!by && !(t.low === 'then' && s.lastMention()?.role === 'window')) return false;
  s.flushValue(i);
  take(tokens, i, by ? by.split(' ').length : 1);
  s.pending = { role: 'window' };
  return true;
};

/** "the director's age in the release year": an age needs a birth column and a moment. */
const age: Reader = (s, i) => {
  const t = s.tokens[i]!;
  if (t.low !== 'age' && t.low !== 'ages') return false;
  s.flushValue(i);
  t.used = true;
  const previous = s.lastMention();
  const qualifier = previous?.ref.kind === 'table' && previous.position === i - 1 ? previous.ref.table : undefined;
  s.age = { position: i, qualifier, role: s.pending?.role ?? 'plain', fn: s.pending?.fn };
  s.pending = undefined;
  return true;
};

/** "quantity times unit price": the column just named is the left operand. */
const arithmetic: Reader = (s, i) => {
  const operator = ARITHMETIC.find(([phrase]) => phraseAt(s.tokens, i, phrase));
  const left = s.lastMention();
  if (!operator || !left || left.ref.kind !== 'column' || left.position !== i - 1) return false;
  s.flushValue(i);
  const width = operator[0].split(' ').length;
  take(s.tokens, i, width);
  s.mentions.pop();
  // "... divided by 100": a number is the right operand; a zero divisor is left unplaced, never computed.
  const constant = numberOf(s.tokens[i + width]);
  if (constant !== undefined && !(operator[1] === '/' && constant === 0)) {
    take(s.tokens, i + width, 1);
    s.mentions.push({ ...left, ref: { kind: 'expr', shape: 'arith', op: operator[1], operands: [left.ref], constant }, position: i + width });
    return true;
  }
  s.arithmetic = { op: operator[1], left };
  return true;
};

/** "quantity times unit price, summed": the aggregate applies to what was just named. */
const postAggregate: Reader = (s, i) => {
  const { tokens } = s;
  const post = POST_AGGREGATES.find(([phrase]) => phraseAt(tokens, i, phrase));
  const left = s.lastMention();
  if (!post || !left || left.ref.kind === 'table' || left.role !== 'plain' || i - left.position > 2) return false;
  s.flushValue(i);
  take(tokens, i, post[0].split(' ').length);
  left.role = 'aggregate';
  left.fn = post[1];
  s.seenFns.push(post[1]);
  // "summed over order items": the rows summed, which the joins already are.
  if (tokens[i + 1]?.low === 'over' || tokens[i + 1]?.low === 'across') {
    for (let k = i + 1; k < tokens.length && !tokens[k]!.used; k++) {
      const word = tokens[k]!;
      if (k > i + 1 && !FILLER.has(word.low) && !LINKING_VERBS.has(word.low) && s.model.tablesNamed(word.low).length === 0) break;
      word.used = true;
    }
  }
  return true;
};

/** "per release decade", "per month": a time bucket of the column just named, or of the subject's date. */
const bucket: Reader = (s, i) => {
  const t = s.tokens[i]!;
  if (!BUCKETS.has(singular(t.low)) || (singular(t.low) === 'year' && columnsNamed(s.model, ['year']).length > 0)) return false;
  s.flushValue(i);
  t.used = true;
  const unit = singular(t.low) as Bucket;
  const left = s.lastMention();
  // "employees hired per year": the event named just before the grouping word is the date bucketed (not a filter on it).
  const event = left?.role === 'present' && left.ref.kind === 'column' && s.tokens.slice(left.position + 1, i).every((t) => GROUP_WORDS.includes(t.low));
  if (left && left.ref.kind === 'column' && (left.position === i - 1 || event)) {
    left.ref = { kind: 'expr', shape: 'bucket', unit, operands: [left.ref] };
    left.position = i;
    if (event) {
      left.role = s.pending?.role ?? 'plain';
      s.pending = undefined;
    }
  } else {
    s.mentions.push({ ref: { kind: 'expr', shape: 'bucket', unit, operands: [] }, role: s.pending?.role ?? 'plain', position: i, start: i });
    s.pending = undefined;
  }
  return true;
};

/** "their most recent movie": a table ordered by its date. */
const recency: Reader = (s, i) => {
  const recent = RECENCY.find(([phrase]) => phraseAt(s.tokens, i, phrase));
  if (!recent) return false;
  const width = recent[0].split(' ').length;
  // "its most recent admission date": the latest of that date.
  if (namesDate(s, i + width, 3)) {
    const fn = recent[1] === 'DESC' ? 'max' : 'min';
    s.flushValue(i);
    take(s.tokens, i, width);
    s.seenFns.push(fn);
    s.pending = { role: 'aggregate', fn };
    return true;
  }
  const next = s.tokens.slice(i + width).find((x) => !x.used && !FILLER.has(x.low));
  if (!next || s.model.tablesNamed(next.low).length === 0 || (columnsNamed(s.model, [next.low])[0]?.score ?? 0) >= 3) return false;
  s.flushValue(i);
  take(s.tokens, i, width);
  s.pending = { role: 'order', direction: recent[1], recency: true };
  return true;
};

export const SHAPE_READERS: Reader[] = [ties, pairs, running, age, arithmetic, postAggregate, bucket, recency];
