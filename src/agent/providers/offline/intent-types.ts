/**
 * The offline planner's intent: what a request was read as (subject table, columns, filters, aggregates,
 * grouping, ordering), and the mentions the reading passes between its scan and its settling.
 */
import type { ArithOp, Bucket, ColumnRef, Expr } from './expressions.js';

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
  /** A column, an aggregate (by index into `aggregates`: then it is a HAVING condition), or a computed value ("lasted more than 10 days"). */
  target: ColumnRef | { aggregate: number } | { expr: Expr };
  op: Op;
  value: number | string;
  upper?: number;
  /** "shipped after their required date": compared with another column of the row, not with `value`. */
  other?: ColumnRef;
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
  /**
   * Group by a column, by a computed value (a decade), or by the rows of a table (its key and label).
   * `all`: every row of the table is a group, also one with no related rows to aggregate.
   */
  group?: { column: ColumnRef } | { table: string; all?: boolean } | { expr: Expr };
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
  /** Columns that must be empty ("with no recorded blood type", "not discharged yet"): IS NULL. */
  missing: ColumnRef[];
  /** Columns that must be set ("riders who were refunded", "patients prescribed warfarin"): IS NOT NULL. */
  present: ColumnRef[];
  /** Columns ending a row's period that must not have passed ("current salary", `to_date`): empty or after today. */
  ongoing: ColumnRef[];
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
  /** Tables that could each be the subject (no table named, the first column is in each): a value found in one decides. */
  subjectOptions?: string[];
  /** Words that carried meaning this parser could not place. */
  unplaced: string[];
  /** What the request's shape words were read as, for the reply ("ties: all kept"). */
  notes: string[];
}

/** One word of the request; `used` once some part of the reading has placed it. */
export interface Token {
  raw: string;
  low: string;
  possessive: boolean;
  used: boolean;
}

export type ColumnMention = { kind: 'column'; candidates: (ColumnRef & { score: number })[]; qualifier?: string };
/** A computed value; a bucket without operands is over the subject's date. */
export type ExprMention = { kind: 'expr'; shape: Expr['kind']; op?: ArithOp; unit?: Bucket; operands: ColumnMention[]; name?: string; constant?: number };
export type Ref = { kind: 'table'; table: string } | ColumnMention | ExprMention;

export interface Mention {
  ref: Ref;
  /** Where its first word is (position is its last). */
  start?: number;
  possessive?: boolean;
  /** A table after "its"/"their" that refers back to a row named before ("each course title with its teacher"). */
  related?: boolean;
  role: 'plain' | 'aggregate' | 'group' | 'without' | 'present' | 'joined' | 'order' | 'compare' | 'qualifier' | 'window' | 'partition' | 'through';
  position: number;
  fn?: AggFn;
  direction?: 'ASC' | 'DESC';
  /** A running aggregate ("running count of ..."). */
  running?: boolean;
  /** An aggregate over a related table's rows ("... of its director's movies"). */
  level?: string;
  /** "the most movies": a count that orders the result. */
  ordered?: 'ASC' | 'DESC';
  /** A group named with "every": all of its rows, also those with nothing to aggregate. */
  all?: boolean;
}

/** Shape words seen in the request, settled once every mention is known. */
export interface ShapeWords {
  tieBreak?: 'alphabetical';
  /** "most first": the order of the only aggregate, when nothing else is ordered. */
  direction?: { direction: 'ASC' | 'DESC'; words: string };
  pairsOf?: string;
  /** "per"/"by" group rows; "each"/"every" may only say "for every one" ("each employee's salary"). */
  groupsBy?: boolean;
}

/** A comparison seen in the scan, placed on a column or an aggregate once every mention is known. */
export interface PendingCompare {
  op: Op;
  value: number | string;
  upper?: number;
  words: string;
  position: number;
  /** The mention just before the comparator. */
  after?: Mention;
  /** The word after it is a small word ("in"), so a unit may come one word later. */
  fillerAfter?: boolean;
  /** "... over 50 kg in total": many related rows are compared by their sum, not their average. */
  total?: boolean;
  /** "lasted more than 10 days": a time unit after the number that names no column, as days (a week is 7). */
  days?: number;
  /** "more than 100 minutes": the comparison with a unit that names no column, said in the reply when compared as stored. */
  unitWords?: string;
  /** "after their required date": the column compared with, instead of a number or date. */
  other?: ColumnMention;
}
