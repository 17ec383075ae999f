/**
 * Builds one SELECT from an intent and the schema: joins along the shortest foreign-key paths from the
 * subject table, WHERE / GROUP BY / HAVING / ORDER BY / LIMIT, identifiers quoted per source family.
 */
import type { JsonValue } from '../../../connectors/discovery.js';
import { exprColumns, exprSql, type ColumnLookup, type Expr } from './expressions.js';
import type { Aggregate, ColumnRef, Intent } from './intent-types.js';
import { isFlag, isNumeric, type Hop, type SchemaModel } from './schema-model.js';
import { quoteIdent, sqlLiteral } from './text.js';

/** Equality conditions found by search ("genre = 'Drama'") and the entity a pronoun refers to. */
export interface Equality {
  column: ColumnRef;
  value: JsonValue;
}

export interface BuildInput {
  intent: Intent;
  equalities: Equality[];
  family: string;
  /** The request's words (folded): they choose between two keys to one table ("leaving from" -> the origin key). */
  words?: ReadonlySet<string>;
}

export class SqlBuildError extends Error {}

const jan1 = (year: number) => `'${String(year).padStart(4, '0')}-01-01'`;

/** `placed_on` in 2024 -> `placed_on >= '2024-01-01' AND placed_on < '2025-01-01'`, and so on per operator. */
function yearRange(expr: string, op: string, year: number, upper?: number): string {
  switch (op) {
    case '=':
      return `${expr} >= ${jan1(year)} AND ${expr} < ${jan1(year + 1)}`;
    case 'between':
      return `${expr} >= ${jan1(year)} AND ${expr} < ${jan1((upper ?? year) + 1)}`;
    case '>':
      return `${expr} >= ${jan1(year + 1)}`;
    case '>=':
      return `${expr} >= ${jan1(year)}`;
    case '<':
      return `${expr} < ${jan1(year)}`;
    default:
      return `${expr} < ${jan1(year + 1)}`;
  }
}

/** Table aliases along foreign-key paths from one starting table: `t0`, `t1`, ... (or another prefix). */
class JoinScope {
  readonly aliases: Map<string, string>;
  readonly joins: string[] = [];

  constructor(
    private readonly model: SchemaModel,
    private readonly start: string,
    private readonly q: (name: string) => string,
    private readonly words: ReadonlySet<string>,
    private readonly through: ReadonlySet<string> = new Set(),
    private readonly prefix = 't',
  ) {
    this.aliases = new Map([[start, `${prefix}0`]]);
  }

  join(table: string, left: boolean): string {
    const known = this.aliases.get(table);
    if (known) return known;
    const route = this.model.route(this.start, table, this.words, this.through);
    if (!route) throw new SqlBuildError(`no foreign-key path links ${this.start} to ${table}`);
    if (route.unsure) {
      const [holder, target] = route.unsure[0]!.many ? [route.unsure[0]!.to, route.unsure[0]!.from] : [route.unsure[0]!.from, route.unsure[0]!.to];
      const columns = this.model.table(holder)?.columns.map((c) => c.name) ?? [];
      const keys = route.unsure.map((h) => (h.many ? h.toColumns : h.fromColumns).join('+')).sort((a, b) => columns.indexOf(a.split('+')[0]!) - columns.indexOf(b.split('+')[0]!));
      throw new SqlBuildError(`${holder} refers to ${target} in ${keys.length} ways (${keys.join(', ')}) and the request does not say which one: name it (e.g. "${keys[0]!.toLowerCase()}")`);
    }
    for (const hop of route.chain) this.addHop(hop, left);
    return this.aliases.get(table)!;
  }

  private addHop(hop: Hop, left: boolean): void {
    if (this.aliases.has(hop.to)) return;
    const alias = `${this.prefix}${this.aliases.size}`;
    const from = this.aliases.get(hop.from)!;
    this.aliases.set(hop.to, alias);
    const on = hop.fromColumns.map((c, i) => `${alias}.${this.q(hop.toColumns[i]!)} = ${from}.${this.q(c)}`).join(' AND ');
    this.joins.push(`${left ? 'LEFT JOIN' : 'JOIN'} ${this.q(hop.to)} ${alias} ON ${on}`);
  }
}

