/**
 * Settles a scanned request into an intent: picks the subject table, settles each column mention on one
 * table (the nearest in the foreign-key graph), builds the aggregates, places the comparisons, and decides
 * grouping, ordering, outputs, rows per group and pairs.
 */
import { exprColumns, type Expr } from './expressions.js';
import { placeComparisons } from './intent-compare.js';
import type { Aggregate, ColumnMention, ColumnRef, ExprMention, Intent, Mention, Output, PendingCompare, ShapeWords } from './intent-types.js';
import { recencyColumn } from './recency.js';
import type { SchemaModel } from './schema-model.js';
import { isNumeric } from './schema-model.js';

export function resolve(intent: Intent, mentions: Mention[], compares: PendingCompare[], model: SchemaModel, text: string, shape: ShapeWords, subject?: string): void {
  const refTable = (ref: ColumnMention): string | undefined => ref.qualifier ?? ref.candidates[0]?.table;
  const tableOf = (m: Mention): string | undefined => (m.ref.kind === 'table' ? m.ref.table : m.ref.kind === 'column' ? refTable(m.ref) : m.ref.operands[0] && refTable(m.ref.operands[0]));
  settleRunning(mentions, tableOf);
  const aggregateMentions = mentions.filter((m) => m.role === 'aggregate');
  // "each course title with ...": with nothing to aggregate or order within groups, "each" only lists that column.
  const listed = mentions.find((m) => m.role === 'group' && m.ref.kind === 'column');
  if (listed && aggregateMentions.length === 0 && !mentions.some((m) => m.role === 'order')) listed.role = 'plain';
  // "per destination depot": a key to another table named as a noun groups by that table's rows (the join takes
  // that key, by the same words); a key to its own table ("per manager") stays a column (see the SQL builder).
  for (const m of mentions) {
    const best = m.role === 'group' && m.ref.kind === 'column' && m.ref.candidates.length > 0 ? m.ref.candidates[0] : undefined;
    const fk = best && model.table(best.table)?.foreignKeys.find((f) => f.columns.length === 1 && f.columns[0] === best.column && f.refTable !== best.table);
    if (fk) m.ref = { kind: 'table', table: fk.refTable };
  }
  const groupMention = mentions.find((m) => m.role === 'group');
  const recent = mentions.find((m) => m.role === 'order' && m.ref.kind === 'table');

  // The subject: the pairs' link, the rows ordered by date ("their most recent movie"), the rows grouped,
  // else the first table named plainly, else the first column's table.
  const through = shape.pairsOf ? pairedThrough(mentions, shape.pairsOf, model) : undefined;
  if (through) intent.base = through;
  else if (recent) intent.base = tableOf(recent);
  else if (aggregateMentions.length > 0 && groupMention?.ref.kind === 'table') intent.base = groupMention.ref.table;
  else if (aggregateMentions.length > 0 && groupMention) intent.base = tableOf(aggregateMentions[0]!);
  const firstTable = mentions.find((m) => m.ref.kind === 'table' && !m.related && (m.role === 'plain' || m.role === 'group' || m.role === 'order'));
  intent.base ??= firstTable && tableOf(firstTable);
  intent.base ??= intent.pronounTable;
  const firstPlain = mentions.find((m) => m.role === 'plain' && m.ref.kind !== 'table');
  // No table named and the first column is as good a match in several tables ("first and last names of all
  // nurses"): those are the subject's options, and where a value is found among them decides (`subject`).
  if (!intent.base && firstPlain?.ref.kind === 'column') {
    const top = firstPlain.ref.candidates[0]?.score;
    const options = [...new Set(firstPlain.ref.candidates.filter((c) => c.score === top).map((c) => c.table))];
    if (options.length > 1) intent.subjectOptions = options;
    if (subject && options.includes(subject)) intent.base = subject;
  }
  intent.base ??= firstPlain && tableOf(firstPlain);
  intent.base ??= aggregateMentions[0] && tableOf(aggregateMentions[0]);
  intent.base ??= mentions[0] && tableOf(mentions[0]);
  const base = intent.base;

  const settleRef = (ref: ColumnMention): ColumnRef | undefined => {
    const pick = (c: (ColumnRef & { score: number }) | undefined): ColumnRef | undefined => c && { table: c.table, column: c.column };
    if (ref.qualifier) return pick(ref.candidates.find((c) => c.table === ref.qualifier));
    if (!base) return pick(ref.candidates[0]);
    // The nearest table in the foreign-key graph (the subject itself first), then the closest name.
    return pick([...ref.candidates].sort((a, b) => model.distance(base, a.table) - model.distance(base, b.table) || b.score - a.score)[0]);
  };
  const settle = (m: Mention): ColumnRef | undefined => (m.ref.kind === 'column' ? settleRef(m.ref) : undefined);
  const settleExpr = (m: Mention): Expr | undefined => (m.ref.kind === 'expr' ? exprOf(m.ref, settleRef, model, base) : undefined);

  const aggregateIndex = new Map<Mention, number>();
  for (const m of mentions) {
    if (m.role === 'aggregate') {
      const fn = m.fn ?? 'count';
      const column = settle(m);
      const expr = settleExpr(m);
      const shaped = { level: m.level, running: m.running ? { order: [] } : undefined };
      if (m.ref.kind === 'table') intent.aggregates.push({ fn: 'count', table: m.ref.table, ...shaped });
      else if (expr) intent.aggregates.push({ fn, table: exprColumns(expr)[0]!.table, expr, ...shaped });
      else if (column && (fn === 'count' || isNumeric(model.table(column.table)!.columns.find((c) => c.name === column.column)!) || fn === 'min' || fn === 'max')) intent.aggregates.push({ fn, table: column.table, column: column.column, ...shaped });
      else continue;
      const index = sharedAggregate(intent.aggregates);
      aggregateIndex.set(m, index);
      if (m.level) intent.notes.push(`the ${fn} ${column?.column ?? expr?.name ?? ''} over all rows of each result row's ${m.level}`.replace('  ', ' '));
      if (m.ordered) intent.order = { target: { aggregate: index }, direction: m.ordered };
    }
  }
  // Running aggregates: their partition and window order.
  for (const [m, index] of aggregateIndex) {
    if (!m.running) continue;
    const partition = mentions.find((p) => p.role === 'partition' && mentions.indexOf(p) > mentions.indexOf(m));
    const partitionColumn = partition && settle(partition);
    const order = mentions.filter((w) => w.role === 'window').flatMap((w) => settle(w) ?? []);
    intent.aggregates[index]!.running = {
      partition: partition?.ref.kind === 'table' ? { table: partition.ref.table } : partitionColumn && { column: partitionColumn },
      order,
    };
    if (partition) intent.notes.push(`running ${intent.aggregates[index]!.fn} per ${partition.ref.kind === 'table' ? partition.ref.table : partitionColumn?.column}`);
  }
  // "the average" / "the count" named again later (already pushed as outputs during the scan) keep their order.
  const havingAggregates = new Set<number>();
  const bucket = mentions.map(settleExpr).find((e) => e?.kind === 'bucket');
  placeComparisons({ model, intent, mentions, base, settle, tableOf, aggregateIndex, havingAggregates, bucketed: bucket?.kind === 'bucket' ? bucket.column : undefined }, compares);

  // Dates asked for by the ordering that decides them ("the date of its most recent shipment"): outputs where named.
  const shownDates: { position: number; output: Output }[] = [];
  for (const m of mentions) {
    if (m.role === 'without' && m.ref.kind === 'table') intent.without.push(m.ref.table);
    else if (m.role === 'without') {
      // "with no recorded blood type", "not discharged": a column of the subject (or of a row it has one of) is empty.
      const column = settle(m);
      if (column && base && !model.oneToMany(base, column.table)) intent.missing.push(column);
      else intent.without.push(tableOf(m)!);
    }
    if (m.role === 'joined') intent.joined.push(tableOf(m)!);
    const set = m.role === 'present' ? settle(m) : undefined;
    if (set) intent.present.push(set);
    if (m.role === 'order' && m.ref.kind === 'table') {
      const column = recencyColumn(model, m.ref.table);
      if (column) {
        intent.order = { target: { column }, direction: m.direction ?? 'DESC' };
        intent.notes.push(`"${m.direction === 'ASC' ? 'oldest' : 'most recent'}" is by ${column.table}.${column.column}`);
        // "the date of its most recent shipment": the date asked for is the one that decides which is most recent.
        const date = intent.values.findIndex((v) => /^(?:date|day|time|moment|when)$/i.test(v.text));
        if (date >= 0) {
          intent.values.splice(date, 1);
          shownDates.push({ position: m.position, output: { column } });
        }
      } else intent.unplaced.push(`${m.direction === 'ASC' ? 'oldest' : 'most recent'} ${m.ref.table} (it has no date column)`);
    } else if (m.role === 'order') {
      const column = settle(m);
      const existing = intent.aggregates.findIndex((a) => m.ref.kind === 'column' && column && a.column === column.column && a.table === column.table);
      if (column) intent.order = { target: existing >= 0 ? { aggregate: existing } : { column }, direction: m.direction ?? 'DESC' };
    }
  }

  // Grouped by the aggregates computed per result row (a running or related-level one is not).
  const grouping = intent.aggregates.filter((a) => !a.running && !a.level);
  if (groupMention && (grouping.length > 0 || intent.order)) {
    const column = settle(groupMention);
    const expr = settleExpr(groupMention);
    intent.group = groupMention.ref.kind === 'table' ? { table: groupMention.ref.table, all: groupMention.all } : expr ? { expr } : column && { column };
    // "average cost per department" reports the groups that have a value; a department without
    // admissions has none, and leaving it out is said ("every department" keeps it, with no value).
    const valueless = grouping.find((a) => a.fn !== 'count' && a.table !== base && !intent.joined.includes(a.table));
    if (valueless && groupMention.ref.kind === 'table' && groupMention.ref.table === base && !groupMention.all) {
      intent.notes.push(`${base} rows with no ${valueless.table} are left out ("every ${base}" keeps them, with no value)`);
    }
  } else if (grouping.some((a) => a.table !== base) && base) {
    // "her movies with their average rating": the rows asked for stay, also those with nothing to average.
    intent.group = { table: base, all: true };
  } else if (groupMention && grouping.length === 0 && !intent.order && shape.groupsBy) {
    // "the employees per year": groups of nothing counted, summed or averaged are not quietly dropped.
    const expr = settleExpr(groupMention);
    const what = groupMention.ref.kind === 'table' ? groupMention.ref.table : expr?.kind === 'bucket' ? `${expr.unit} of ${expr.column.column}` : settle(groupMention)?.column;
    if (what) intent.unplaced.push(`per ${what} (nothing is counted, summed or averaged per group)`);
  }

  // Outputs in the order they were named: plain columns, computed values and the aggregates (unless only in a HAVING).
  const named: { position: number; output: Output }[] = [...shownDates];
  for (const m of mentions) {
    if (m.role === 'plain' && m.ref.kind === 'column') {
      const column = settle(m);
      if (column) named.push({ position: m.position, output: { column } });
    }
    if (m.role === 'plain' && m.ref.kind === 'expr') {
      const expr = settleExpr(m);
      if (expr?.kind === 'age') intent.notes.push(`age = whole years from ${expr.birth.table}.${expr.birth.column} to ${expr.event.table}.${expr.event.column}`);
      if (expr) named.push({ position: m.position, output: { expr } });
      else intent.unplaced.push(`${m.ref.unit ?? m.ref.name ?? 'a computed value'} (no column to compute it from)`);
    }
    if (m.role === 'aggregate' && aggregateIndex.has(m)) {
      const index = aggregateIndex.get(m)!;
      const repeated = /\b(?:with|and)\s+(?:that|the|this|its|their)\s+(?:average|count|total|sum|number|mean|minimum|maximum)\b/i.test(text);
      if (!havingAggregates.has(index) || repeated) named.push({ position: m.position, output: { aggregate: index } });
    }
  }
  // An aggregate named twice is shown once, where it was named last ("... per drug (drug name and average dose)").
  const sorted = named.sort((a, b) => a.position - b.position).map((n) => n.output);
  intent.outputs = sorted.filter((o, k) => !('aggregate' in o) || !sorted.slice(k + 1).some((later) => 'aggregate' in later && later.aggregate === o.aggregate));
  if (intent.group && !('table' in intent.group)) {
    const key = intent.group;
    const same = (o: Output) => ('column' in key ? 'column' in o && o.column.table === key.column.table && o.column.column === key.column.column : 'expr' in o && o.expr.name === key.expr.name);
    if (!intent.outputs.some(same)) intent.outputs.unshift('column' in key ? { column: key.column } : { expr: key.expr });
  }
  if (intent.order && !intent.outputs.some((o) => 'aggregate' in o) && 'aggregate' in intent.order.target) intent.outputs.push(intent.order.target);
  // "rank the movies by average rating": the ranking follows the aggregate when no column was named for it.
  if (intent.rank && !intent.order && intent.aggregates.length > 0) intent.order = { target: { aggregate: 0 }, direction: 'DESC' };
  if (intent.rank && !intent.order) intent.rank = false;
  if (shape.direction && !intent.order) {
    if (intent.aggregates.length > 0) intent.order = { target: { aggregate: 0 }, direction: shape.direction.direction };
    else intent.unplaced.push(`${shape.direction.words} (by what?)`);
  }

  // "For each director their most recent movie": a group and an ordering without a rank pick rows per group,
  // unless the only other outputs are the group itself and its aggregates (then the groups are ordered).
  if (intent.group && intent.order && !intent.rank) {
    const key = intent.group;
    const picked = intent.outputs.some((o) => 'column' in o && !('table' in key && o.column.table === key.table) && !('column' in key && o.column.column === key.column.column && o.column.table === key.column.table));
    if (grouping.length === 0 || picked) {
      intent.perGroup = { n: intent.limit ?? 1, tieBreak: shape.tieBreak };
      intent.limit = undefined;
      intent.notes.push(shape.tieBreak ? 'ties broken alphabetically' : 'rows tied for the first place in a group are all kept');
    }
  }
  if (shape.tieBreak && !intent.perGroup) intent.unplaced.push('ties broken alphabetically (nothing is picked per group)');

  if (shape.pairsOf) {
    if (!through) intent.unplaced.push(`pairs of ${shape.pairsOf} (I found no table they share)`);
    else intent.pairs = { entity: shape.pairsOf, through, count: intent.aggregates.some((a) => a.fn === 'count' && a.table === through) };
  }
}

