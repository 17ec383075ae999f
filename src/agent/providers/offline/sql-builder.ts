/**
 * Builds one SELECT from an intent and the schema: joins along the shortest foreign-key paths from the
 * subject table, WHERE / GROUP BY / HAVING / ORDER BY / LIMIT, identifiers quoted per source family.
 */
import type { JsonValue } from '../../../connectors/discovery.js';
import type { Aggregate, ColumnRef, Intent, Output } from './intent.js';
import { isNumeric, type Hop, type SchemaModel } from './schema-model.js';
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

export function buildSql(model: SchemaModel, { intent, equalities, family }: BuildInput): string {
  const base = intent.base;
  if (!base || !model.table(base)) throw new SqlBuildError('no table to read from');
  const q = (name: string) => quoteIdent(name, family);
  const aliases = new Map<string, string>([[base, 't0']]);
  const joins: string[] = [];
  // Rows grouped per subject keep the subjects with nothing to aggregate (count 0, average NULL),
  // unless the request asked for the related rows to exist ("reviewed movies").
  const perSubject = intent.group !== undefined && 'table' in intent.group && intent.group.table === base;
  const leftOnly = new Set(intent.aggregates.filter((a) => a.table !== base && (a.fn === 'count' || perSubject) && !intent.joined.includes(a.table)).map((a) => a.table));

  const join = (table: string, left: boolean): string => {
    const known = aliases.get(table);
    if (known) return known;
    const path = model.path(base, table);
    if (!path) throw new SqlBuildError(`no foreign-key path links ${base} to ${table}`);
    for (const hop of path) addHop(hop, left);
    return aliases.get(table)!;
  };
  const addHop = (hop: Hop, left: boolean) => {
    if (aliases.has(hop.to)) return;
    const alias = `t${aliases.size}`;
    const from = aliases.get(hop.from)!;
    aliases.set(hop.to, alias);
    const on = hop.fromColumns.map((c, i) => `${alias}.${q(hop.toColumns[i]!)} = ${from}.${q(c)}`).join(' AND ');
    joins.push(`${left ? 'LEFT JOIN' : 'JOIN'} ${q(hop.to)} ${alias} ON ${on}`);
  };
  const col = (ref: ColumnRef) => `${join(ref.table, leftOnly.has(ref.table))}.${q(ref.column)}`;

  // Inner joins first (filters and columns), then the LEFT joins that only feed counts.
  const where: string[] = [];
  for (const e of equalities) where.push(e.value === null ? `${col(e.column)} IS NULL` : `${col(e.column)} = ${sqlLiteral(e.value)}`);
  for (const qualifier of intent.qualifiers) where.push(`${col(qualifier.column)} = ${sqlLiteral(qualifier.value)}`);
  for (const c of intent.comparisons) {
    const target = c.target;
    if ('aggregate' in target) continue;
    const column = model.table(target.table)?.columns.find((x) => x.name === target.column);
    const expr = col(target);
    // A year against a date stored as text or date: compare with the first day of years, which every dialect orders right.
    if (column && !isNumeric(column) && typeof c.value === 'number' && Number.isInteger(c.value)) where.push(yearRange(expr, c.op, c.value, c.upper));
    else where.push(c.op === 'between' ? `${expr} BETWEEN ${c.value} AND ${c.upper}` : `${expr} ${c.op} ${typeof c.value === 'number' ? c.value : sqlLiteral(c.value)}`);
  }
  for (const table of intent.joined) join(table, false);
  for (const table of intent.without) {
    const hop = model.path(base, table)?.[0];
    if (!hop) throw new SqlBuildError(`no foreign key links ${base} to ${table}`);
    const on = hop.fromColumns.map((c, i) => `x.${q(hop.toColumns[i]!)} = t0.${q(c)}`).join(' AND ');
    where.push(`NOT EXISTS (SELECT 1 FROM ${q(hop.to)} x WHERE ${on})`);
  }

  const aggregate = (a: Aggregate): string => {
    if (a.fn === 'count') {
      if (a.table === base) return 'COUNT(*)';
      const alias = join(a.table, true);
      const key = model.table(a.table)?.primaryKey[0] ?? model.path(base, a.table)?.at(-1)?.toColumns[0];
      return `COUNT(${alias}.${q(key ?? '*')})`;
    }
    return `${a.fn.toUpperCase()}(${col({ table: a.table, column: a.column! })})`;
  };
  const aggName = (a: Aggregate) => (a.column ? `${a.fn}_${a.column}` : `${a.fn === 'count' ? 'number_of' : a.fn}_${a.table}`);
  const output = (o: Output): string => ('column' in o ? col(o.column) : `${aggregate(intent.aggregates[o.aggregate]!)} AS ${q(aggName(intent.aggregates[o.aggregate]!))}`);

  let outputs = intent.outputs;
  const groupTable = intent.group && 'table' in intent.group ? intent.group.table : undefined;
  if (groupTable && !outputs.some((o) => 'column' in o)) {
    const label = model.table(groupTable)?.label ?? model.table(groupTable)?.primaryKey[0];
    if (label) outputs = [{ column: { table: groupTable, column: label } }, ...outputs];
  }
  if (intent.aggregates.length > 0 && !outputs.some((o) => 'aggregate' in o) && !intent.comparisons.some((c) => 'aggregate' in c.target)) outputs = [...outputs, { aggregate: 0 }];

  // Output names must be unique (the pipeline stages the result as a table): a repeated one gets its table's name.
  const names = new Set<string>();
  const select = outputs.map((o) => {
    let expr = output(o);
    if ('column' in o) {
      const name = names.has(o.column.column) ? `${o.column.table}_${o.column.column}` : o.column.column;
      if (name !== o.column.column) expr = `${expr} AS ${q(name)}`;
      names.add(name);
    } else {
      const a = intent.aggregates[o.aggregate]!;
      let name = aggName(a);
      for (let n = 2; names.has(name); n++) name = `${aggName(a)}_${n}`;
      names.add(name);
      expr = `${aggregate(a)} AS ${q(name)}`;
    }
    return expr;
  });
  if (select.length === 0) select.push('t0.*');
  const grouped = intent.aggregates.length > 0 && (intent.group !== undefined || outputs.some((o) => 'column' in o));
  const groupBy: string[] = [];
  if (grouped) {
    if (groupTable) for (const key of model.table(groupTable)?.primaryKey ?? []) groupBy.push(col({ table: groupTable, column: key }));
    for (const o of outputs) if ('column' in o && !groupBy.includes(col(o.column))) groupBy.push(col(o.column));
  }
  const having = intent.comparisons
    .filter((c) => 'aggregate' in c.target)
    .map((c) => {
      const expr = aggregate(intent.aggregates[(c.target as { aggregate: number }).aggregate]!);
      return c.op === 'between' ? `${expr} BETWEEN ${c.value} AND ${c.upper}` : `${expr} ${c.op} ${c.value}`;
    });
  let orderBy: string | undefined;
  if (intent.order) orderBy = `${'column' in intent.order.target ? col(intent.order.target.column) : aggregate(intent.aggregates[intent.order.target.aggregate]!)} ${intent.order.direction}`;
  // Ties share a rank (RANK, not ROW_NUMBER); every supported dialect has window functions.
  if (intent.rank && orderBy) select.push(`RANK() OVER (ORDER BY ${orderBy}) AS ${q('rank')}`);
  else if (intent.limit !== undefined && intent.aggregates.length > 0 && outputs.some((o) => 'aggregate' in o)) orderBy = `${aggregate(intent.aggregates[0]!)} DESC`;

  const lines = [`SELECT ${intent.distinct ? 'DISTINCT ' : ''}${select.join(', ')}`, `FROM ${q(base)} t0`, ...joins];
  if (where.length > 0) lines.push(`WHERE ${where.join(' AND ')}`);
  if (groupBy.length > 0) lines.push(`GROUP BY ${groupBy.join(', ')}`);
  if (having.length > 0) lines.push(`HAVING ${having.join(' AND ')}`);
  if (orderBy) lines.push(`ORDER BY ${orderBy}`);
  if (intent.limit !== undefined) lines.push(`LIMIT ${intent.limit}`);
  return lines.join('\n');
}