/** One SELECT and the names of its result columns (for a query that wraps it). */
interface Select {
  sql: string;
  names: string[];
}

export function buildSql(model: SchemaModel, input: BuildInput): string {
  if (input.intent.pairs) return pairsSql(model, input, input.intent.pairs);
  return onceEach(model, input) ?? wholeRowsOfGroups(model, input) ?? buildSelect(model, input).sql;
}

/**
 * "carriers with more than 20 shipments": the subject's rows, as "carriers" alone would give them, kept when
 * their related rows pass the condition; the count only filters. Its key IN the keys that pass the HAVING.
 */
function wholeRowsOfGroups(model: SchemaModel, input: BuildInput): string | undefined {
  const { intent, family } = input;
  const base = intent.base;
  const key = base ? model.table(base)?.primaryKey : undefined;
  if (!base || key?.length !== 1 || intent.outputs.length > 0 || intent.aggregates.length === 0 || intent.order || intent.limit !== undefined || intent.perGroup || intent.rank || intent.distinct) return undefined;
  if (intent.group && !('table' in intent.group && intent.group.table === base)) return undefined;
  if (!intent.aggregates.every((_, index) => intent.comparisons.some((c) => 'aggregate' in c.target && c.target.aggregate === index))) return undefined;
  const q = (name: string) => quoteIdent(name, family);
  const keys = buildSelect(model, { ...input, intent: { ...intent, group: { table: base }, outputs: [{ column: { table: base, column: key[0]! } }] } });
  return [`SELECT t0.*`, `FROM ${q(base)} t0`, `WHERE t0.${q(key[0]!)} IN (`, keys.sql, ')'].join('\n');
}

/**
 * "patients admitted to the Stroke Unit": the subject's own columns, filtered through rows it has many of
 * (admissions), would repeat a patient once per admission. Each subject row is listed once: its key IN the
 * filtered keys (not DISTINCT, which would merge two patients who share a name).
 */
function onceEach(model: SchemaModel, input: BuildInput): string | undefined {
  const { intent, equalities, family } = input;
  const base = intent.base;
  const key = base ? model.table(base)?.primaryKey : undefined;
  if (!base || key?.length !== 1 || intent.aggregates.length > 0 || intent.group || intent.perGroup || intent.rank || intent.distinct || intent.order || intent.limit !== undefined) return undefined;
  if (!intent.outputs.every((o) => 'column' in o && o.column.table === base)) return undefined;
  const filtered = [...equalities.map((e) => e.column.table), ...intent.qualifiers.map((c) => c.column.table), ...intent.present.map((c) => c.table), ...intent.ongoing.map((c) => c.table), ...intent.missing.map((c) => c.table), ...intent.joined, ...intent.comparisons.flatMap(comparedTables)];
  if (!filtered.some((table) => table !== base && model.oneToMany(base, table))) return undefined;
  const q = (name: string) => quoteIdent(name, family);
  const keys = buildSelect(model, { ...input, intent: { ...intent, outputs: [{ column: { table: base, column: key[0]! } }] } });
  const columns = intent.outputs.length === 0 ? 't0.*' : intent.outputs.flatMap((o) => ('column' in o ? [`t0.${q(o.column.column)}`] : [])).join(', ');
  return [`SELECT ${columns}`, `FROM ${q(base)} t0`, `WHERE t0.${q(key[0]!)} IN (`, keys.sql, ')'].join('\n');
}

/**
 * "every carrier with its number of drivers and its number of shipments": two one-to-many tables joined
 * side by side multiply each other's rows (every driver once per shipment), so each count would be the
 * product. When the result rows are the subject's own rows and aggregates reach through more than one such
 * table, each aggregate becomes a subquery per subject row instead.
 */
function splitFanOut(model: SchemaModel, intent: Intent, base: string): Intent {
  const groupTable = intent.group && 'table' in intent.group ? intent.group.table : undefined;
  const perSubjectRow = groupTable === base || (intent.group === undefined && intent.outputs.every((o) => !('column' in o) || o.column.table === base));
  const plain = intent.aggregates.filter((a) => !a.level && !a.running && a.table !== base);
  const branches = new Set(plain.filter((a) => model.oneToMany(base, a.table)).map((a) => model.path(base, a.table)?.[0]?.to));
  if (!perSubjectRow || branches.size < 2 || model.table(base)?.primaryKey.length === 0) return intent;
  return { ...intent, aggregates: intent.aggregates.map((a) => (plain.includes(a) ? { ...a, level: base } : a)) };
}