/** The aggregate just added, or an equal plain one named before it ("average dose per drug (drug name and average dose)"), dropping the new one. */
function sharedAggregate(aggregates: Aggregate[]): number {
  const added = aggregates.at(-1)!;
  const plain = (a: Aggregate) => !a.running && !a.level && !a.expr;
  const same = aggregates.findIndex((a) => plain(a) && plain(added) && a.fn === added.fn && a.table === added.table && a.column === added.column);
  if (same >= 0 && same < aggregates.length - 1) {
    aggregates.pop();
    return same;
  }
  return aggregates.length - 1;
}

/**
 * A running aggregate's partition is the table named after it that is not what it counts ("of that
 * movie"), or the group ("per customer"); its own table named again ("up to that review") is the frame.
 */
function settleRunning(mentions: Mention[], tableOf: (m: Mention) => string | undefined): void {
  const running = mentions.find((m) => m.running && m.role === 'aggregate');
  if (!running) return;
  const counted = tableOf(running);
  const after = mentions.slice(mentions.indexOf(running) + 1);
  for (const m of after) if (m.ref.kind === 'table' && m.role === 'plain' && m.ref.table === counted) m.role = 'window';
  const partition = after.find((m) => m.ref.kind === 'table' && m.role === 'plain' && !mentions.some((w) => w.role === 'window' && w.ref.kind !== 'table' && w.position < m.position));
  const group = mentions.find((m) => m.role === 'group');
  if (partition) partition.role = 'partition';
  else if (group && (group.ref.kind !== 'table' || tableOf(group) !== counted)) group.role = 'partition';
  // The frame's table mention has no column to order by.
  for (const m of after) if (m.role === 'window' && m.ref.kind === 'table') m.role = 'compare';
}

