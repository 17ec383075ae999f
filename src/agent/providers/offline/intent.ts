/**
 * The request parser: reads an ordinary request against a SchemaModel and produces a typed intent
 * (subject table, columns, filters, aggregates, grouping, ordering), plus the phrases it must look up
 * with the search tool and the words it could not place. Knows no table or column name in advance.
 *
 * Reading is two passes: a scan over the words (each word offered to the readers in order, the first
 * that places it wins) collects mentions, comparisons and value words; settling then decides what they
 * mean together (`intent-settle.ts`).
 */
import { FILLER, fold, singular } from './words.js';
import { AGGREGATES, expandMeasures, startsComparison, tokenize } from './intent-lexicon.js';
import type { Intent, Mention, Token } from './intent-types.js';
import { resolve } from './intent-settle.js';
import { FILTER_READERS } from './scan-filters.js';
import { current, flag } from './scan-flags.js';
import { NAME_READERS } from './scan-names.js';
import { ORDERING_READERS } from './scan-ordering.js';
import { SHAPE_READERS } from './scan-shapes.js';
import { Scan } from './scan-state.js';
import type { SchemaModel } from './schema-model.js';

// Words between a column and the value it holds: "last name is Facello".
const IS_WORDS = new Set(['is', 'was', 'equals', '=']);


/** In order: shape words before conditions before aggregation words before names; the last reader takes any word. */
const READERS = [...SHAPE_READERS, ...FILTER_READERS, ...ORDERING_READERS, current, flag, ...NAME_READERS];

/** `subject`: one of a first reading's `subjectOptions`, chosen because a value of the request was found there. */
export function parseIntent(text: string, model: SchemaModel, subject?: string): Intent {
  const tokens = expandMeasures(tokenize(text));
  const intent: Intent = { outputs: [], aggregates: [], comparisons: [], values: [], without: [], missing: [], present: [], ongoing: [], joined: [], qualifiers: [], distinct: false, unplaced: [], notes: [] };
  const s = new Scan(tokens, model, intent);
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.used) s.flushValue(i);
    else READERS.some((read) => read(s, i));
  }
  s.flushValue(tokens.length);

  if (s.age) intent.unplaced.push('age (at which moment? e.g. "age at the <date column>")');
  if (s.arithmetic) intent.unplaced.push(`${s.arithmetic.op} (no second column after it)`);

  for (const group of s.valueGroups) {
    const first = tokens.indexOf(group.tokens[0]!);
    // "its revenue (quantity times unit price, ...)": a word defined by the computed value in brackets names it.
    // The bracket right after the words, or after a short phrase already read between them ("revenue per artist (...)").
    const open = tokens.findIndex((x, at) => at >= group.end && at <= group.end + 3 && x.low === '(' && tokens.slice(group.end, at).every((y) => y.used));
    const inBrackets = (m: (typeof s.mentions)[number]) => m.start !== undefined && m.start > open && tokens.slice(open + 1, m.start).every((x) => FILLER.has(x.low));
    const defined = open >= 0 ? s.mentions.find((m) => m.ref.kind === 'expr' && inBrackets(m)) : undefined;
    if (defined && defined.ref.kind === 'expr') {
      defined.ref.name = columnName(group.tokens);
      // "the total revenue per artist (unit price times quantity ...)": the aggregate said before the defined word applies to the value.
      const said = AGGREGATES.find(([phrase]) => phrase.split(' ').every((word, k, all) => tokens[first - all.length + k]?.low === word));
      if (said && defined.role === 'plain') Object.assign(defined, { role: 'aggregate', fn: said[1] });
      // "its cost in euros (the cost in cents divided by 100)": the column before the defined words is what the brackets compute from, not another output.
      const operands = new Set(defined.ref.operands.flatMap((o) => o.candidates.map((c) => `${c.table}.${c.column}`)));
      const restated = s.mentions.findIndex((m) => m.role === 'plain' && m.ref.kind === 'column' && m.position < first && first - m.position <= 2 && m.ref.candidates.some((c) => operands.has(`${c.table}.${c.column}`)));
      if (restated >= 0) {
        // Named by all its words: "cost_in_euros".
        defined.ref.name = columnName(tokens.slice(s.mentions[restated]!.start ?? first, group.end));
        s.mentions.splice(restated, 1);
      }
      continue;
    }
    // "films rated PG", "with the title Senior Engineer", "whose last name is Facello": a column named right before a
    // value (a name: capitalised, or a number), or before "is" and the value, says where the value is; no output.
    const named = /^[\p{Lu}\p{N}]/u.test(group.tokens[0]!.raw);
    const holderBefore = named
      ? s.mentions.find((m) => m.role === 'plain' && m.ref.kind === 'column' && m.position < first && tokens.slice(m.position + 1, first).every((x) => IS_WORDS.has(x.low)))
      : undefined;
    if (holderBefore) holderBefore.role = 'compare';
    const next = s.mentions.find((m) => m.position >= group.end && m.position <= group.end + 1 && m.ref.kind === 'table');
    // "the wards in the North wing": a column named right after a value is where the value is, not an output.
    const holder = s.mentions.find((m) => m.start === group.end && m.role === 'plain' && m.ref.kind === 'column');
    if (holder?.ref.kind === 'column') holder.role = 'compare';
    const hint = next?.ref.kind === 'table' ? next.ref.table : holder?.ref.kind === 'column' ? (holder.ref.qualifier ?? holder.ref.candidates[0]?.table) : undefined;
    intent.values.push({ text: group.tokens.map((x) => x.raw).join(' '), tableHint: hint });
  }

  throughKeys(s.mentions, tokens, model);
  restatedInBrackets(s.mentions, tokens);
  resolve(intent, s.mentions, s.compares, model, text, s.shape, subject);
  if (s.orderWord && !intent.order) intent.unplaced.push(`${s.orderWord} (by what?)`);
  oneOfTheSuperlative(intent, s.mentions, tokens, s.orderWord);
  // "in March 2024" is two comparisons: not placed, it is said once.
  intent.unplaced = [...new Set(intent.unplaced)];
  for (const fn of s.repeats) {
    const index = intent.aggregates.findIndex((a) => a.fn === fn);
    // Named again at the end: it goes where it was named last.
    if (index >= 0) intent.outputs = [...intent.outputs.filter((o) => !('aggregate' in o && o.aggregate === index)), { aggregate: index }];
  }
  return intent;
}

