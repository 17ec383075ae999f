/**
 * Places each comparison the scan saw: on a count of the table named after the number ("with at least 3
 * movies"), on the aggregate or column named before it, on a unit named after it ("150 minutes"), on the
 * subject's date for a bare year, or as an average of many related rows ("movies rated above 9"), or
 * their sum when the request says so ("parcels weighing over 50 kg in total").
 */
import type { Expr } from './expressions.js';
import type { ColumnRef, Intent, Mention, PendingCompare } from './intent-types.js';
import { DATE, YEAR } from './intent-lexicon.js';
import type { SchemaModel } from './schema-model.js';
import { isDateLike, isNumeric } from './schema-model.js';
import { nameParts, singulars } from './words.js';

/** What placing a comparison needs from the settling of the other mentions. */
export interface Settled {
  model: SchemaModel;
  intent: Intent;
  mentions: Mention[];
  base: string | undefined;
  settle(m: Mention): ColumnRef | undefined;
  tableOf(m: Mention): string | undefined;
  /** The aggregate each aggregate mention became. */
  aggregateIndex: Map<Mention, number>;
  /** Aggregates only compared (a HAVING condition), not shown unless named again. */
  havingAggregates: Set<number>;
  /** The date column a time bucket ("per month") groups by, if any. */
  bucketed: ColumnRef | undefined;
}

/** "in 2024", "after 2015", "before 2024-06-30", "in the 1990s": about a moment, so never a count or an average. */
function temporal(c: PendingCompare): boolean {
  return /^(?:in|from|during|after|before|since|later|earlier)\b/i.test(c.words) || /\d{4}-\d{2}-\d{2}/.test(c.words);
}

export function placeComparisons(s: Settled, compares: PendingCompare[]): void {
  const { model, intent, mentions, base, settle, tableOf, aggregateIndex, havingAggregates } = s;
  const aggregateMentions = mentions.filter((m) => m.role === 'aggregate');
  /** Where the comparison read from the same words went ("in March 2024" is two): its twin goes there too. */
  let placed: { position: number; column: ColumnRef } | undefined;
  for (const c of compares) {
    if (placed && placed.position === c.position) {
      intent.comparisons.push({ target: placed.column, op: c.op, value: c.value, upper: c.upper, words: c.words });
      continue;
    }
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
    // "orders shipped after their required date": the column before the comparator against the one after it.
    if (c.other) {
      const column = before && before.ref.kind === 'column' && c.position - before.position <= 2 ? settle(before) : undefined;
      const other = settle({ ref: c.other, role: 'compare', position: c.position });
      if (column && other) {
        before!.role = 'compare';
        intent.comparisons.push({ target: column, op: c.op, value: 0, other, words: c.words });
      } else intent.unplaced.push(`${c.words} (compared with what?)`);
      continue;
    }
    // "admissions that lasted more than 10 days": the days from the subject's one date to its other.
    if (c.days !== undefined && typeof c.value === 'number' && !(before && before.ref.kind === 'column' && c.position - before.position <= 2)) {
      const span = base ? timeSpan(model, base) : undefined;
      if (span) {
        const days = (v: number) => Math.round(v * c.days! * 1000) / 1000;
        intent.comparisons.push({ target: { expr: span }, op: c.op, value: days(c.value), upper: c.upper === undefined ? undefined : days(c.upper), words: c.words });
        intent.notes.push(`the time span is ${span.left.column} minus ${(span.right as ColumnRef).column}, in days`);
      } else intent.unplaced.push(`${c.words} (a time span needs two dates of ${base ?? 'the rows'})`);
      continue;
    }
    // A unit right after the number, maybe after one small word ("10 in stock", "150 minutes").
    const end = c.position + c.words.split(' ').length;
    const unitStarts = c.fillerAfter ? [end, end + 1] : [end];
    const unit = mentions.find((m) => m.ref.kind === 'column' && m.role === 'plain' && unitStarts.includes(m.start ?? m.position));
    const near = before && before.ref.kind === 'column' && c.position - before.position <= 4 && before.role === 'plain' ? before : unit;
    let column = near ? settle(near) : undefined;
    if (near) near.role = 'compare';
    // "a weight over 20 kg": the unit names the compared column again (WEIGHT_KG), it asks for no output.
    if (unit && unit !== near && column && sameColumn(settle(unit), column)) unit.role = 'compare';
    if (!column && base) {
      column = dateColumn(model, base, c.value);
      // Chosen among several dates by the table's name: said, with the others.
      const others = (model.table(base)?.columns.filter((x) => isDateLike(x)) ?? []).map((x) => x.name).filter((name) => name !== column?.column);
      if (column && others.length > 0) intent.notes.push(`"${c.words}" is by ${column.table}.${column.column}, the ${base}'s own date (not ${others.join(', ')})`);
    }
    // "admissions per month in 2024": of several dates, the one the rows are bucketed by.
    if (!column && temporal(c)) column = s.bucketed;
    // "number of loans in 2024": the moment of the rows counted.
    for (const a of aggregateMentions) if (!column && temporal(c)) column = dateColumn(model, tableOf(a) ?? '', c.value);
    if (!column) {
      intent.unplaced.push(c.words);
      continue;
    }
    if (!comparable(model, column, c.value)) {
      intent.unplaced.push(`${c.words} (${column.table}.${column.column} holds neither numbers nor dates)`);
      continue;
    }
    // "movies rated above 9": a number of the many related rows (a movie's reviews) is compared as their average.
    const numeric = model.table(column.table)?.columns.find((x) => x.name === column!.column);
    if (base && column.table !== base && numeric && isNumeric(numeric) && typeof c.value === 'number' && model.oneToMany(base, column.table) && !temporal(c)) {
      intent.aggregates.push({ fn: c.total ? 'sum' : 'avg', table: column.table, column: column.column });
      const index = intent.aggregates.length - 1;
      havingAggregates.add(index);
      intent.comparisons.push({ target: { aggregate: index }, op: c.op, value: c.value, upper: c.upper, words: c.words });
      continue;
    }
    intent.comparisons.push({ target: column, op: c.op, value: c.value, upper: c.upper, words: c.words });
    if (c.unitWords !== undefined) intent.notes.push(`"${c.unitWords}" compares ${column.table}.${column.column} as stored (no unit conversion)`);
    placed = { position: c.position, column };
  }
}

