/**
 * Readers of the words that name the schema: pronouns, columns (up to three words, qualified by a table
 * named just before), tables, participles of tables ("reviewed movies"), link-table qualifier verbs,
 * and the small words that carry nothing. Whatever is left is a value to search for.
 */
import { columnsNamed, namesOwnMeasure, qualifierFor } from './columns-named.js';
import type { ColumnMention, Mention } from './intent-types.js';
import { LINKING_VERBS, startsComparison, take } from './intent-lexicon.js';
import { isDateLike } from './schema-model.js';
import type { Reader } from './scan-state.js';
import { FILLER, fold, PRONOUNS, singular, singulars } from './words.js';

/** "the average rating of all reviews of its director's movies": the aggregate is over the director's rows. */
const level: Reader = (s, i) => {
  const { tokens, mentions, model } = s;
  if (!['its', 'their', 'his', 'her'].includes(tokens[i]!.low) || tokens[i - 1]?.low !== 'of') return false;
  const aggregate = [...mentions].reverse().find((m) => m.role === 'aggregate');
  const after = aggregate ? mentions.slice(mentions.indexOf(aggregate) + 1) : [];
  const k = tokens.findIndex((x, at) => at > i && !x.used && !FILLER.has(x.low));
  // "of its order details": two words may name the table together.
  const compound = k > 0 && tokens[k + 1] && !tokens[k + 1]!.used ? model.tableNamedBy(tokens[k]!.low, tokens[k + 1]!.low) : undefined;
  const table = compound ?? (k > 0 ? model.tablesNamed(tokens[k]!.low)[0] : undefined);
  const end = compound ? k + 1 : k;
  if (!aggregate || !table || i - aggregate.position > 8 || !after.every((m) => m.ref.kind === 'table' && m.role === 'plain')) return false;
  s.flushValue(i);
  // "the total weight of its parcels", "the sum of unit price times quantity of its order details": the table the
  // aggregated columns are in says where they are, not another level.
  const columns = aggregate.ref.kind === 'column' ? [aggregate.ref] : aggregate.ref.kind === 'expr' ? aggregate.ref.operands : [];
  if (after.length === 0 && columns.length > 0 && columns.every((c) => c.candidates.some((x) => x.table === table))) {
    for (const c of columns) c.qualifier = table;
    take(tokens, i, end - i + 1);
    return true;
  }
  mentions.splice(mentions.length - after.length, after.length);
  aggregate.level = table;
  take(tokens, i, end - i + 1);
  // "... of its director's movies": the rows of the subject's kind under that level, which the aggregate already names.
  if (tokens[k]!.possessive && tokens[k + 1] && model.tablesNamed(tokens[k + 1]!.low).length > 0) take(tokens, k + 1, 1);
  return true;
};

/** The next word from `from` that is not used and not an article. */
function wordAfter(s: Parameters<Reader>[0], from: number): string | undefined {
  return s.tokens.slice(from).find((x) => !x.used && !['the', 'a', 'an'].includes(x.low))?.low;
}

/** Whether a comparison follows ("... above 100000", "... more than 3"). */
function comparatorAt(s: Parameters<Reader>[0], from: number): boolean {
  const next = wordAfter(s, from);
  return next !== undefined && startsComparison(next);
}

/** Whether a comparison or a moment follows ("... in 2024", "... after 2020-01-01", "... between"). */
function momentAfter(s: Parameters<Reader>[0], from: number): boolean {
  const next = wordAfter(s, from);
  return next !== undefined && (startsComparison(next) || ['in', 'on', 'during', 'from'].includes(next));
}

/** A possessive pronoun before a table: the entity found earlier ("her movies"). */
const pronoun: Reader = (s, i) => {
  const t = s.tokens[i]!;
  if (!PRONOUNS.has(t.low)) return false;
  t.used = true;
  s.flushValue(i);
  const nextTable = s.tokens.slice(i + 1).find((x) => !x.used && !FILLER.has(x.low));
  const named = nextTable && s.model.tablesNamed(nextTable.low)[0];
  // Only when no table was named before it: in "each movie's title with its director" it is the movie, and in
  // "each course title with its teacher" the course (a column of another table than the one after the pronoun).
  const before = s.mentions.some((m) => m.ref.kind === 'table' || (m.ref.kind === 'column' && m.ref.candidates.every((c) => c.table !== named)));
  if (named && ['her', 'his', 'their', 'its'].includes(t.low) && !s.intent.pronounTable && !before) s.intent.pronounTable = named;
  else if (named && ['their', 'its'].includes(t.low) && before) s.relatedNext = true;
  // "the films she directed": a person named earlier, whatever table the request is about.
  else if (['she', 'he', 'her', 'him', 'his'].includes(t.low)) s.intent.pronoun = true;
  return true;
};

