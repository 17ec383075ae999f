/** Which column orders a table's rows in time ("their most recent movie", "per month"). */
import type { ColumnRef } from './intent-types.js';
import { isDateLike, type SchemaModel } from './schema-model.js';

/** The date a table's rows are ordered by in time: its one date-like column, a typed date first. */
export function recencyColumn(model: SchemaModel, table: string): ColumnRef | undefined {
  const dated = model.table(table)?.columns.filter((c) => isDateLike(c)) ?? [];
  const best = dated.find((c) => /DATE|TIME/i.test(c.type)) ?? dated.find((c) => /(?:^|_)(?:date|year)$/i.test(c.name)) ?? dated[0];
  return best && { table, column: best.name };
}