/** The tables a row condition reads (none for a condition on an aggregate). */
function comparedTables(c: Intent['comparisons'][number]): string[] {
  if ('aggregate' in c.target) return [];
  return 'expr' in c.target ? exprColumns(c.target.expr).map((r) => r.table) : [c.target.table];
}

/** Every table the intent reads a column of, filters on or aggregates. */
function tablesUsed(intent: Intent, equalities: Equality[]): Set<string> {
  const refs = [...intent.outputs.flatMap((o) => ('column' in o ? [o.column] : 'expr' in o ? exprColumns(o.expr) : [])), ...equalities.map((e) => e.column), ...intent.missing, ...intent.present, ...intent.ongoing, ...intent.qualifiers.map((q) => q.column)];
  return new Set([...refs.map((r) => r.table), ...intent.aggregates.map((a) => a.table), ...intent.joined, ...intent.comparisons.flatMap(comparedTables)]);
}

function buildSelect(model: SchemaModel, input: BuildInput): Select {
  const { equalities, family } = input;
  const base = input.intent.base;
  if (!base || !model.table(base)) throw new SqlBuildError('no table to read from');
  const intent = splitFanOut(model, input.intent, base);
  const q = (name: string) => quoteIdent(name, family);
  const scope = new JoinScope(model, base, q, input.words ?? new Set(), tablesUsed(intent, equalities));
  // A count keeps the subjects with nothing to count (0 is an answer); every other aggregate keeps them
  // (with no value) when all of the subject's rows were asked for ("her movies with their average rating",
  // "every department"), not for a report per group ("average cost per department"). Neither when the
  // request asked for the related rows to exist ("reviewed movies").
  const perSubject = intent.group !== undefined && 'table' in intent.group && intent.group.table === base && intent.group.all === true;
  const leftOnly = new Set(intent.aggregates.filter((a) => a.table !== base && !a.level && (a.fn === 'count' || perSubject) && !intent.joined.includes(a.table)).map((a) => a.table));
  // A related-level aggregate only correlates on its table's key: a row without one keeps its place (NULL).
  for (const a of intent.aggregates) if (a.level && a.level !== base) leftOnly.add(a.level);
  const col = (ref: ColumnRef) => `${scope.join(ref.table, leftOnly.has(ref.table))}.${q(ref.column)}`;
  const lookup: ColumnLookup = (ref) => model.table(ref.table)?.columns.find((c) => c.name === ref.column);
  const value = (e: Expr) => exprSql(e, col, lookup, family);

  // Inner joins first (filters and columns), then the LEFT joins that only feed counts.
  const where: string[] = [];
  const equality = (column: string, e: Equality) => (e.value === null ? `${column} IS NULL` : `${column} = ${sqlLiteral(e.value)}`);
  // "staff who report to Karim Haddad": the values found in the subject's own table name the row its key to
  // itself points to (the manager), not the subject's rows.
  const self = model.selfReference(base, input.words ?? new Set());
  const pointed = self ? equalities.filter((e) => e.column.table === base) : [];
  for (const e of equalities) if (!pointed.includes(e)) where.push(equality(col(e.column), e));
  if (self && pointed.length > 0) {
    where.push(`t0.${q(self.columns[0]!)} IN (SELECT r.${q(self.refColumns[0]!)} FROM ${q(base)} r WHERE ${pointed.map((e) => equality(`r.${q(e.column.column)}`, e)).join(' AND ')})`);
  }
  // A yes/no column is "set" when true: `= TRUE` for a boolean, `= 1` for the 0/1 integer most databases use.
  const yesNo = (ref: ColumnRef, yes: boolean): string | undefined => {
    const column = lookup(ref);
    if (!column || !isFlag(column)) return undefined;
    return `${col(ref)} = ${/BOOL/i.test(column.type) ? String(yes).toUpperCase() : yes ? 1 : 0}`;
  };
  // "products with no units in stock": a number that is not a key is "none" when empty or 0.
  const none = (ref: ColumnRef): string | undefined => {
    const column = lookup(ref);
    const key = model.table(ref.table)?.primaryKey.includes(ref.column) || model.table(ref.table)?.foreignKeys.some((f) => f.columns.includes(ref.column));
    return column && isNumeric(column) && !key ? `(${col(ref)} IS NULL OR ${col(ref)} = 0)` : undefined;
  };
  for (const column of intent.missing) where.push(yesNo(column, false) ?? none(column) ?? `${col(column)} IS NULL`);
  for (const column of intent.present) where.push(yesNo(column, true) ?? `${col(column)} IS NOT NULL`);
  for (const column of intent.ongoing) where.push(`(${col(column)} IS NULL OR ${col(column)} > CURRENT_DATE)`);
  for (const qualifier of intent.qualifiers) where.push(`${col(qualifier.column)} = ${sqlLiteral(qualifier.value)}`);
  for (const c of intent.comparisons) {
    const target = c.target;
    if ('aggregate' in target) continue;
    if ('expr' in target) {
      where.push(c.op === 'between' ? `${value(target.expr)} BETWEEN ${c.value} AND ${c.upper}` : `${value(target.expr)} ${c.op} ${c.value}`);
      continue;
    }
    if (c.other) {
      where.push(`${col(target)} ${c.op === 'between' ? '=' : c.op} ${col(c.other)}`);
      continue;
    }
    const column = lookup(target);
    const expr = col(target);
    // A year against a date stored as text or date: compare with the first day of years, which every dialect orders right.
    if (column && !isNumeric(column) && typeof c.value === 'number' && Number.isInteger(c.value)) where.push(yearRange(expr, c.op, c.value, c.upper));
    else where.push(c.op === 'between' ? `${expr} BETWEEN ${c.value} AND ${c.upper}` : `${expr} ${c.op} ${typeof c.value === 'number' ? c.value : sqlLiteral(c.value)}`);
  }
  for (const table of intent.joined) scope.join(table, false);
  // "films that have never been rented": no row of the table at the end of the whole path (film -> inventory ->
  // rental), not merely none of the first hop's.
  for (const table of intent.without) {
    const hop = model.path(base, table)?.[0];
    if (!hop) throw new SqlBuildError(`no foreign key links ${base} to ${table}`);
    const rest = new JoinScope(model, hop.to, q, input.words ?? new Set(), new Set(), 'x');
    rest.join(table, false);
    const on = hop.fromColumns.map((c, i) => `x0.${q(hop.toColumns[i]!)} = t0.${q(c)}`).join(' AND ');
    where.push(`NOT EXISTS (SELECT 1 FROM ${[`${q(hop.to)} x0`, ...rest.joins].join(' ')} WHERE ${on})`);
  }

  const tableKey = (table: string) => (model.table(table)?.primaryKey ?? []).map((key) => col({ table, column: key }));
  const plainAggregate = (a: Aggregate): string => {
    if (a.expr) return `${a.fn.toUpperCase()}(${value(a.expr)})`;
    if (a.fn === 'count') {
      if (a.table === base) return 'COUNT(*)';
      const alias = scope.join(a.table, true);
      const key = model.table(a.table)?.primaryKey[0] ?? model.path(base, a.table)?.at(-1)?.toColumns[0];
      return `COUNT(${alias}.${q(key ?? '*')})`;
    }
    return `${a.fn.toUpperCase()}(${col({ table: a.table, column: a.column! })})`;
  };
  const aggregate = (a: Aggregate): string => {
    if (a.level) return levelAggregate(model, a, a.level, q, family, tableKey(a.level), input.words ?? new Set());
    if (!a.running) return plainAggregate(a);
    // Up to and including the current row, per partition, in the order asked (then the key, so it is total).
    const partition = a.running.partition && ('table' in a.running.partition ? tableKey(a.running.partition.table) : [col(a.running.partition.column)]);
    const order = [...a.running.order.map(col), ...tableKey(base).filter((k) => !a.running!.order.some((o) => col(o) === k))];
    const over = [partition && partition.length > 0 ? `PARTITION BY ${partition.join(', ')}` : '', `ORDER BY ${order.join(', ')}`, 'ROWS UNBOUNDED PRECEDING'].filter(Boolean).join(' ');
    return `${a.fn === 'count' ? 'COUNT(*)' : plainAggregate(a)} OVER (${over})`;
  };
  const aggName = (a: Aggregate) => {
    const what = a.expr ? a.expr.name : a.column ? a.column : a.table;
    const fn = a.column || a.expr ? a.fn : a.fn === 'count' ? 'number_of' : a.fn;
    return `${a.running ? 'running_' : ''}${fn}_${what}${a.level ? `_per_${a.level}` : ''}`;
  };

  // "employees who report to Nancy Edwards": "report" named the key (ReportsTo) the condition went through, no output.
  let outputs = self && pointed.length > 0 ? intent.outputs.filter((o) => !('column' in o && o.column.table === base && self.columns.includes(o.column.column))) : intent.outputs;
  const groupTable = intent.group && 'table' in intent.group ? intent.group.table : undefined;
  // "for each manager, their last name and the number of staff reporting to them": grouped by the table's key
  // to itself, each group is the row that key points to (joined as `m`), and the columns shown are that row's.
  const groupColumn = intent.group && 'column' in intent.group ? intent.group.column : undefined;
  const selfKey = groupColumn?.table === base ? model.table(base)?.foreignKeys.find((fk) => fk.refTable === base && fk.columns.length === 1 && fk.columns[0] === groupColumn.column) : undefined;
  if (selfKey) {
    scope.joins.push(`JOIN ${q(base)} m ON m.${q(selfKey.refColumns[0]!)} = t0.${q(selfKey.columns[0]!)}`);
    outputs = outputs.filter((o) => !('column' in o && o.column.table === base && o.column.column === groupColumn!.column));
    const label = model.table(base)?.label;
    if (!outputs.some((o) => 'column' in o) && label) outputs = [{ column: { table: base, column: label } }, ...outputs];
  }
  if (groupTable && !outputs.some((o) => 'column' in o)) {
    const label = model.table(groupTable)?.label ?? model.table(groupTable)?.primaryKey[0];
    if (label) outputs = [{ column: { table: groupTable, column: label } }, ...outputs];
  }
  if (intent.aggregates.length > 0 && !outputs.some((o) => 'aggregate' in o) && !intent.comparisons.some((c) => 'aggregate' in c.target)) outputs = [...outputs, { aggregate: 0 }];

  // Output names must be unique (the pipeline stages the result as a table): a repeated one gets its table's name.
  const names: string[] = [];
  const unique = (name: string, fallback: string) => {
    let chosen = names.includes(name) ? fallback : name;
    for (let n = 2; names.includes(chosen); n++) chosen = `${fallback}_${n}`;
    names.push(chosen);
    return chosen;
  };
  // A column shown from a row the subject may lack (a shipment's driver, when DRIVER_ID may be empty) must
  // not drop the subject's row: reached through an optional key, the join is a LEFT JOIN.
  // (A key column in the primary key is never empty, whatever SQLite declares; ranked rows per group must exist.)
  const emptyKey = (hop: Hop) => !hop.many && hop.fromColumns.some((c) => !model.table(hop.from)?.primaryKey.includes(c) && model.table(hop.from)?.columns.find((x) => x.name === c)?.nullable);
  const optional = (table: string) => !intent.perGroup && (model.path(base, table)?.some(emptyKey) ?? false);
  const shown = (ref: ColumnRef) => (selfKey && ref.table === base ? `m.${q(ref.column)}` : `${scope.join(ref.table, leftOnly.has(ref.table) || optional(ref.table))}.${q(ref.column)}`);
  const select = outputs.map((o) => {
    if ('column' in o) {
      const name = unique(o.column.column, `${o.column.table}_${o.column.column}`);
      return name === o.column.column ? shown(o.column) : `${shown(o.column)} AS ${q(name)}`;
    }
    if ('expr' in o) return `${value(o.expr)} AS ${q(unique(o.expr.name, o.expr.name))}`;
    const a = intent.aggregates[o.aggregate]!;
    return `${aggregate(a)} AS ${q(unique(aggName(a), aggName(a)))}`;
  });
  if (select.length === 0) {
    select.push('t0.*');
    names.push(...(model.table(base)?.columns.map((c) => c.name) ?? []));
  }
  const grouping = intent.aggregates.filter((a) => !a.running && !a.level);
  const grouped = grouping.length > 0 && (intent.group !== undefined || outputs.some((o) => 'column' in o || 'expr' in o));
  const groupBy: string[] = [];
  const groupOn = (expr: string) => {
    if (!groupBy.includes(expr)) groupBy.push(expr);
  };
  if (grouped) {
    if (groupTable) tableKey(groupTable).forEach(groupOn);
    if (selfKey) groupOn(`m.${q(selfKey.refColumns[0]!)}`);
    for (const o of outputs) {
      if ('column' in o) groupOn(shown(o.column));
      if ('expr' in o) groupOn(value(o.expr));
    }
    // A related-level aggregate is correlated on that table's key, which must be grouped too.
    for (const a of intent.aggregates) if (a.level) tableKey(a.level).forEach(groupOn);
  }
  const having: string[] = [];
  for (const c of intent.comparisons) {
    if (!('aggregate' in c.target)) continue;
    const a = intent.aggregates[c.target.aggregate]!;
    const expr = aggregate(a);
    // A subquery's value is one per row: a condition on it is a row filter, not a group's.
    (a.level && !grouped ? where : having).push(c.op === 'between' ? `${expr} BETWEEN ${c.value} AND ${c.upper}` : `${expr} ${c.op} ${c.value}`);
  }
  let orderBy: string | undefined;
  if (intent.order) orderBy = `${'column' in intent.order.target ? col(intent.order.target.column) : aggregate(intent.aggregates[intent.order.target.aggregate]!)} ${intent.order.direction}`;
  if (intent.perGroup && orderBy && intent.group) {
    // The first rows of each group: numbered (a tie-break asked for) or ranked (ties kept), then filtered.
    const key = intent.group;
    const partition = 'table' in key ? tableKey(key.table) : ['column' in key ? col(key.column) : value(key.expr)];
    const tieBreak = intent.perGroup.tieBreak ? outputs.flatMap((o) => ('column' in o && !partition.includes(col(o.column)) ? [`${col(o.column)} ASC`] : [])) : [];
    // Tied rows that show only the group and the ordering value ("each carrier with the date of its latest
    // shipment") would print the same line twice: one of them is numbered first.
    const orderColumn = 'column' in intent.order!.target ? col(intent.order!.target.column) : undefined;
    const alike = outputs.every((o) => 'column' in o && (partition.includes(col(o.column)) || o.column.table === groupTable || col(o.column) === orderColumn));
    const numbered = `${tieBreak.length > 0 || alike ? 'ROW_NUMBER()' : 'RANK()'} OVER (PARTITION BY ${partition.join(', ')} ORDER BY ${[orderBy, ...tieBreak].join(', ')})`;
    const inner = selectSql(intent, [...select, `${numbered} AS ${q('place_in_group')}`], base, q, scope.joins, where, groupBy, having);
    return { sql: [`SELECT ${names.map(q).join(', ')}`, 'FROM (', inner, `) ranked`, `WHERE ${q('place_in_group')} <= ${intent.perGroup.n}`].join('\n'), names };
  }
  // Ties share a rank (RANK, not ROW_NUMBER); every supported dialect has window functions.
  if (intent.rank && orderBy) {
    select.push(`RANK() OVER (ORDER BY ${orderBy}) AS ${q('rank')}`);
    names.push('rank');
  } else if (intent.limit !== undefined && grouping.length > 0 && outputs.some((o) => 'aggregate' in o) && !orderBy) orderBy = `${aggregate(intent.aggregates[0]!)} DESC`;

  const lines = [selectSql(intent, select, base, q, scope.joins, where, groupBy, having)];
  if (orderBy) lines.push(`ORDER BY ${orderBy}`);
  if (intent.limit !== undefined) lines.push(`LIMIT ${intent.limit}`);
  return { sql: lines.join('\n'), names };
}