/** Column names (up to three words); a word that names a table rather than a column is left to `table`. */
const column: Reader = (s, i) => {
  const { tokens, model } = s;
  const t = tokens[i]!;
  for (const width of [3, 2, 1]) {
    const span = tokens.slice(i, i + width);
    if (span.length < width || span.some((x) => x.used) || (width > 1 && FILLER.has(span[0]!.low)) || (width === 1 && FILLER.has(t.low))) continue;
    if (span.slice(0, -1).some((x) => x.possessive)) continue;
    const columns = columnsNamed(model, span.map((x) => x.low));
    const best = columns[0]?.score ?? 0;
    if (width > 1 && best < 3) continue;
    const tables = width === 1 ? model.tablesNamed(t.low) : [];
    if (tables.length > 0 && best < 3) return false;
    // "cities in Canada": a plural names the rows of `city`, not its column `city` (the table's own name).
    // Unless it is the table's own measure, compared or ordered by ("salaries above 100000", "the 5 highest salaries").
    const ownMeasure = width === 1 && (s.pending?.role === 'order' || comparatorAt(s, i + 1)) && namesOwnMeasure(model, t.low);
    if (tables.length > 0 && singular(t.low) !== t.low && columns.every((c) => c.score < 3 || singulars(c.ref.table).includes(fold(c.ref.column))) && !ownMeasure) return false;
    // "the Stroke Unit": a capitalised word inside a capitalised value is part of it, unless it names a column outright.
    if (best < 3 && /^\p{Lu}/u.test(t.raw) && s.continuesValue(i) && /^\p{Lu}/u.test(s.tokens[i - 1]!.raw)) return false;
    if (columns.length === 0) continue;
    s.flushValue(i);
    const candidates = columns.map((c) => ({ ...c.ref, score: c.score }));
    const previous = s.lastMention();
    // "cost in cents", "weight in kg": the same column named again after a small word is one mention.
    const again = previous?.ref.kind === 'column' && previous.role === 'plain' && !s.arithmetic && previous.position < i && tokens.slice(previous.position + 1, i).every((x) => x.low === 'in');
    if (again && previous.ref.kind === 'column' && i - previous.position === 2 && previous.ref.candidates[0]?.table === candidates[0]?.table && previous.ref.candidates[0]?.column === candidates[0]?.column) {
      take(tokens, i - 1, width + 1);
      previous.position = i + width - 1;
      return true;
    }
    // "director's name", "review rating": a table mentioned just before qualifies the column.
    const qualifier =
      previous && previous.ref.kind === 'table' && previous.position === i - 1 && candidates.some((c) => c.table === (previous.ref as { table: string }).table) ? previous.ref.table : undefined;
    // A counted table is complete ("number of orders placed in 2024"); "average review rating" is not.
    const counted = previous?.role === 'aggregate' && (previous.fn ?? 'count') === 'count';
    // The table hands its role to the column ("average review rating", "per director country"); a plainly
    // named table stays a candidate subject ("names of writers born before 1980").
    if (qualifier && previous && !previous.possessive && !counted && previous.role !== 'plain') {
      s.mentions.pop();
      s.pending = { role: previous.role, fn: previous.fn, running: previous.running, ordered: previous.ordered };
    }
    // "patients who were prescribed warfarin", "riders who were refunded": the participle of a date column, with no
    // moment after it, says the event happened (the date is set), it asks for no column.
    const happened = width === 1 && best < 3 && /ed$/.test(t.low) && s.pending?.role !== 'without' && !s.arithmetic && !s.age && !momentAfter(s, i + 1);
    const dated = happened ? candidates.filter((c) => isDateLike(model.table(c.table)!.columns.find((x) => x.name === c.column)!)) : [];
    const ref: ColumnMention = { kind: 'column', candidates: dated.length > 0 ? dated : candidates, qualifier };
    const mention: Mention = { ref, role: dated.length > 0 ? 'present' : (s.pending?.role ?? 'plain'), position: i + width - 1, start: i, fn: s.pending?.fn, direction: s.pending?.direction, running: s.pending?.running };
    if (s.arithmetic) {
      // "quantity times unit price": one value, with the role the left operand had.
      const { op, left: operand } = s.arithmetic;
      Object.assign(mention, { ref: { kind: 'expr', shape: 'arith', op, operands: [operand.ref as ColumnMention, ref] }, role: operand.role, fn: operand.fn, start: operand.start });
      s.arithmetic = undefined;
    } else if (s.age && i - s.age.position <= 4) {
      // "age in the release year": this column is the moment; the birth column is found by name.
      const birth: ColumnMention = { kind: 'column', candidates: columnsNamed(model, ['born']).map((c) => ({ ...c.ref, score: c.score })), qualifier: s.age.qualifier };
      if (birth.qualifier && !birth.candidates.some((c) => c.table === birth.qualifier)) birth.qualifier = undefined;
      Object.assign(mention, { ref: { kind: 'expr', shape: 'age', operands: [ref, birth], name: 'age' }, role: s.age.role, fn: s.age.fn, start: s.age.position });
      s.age = undefined;
    }
    s.mentions.push(mention);
    // "the 5 highest salaries": the measure ordered by is also what is asked for.
    if (ownMeasure && mention.role === 'order') s.mentions.push({ ...mention, role: 'plain' });
    s.pending = undefined;
    take(tokens, i, width);
    return true;
  }
  return false;
};