/**
 * "the last name of their support rep": a key column named as a noun (SupportRepId) after "of" says whose
 * column the one before it is: the row that key points to (Employee.LastName), not another output.
 */
function throughKeys(mentions: Mention[], tokens: Token[], model: SchemaModel): void {
  for (let k = mentions.length - 1; k > 0; k--) {
    const [column, key] = [mentions[k - 1]!, mentions[k]!];
    if (column.ref.kind !== 'column' || key.ref.kind !== 'column' || column.role !== 'plain' || key.role !== 'plain' || key.start === undefined) continue;
    const between = tokens.slice(column.position + 1, key.start).map((t) => t.low);
    if (between[0] !== 'of' || !between.slice(1).every((w) => ['their', 'its', 'his', 'her', 'the', 'a'].includes(w))) continue;
    const best = key.ref.candidates[0];
    const fk = best && model.table(best.table)?.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === best.column);
    if (!fk || !column.ref.candidates.some((c) => c.table === fk.refTable)) continue;
    column.ref.qualifier = fk.refTable;
    mentions.splice(k, 1);
  }
}

/**
 * "the total sales per product (product name and the sum of unit price times quantity ...)": an aggregate
 * before a bracket that spells out an aggregate of the same kind is that one, in short; the bracket's wins.
 */
function restatedInBrackets(mentions: Mention[], tokens: Token[]): void {
  const column = (m: Mention) => (m.ref.kind === 'column' ? `${m.ref.candidates[0]?.table}.${m.ref.candidates[0]?.column}` : undefined);
  for (const shortly of [...mentions]) {
    // A column compared just before ("between 500 and 1500 loyalty points (name and points)") keeps its place: the comparison is on it.
    const compared = tokens.slice(Math.max(0, (shortly.start ?? shortly.position) - 5), shortly.start ?? shortly.position).some((t) => startsComparison(t.low));
    const plainColumn = shortly.role === 'plain' && column(shortly) !== undefined && !compared;
    if (shortly.role !== 'aggregate' && !plainColumn) continue;
    const open = tokens.findIndex((t, at) => at > shortly.position && at <= shortly.position + 4 && t.low === '(');
    if (open < 0 || !tokens.slice(shortly.position + 1, open).every((t) => t.used)) continue;
    const close = tokens.findIndex((t, at) => at > open && t.low === ')');
    // "each employee's salary (first name, last name and salary)": the column listed again is shown once, where the brackets put it.
    const same = (m: Mention) => (plainColumn ? m.role === 'plain' && column(m) === column(shortly) : m.role === 'aggregate' && m.fn === shortly.fn);
    const spelled = mentions.find((m) => m !== shortly && same(m) && m.position > open && (close < 0 || m.position < close));
    if (!spelled) continue;
    mentions.splice(mentions.indexOf(shortly), 1);
    // "the most employees (... number of employees)": the count spelled out is still what is ordered by.
    spelled.ordered ??= shortly.ordered;
  }
}

/** A computed value's output name from the words that name it ("cost in euros" -> cost_in_euros). */
function columnName(words: Token[]): string {
  return fold(words.map((x) => x.raw).join('_')).replace(/[^a-z0-9_]+/g, '_');
}

/**
 * "the most expensive product", "the department with the most employees", "the highest salary": a superlative
 * of one thing (the subject named in the singular after "the", no number, no groups of its own) is one row.
 */
function oneOfTheSuperlative(intent: Intent, mentions: Mention[], tokens: Token[], orderWord: string | undefined): void {
  if (!orderWord || !intent.order || intent.limit !== undefined || mentions.some((m) => m.role === 'group' || m.role === 'partition')) return;
  const single = (m: Mention) => m.position === (m.start ?? m.position);
  const subject = mentions.find((m) => single(m) && m.ref.kind === 'table' && m.ref.table === intent.base) ?? mentions.find((m) => single(m) && m.role === 'order');
  const word = subject && tokens[subject.position];
  // The words of the superlative itself ("most", "expensive") stand between "the" and the subject.
  const ordering = new Set(['most', 'least', ...orderWord.split(' ')]);
  const measured = new Set(mentions.filter((m) => m.role === 'order').flatMap((m) => Array.from({ length: m.position - (m.start ?? m.position) + 1 }, (_, k) => (m.start ?? m.position) + k)));
  const before = subject && tokens.slice(0, subject.position).filter((x, k) => !ordering.has(x.low) && !measured.has(k)).at(-1);
  if (!word || singular(word.low) !== word.low || before?.low !== 'the') return;
  intent.limit = 1;
  intent.notes.push(`one ${word.raw} only, the ${orderWord} (of several tied for it, the first)`);
}