function selectSql(intent: Intent, select: string[], base: string, q: (name: string) => string, joins: string[], where: string[], groupBy: string[], having: string[]): string {
  const lines = [`SELECT ${intent.distinct ? 'DISTINCT ' : ''}${select.join(', ')}`, `FROM ${q(base)} t0`, ...joins];
  if (where.length > 0) lines.push(`WHERE ${where.join(' AND ')}`);
  if (groupBy.length > 0) lines.push(`GROUP BY ${groupBy.join(', ')}`);
  if (having.length > 0) lines.push(`HAVING ${having.join(' AND ')}`);
  return lines.join('\n');
}

/**
 * "the average rating of all reviews of its director's movies": a subquery over the `level` table's
 * related rows, correlated on its key with the outer query's row of that table.
 */
function levelAggregate(model: SchemaModel, a: Aggregate, level: string, q: (name: string) => string, family: string, outerKey: string[], words: ReadonlySet<string>): string {
  const inner = new JoinScope(model, level, q, words, new Set(), 's');
  const col = (ref: ColumnRef) => `${inner.join(ref.table, false)}.${q(ref.column)}`;
  const lookup: ColumnLookup = (ref) => model.table(ref.table)?.columns.find((c) => c.name === ref.column);
  let arg: string;
  if (a.expr) arg = exprSql(a.expr, col, lookup, family);
  else if (a.column) arg = col({ table: a.table, column: a.column });
  else arg = `${inner.join(a.table, false)}.${q(model.table(a.table)?.primaryKey[0] ?? '*')}`;
  const keys = model.table(level)?.primaryKey ?? [];
  if (keys.length === 0) throw new SqlBuildError(`${level} has no primary key to relate its rows by`);
  const on = keys.map((k, i) => `s0.${q(k)} = ${outerKey[i]}`).join(' AND ');
  return `(SELECT ${a.fn.toUpperCase()}(${arg}) FROM ${q(level)} s0 ${inner.joins.join(' ')} WHERE ${on})`;
}