/** The table two entities share: the one named with "same", else the one counted, else the link next to them. */
function pairedThrough(mentions: Mention[], entity: string, model: SchemaModel): string | undefined {
  const named = mentions.find((m) => m.role === 'through' && m.ref.kind === 'table') ?? mentions.find((m) => m.role === 'aggregate' && m.ref.kind === 'table' && m.ref.table !== entity);
  if (named?.ref.kind === 'table' && model.path(named.ref.table, entity)) return named.ref.table;
  return undefined;
}

function exprOf(ref: ExprMention, settle: (ref: ColumnMention) => ColumnRef | undefined, model: SchemaModel, base: string | undefined): Expr | undefined {
  // "unit price times quantity of their invoice lines": the operands of one value are read from one row when
  // they can be (InvoiceLine's UnitPrice beside its Quantity, not the track's list price).
  const shared = ref.operands.length === 2 ? ref.operands.map(settle) : [];
  const together = shared.length === 2 && shared[0] && shared[1] && shared[0].table !== shared[1].table
    ? [0, 1].find((k) => ref.operands[k]!.candidates.some((c) => c.table === shared[1 - k]!.table))
    : undefined;
  const operands = ref.operands.map((operand, k) => (k === together ? settle({ ...operand, qualifier: shared[1 - k]!.table }) : settle(operand)));
  if (operands.some((o) => o === undefined)) return undefined;
  const [first, second] = operands as ColumnRef[];
  if (ref.shape === 'bucket') {
    const column = first ?? (base ? recencyColumn(model, base) : undefined);
    return column && { kind: 'bucket', unit: ref.unit ?? 'year', column, name: ref.unit ?? 'year' };
  }
  const op = ref.op ?? '*';
  const word = { '*': 'times', '/': 'per', '-': 'minus', '+': 'plus' }[op];
  if (first && ref.constant !== undefined) return { kind: 'arith', op, left: first, right: ref.constant, name: ref.name ?? `${first.column}_${word}_${ref.constant}` };
  if (!first || !second) return undefined;
  if (ref.shape === 'age') return { kind: 'age', event: first, birth: second, name: ref.name ?? 'age' };
  return { kind: 'arith', op, left: first, right: second, name: ref.name ?? `${first.column}_${word}_${second.column}` };
}