/** The days from a table's first date to its second (admissionDate to dischargeDate), when it has exactly two. */
function timeSpan(model: SchemaModel, table: string): Extract<Expr, { kind: 'arith' }> | undefined {
  const dated = model.table(table)?.columns.filter((c) => isDateLike(c) && !isNumeric(c)) ?? [];
  if (dated.length !== 2) return undefined;
  const [start, end] = dated.map((c) => ({ table, column: c.name }));
  return { kind: 'arith', op: '-', left: end!, right: start!, name: 'days' };
}

function sameColumn(a: ColumnRef | undefined, b: ColumnRef): boolean {
  return a !== undefined && a.table === b.table && a.column === b.column;
}

/** For a bare year or date ("after 2015"): the subject's one year/date column. */
function dateColumn(model: SchemaModel, table: string, value: number | string): ColumnRef | undefined {
  if (!YEAR.test(String(value)) && !DATE.test(String(value))) return undefined;
  const dated = model.table(table)?.columns.filter((c) => isDateLike(c)) ?? [];
  // Of several ("orders placed in 1997": OrderDate, RequiredDate, ShippedDate), the one named after the table.
  const own = dated.length > 1 ? dated.filter((c) => nameParts(c.name).some((part) => singulars(table).includes(part) || singulars(table.replace(/^.*_/, '')).includes(part))) : dated;
  return own.length === 1 ? { table, column: own[0]!.name } : undefined;
}

/** A number compares with a number column, or (a year) with a date; a date only with a date. */
function comparable(model: SchemaModel, ref: ColumnRef, value: number | string): boolean {
  const column = model.table(ref.table)?.columns.find((x) => x.name === ref.column);
  if (!column) return false;
  if (isNumeric(column)) return typeof value === 'number';
  return isDateLike(column) && (DATE.test(String(value)) || YEAR.test(String(value)));
}