/** "invoice lines", "order items": two words naming one table together. */
const compoundTable: Reader = (s, i) => {
  const [t, next] = [s.tokens[i]!, s.tokens[i + 1]];
  const named = next && !next.used && !FILLER.has(t.low) ? s.model.tableNamedBy(t.low, next.low) : undefined;
  if (!named) return false;
  s.flushValue(i);
  const { pending } = s;
  s.mentions.push({ ref: { kind: 'table', table: named }, role: pending?.role ?? 'plain', position: i + 1, start: i, possessive: next!.possessive, fn: pending?.fn, direction: pending?.direction, running: pending?.running, ordered: pending?.ordered, all: pending?.all });
  s.pending = undefined;
  take(s.tokens, i, 2);
  return true;
};

const table: Reader = (s, i) => {
  const t = s.tokens[i]!;
  const tables = s.model.tablesNamed(t.low);
  if (tables.length === 0) return false;
  s.flushValue(i);
  const { pending } = s;
  // "reviewed movies": a past participle of a table name means "that have some".
  const participle = /ed$/.test(t.low) && s.model.tablesNamed(t.low.replace(/ed$/, '')).length > 0 && !s.model.tablesNamed(t.low.replace(/d$/, '')).length;
  // An ordering waits for a column ("top 5 customers by points"): a table does not take it, unless it is
  // ordered by its date ("their most recent movie"). A running window's "by <table>" is its partition.
  const waits = pending?.role === 'order' && !pending.recency;
  const role = participle ? 'joined' : waits ? 'plain' : pending?.role === 'window' ? 'partition' : (pending?.role ?? 'plain');
  s.mentions.push({ ref: { kind: 'table', table: tables[0]! }, role, position: i, possessive: t.possessive, fn: pending?.fn, direction: pending?.direction, running: pending?.running, ordered: pending?.ordered, all: pending?.all, related: s.relatedNext || undefined });
  s.relatedNext = false;
  if (!participle && !waits) s.pending = undefined;
  t.used = true;
  return true;
};

/** "never ordered": the participle of a table's name, meaning such rows exist (or, negated, do not). */
const participleTable: Reader = (s, i) => {
  const t = s.tokens[i]!;
  const named = /ed$/.test(t.low) ? (s.model.tablesNamed(t.low.replace(/ed$/, '')).concat(s.model.tablesNamed(t.low.replace(/d$/, '')))[0] ?? s.model.tableOfParticiple(t.low)) : undefined;
  if (!named) return false;
  s.flushValue(i);
  s.mentions.push({ ref: { kind: 'table', table: named }, role: s.pending?.role === 'without' ? 'without' : 'joined', position: i });
  if (s.pending?.role === 'without') s.pending = undefined;
  t.used = true;
  return true;
};

/** A verb matching a link table's qualifier value ("directed" -> 'director'). */
const qualifierVerb: Reader = (s, i) => {
  const t = s.tokens[i]!;
  const qualifier = qualifierFor(s.model, t.low);
  if (!qualifier) return false;
  // A noun naming the value ("nurses") qualifies a link only as a role ("was the surgeon", "as nurse"); elsewhere it
  // may be a value of the subject's own column ("all nurses" -> job_title), which the search decides.
  const role = s.tokens[i - 1]?.low === 'as' || (['the', 'a', 'an'].includes(s.tokens[i - 1]?.low ?? '') && ['was', 'is', 'were', 'are', 'as'].includes(s.tokens[i - 2]?.low ?? ''));
  if (singulars(t.low).includes(fold(qualifier.value)) && !role) return false;
  s.flushValue(i);
  s.intent.qualifiers.push({ ...qualifier, word: t.raw });
  t.used = true;
  return true;
};

const filler: Reader = (s, i) => {
  const t = s.tokens[i]!;
  if (!FILLER.has(t.low) && !LINKING_VERBS.has(t.low) && t.low !== 'by' && t.low !== 'not') return false;
  // "bikes rated A", "grade A students": a capital A inside the sentence is a value, not the article.
  if (t.raw === 'A' && i > 0) return false;
  t.used = true;
  s.flushValue(i);
  return true;
};

/** The last reader: a word nothing else placed is part of a value to search for. */
const valueWord: Reader = (s, i) => {
  const t = s.tokens[i]!;
  t.used = true;
  s.addValueWord(t);
  if (t.possessive) s.flushValue(i + 1);
  return true;
};

export const NAME_READERS: Reader[] = [level, pronoun, compoundTable, column, table, participleTable, qualifierVerb, filler, valueWord];