/**
 * "pairs of actors who appeared in the same movie": the (shared row, entity) pairs, distinct, joined with
 * themselves on the shared row; each pair once (labels in order), with how many rows they share if asked.
 */
function pairsSql(model: SchemaModel, input: BuildInput, pairs: NonNullable<Intent['pairs']>): string {
  const entity = model.table(pairs.entity);
  const through = model.table(pairs.through);
  const label = entity?.label ?? entity?.primaryKey[0];
  if (!entity || !through || !label || entity.primaryKey.length !== 1 || through.primaryKey.length !== 1) {
    throw new SqlBuildError(`pairs need ${pairs.entity} and ${pairs.through} to have a one-column key and ${pairs.entity} a name`);
  }
  const q = (name: string) => quoteIdent(name, input.family);
  const members = buildSelect(model, {
    ...input,
    intent: {
      ...input.intent,
      pairs: undefined,
      distinct: true,
      aggregates: [],
      group: undefined,
      order: undefined,
      limit: undefined,
      perGroup: undefined,
      rank: false,
      comparisons: input.intent.comparisons.filter((c) => !('aggregate' in c.target)),
      outputs: [
        { column: { table: through.name, column: through.primaryKey[0]! } },
        { column: { table: entity.name, column: entity.primaryKey[0]! } },
        { column: { table: entity.name, column: label } },
      ],
    },
  });
  const [shared, key, name] = members.names.map(q) as [string, string, string];
  const singularName = pairs.entity.replace(/s$/, '');
  const select = [`a.${name} AS ${q(`${singularName}_a`)}`, `b.${name} AS ${q(`${singularName}_b`)}`];
  if (pairs.count) select.push(`COUNT(*) AS ${q(`shared_${pairs.through}`)}`);
  return [
    `SELECT ${select.join(', ')}`,
    `FROM (\n${members.sql}\n) a`,
    `JOIN (\n${members.sql}\n) b ON b.${shared} = a.${shared} AND a.${name} < b.${name}`,
    ...(pairs.count ? [`GROUP BY a.${key}, b.${key}, a.${name}, b.${name}`] : []),
  ].join('\n');
}
