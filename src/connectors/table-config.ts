import { z } from 'zod';
import { OsirisError } from '../errors.js';

/**
 * Config shared by the database components: extractors read a `query` or a `table` (with columns,
 * where, order and limit); writers write a `table` in a write mode. One definition, so every
 * family validates and builds its SQL the same way.
 */
const batchSize = z.number().int().min(1).max(1_000_000).optional();

export function tableSourceFields(family: string, help: { table: string; batchSize: string }) {
  return {
    connection: z.string().describe(`Connection reference, e.g. @${family}.main`),
    query: z.string().min(1).optional().describe('A single SELECT; mutually exclusive with table'),
    table: z.string().min(1).optional().describe(help.table),
    columns: z.array(z.string().min(1)).min(1).optional().describe('Columns to read (with table)'),
    where: z.string().min(1).optional().describe('SQL filter expression (with table)'),
    limit: z.number().int().min(0).optional().describe('Maximum rows (with table)'),
    batch_size: batchSize.describe(help.batchSize),
  };
}

export function tableWriterFields(family: string, help: { table: string; batchSize: string }) {
  return {
    connection: z.string().describe(`Connection reference, e.g. @${family}.main`),
    table: z.string().min(1).describe(help.table),
    write_mode: z.enum(['append', 'replace', 'upsert']).default('append'),
    primary_key: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('Key column(s); needed by upsert and replace'),
    create_if_missing: z.boolean().default(true),
    batch_size: batchSize.describe(help.batchSize),
  };
}

// Type aliases, not interfaces: the specs' parsed config (a plain record) casts to them.
export type TableSourceConfig = {
  connection: string;
  query?: string;
  table?: string;
  columns?: string[];
  where?: string;
  /** Only some families offer it (PostgreSQL pages by it). */
  order_by?: string[];
  limit?: number;
  batch_size?: number;
};

export type TableWriterConfig = {
  connection: string;
  table: string;
  write_mode: 'append' | 'replace' | 'upsert';
  primary_key?: string | string[];
  create_if_missing: boolean;
  batch_size?: number;
};

/** Exactly one of query / table, and the table-only keys only with a table. */
export function checkTableSource(config: TableSourceConfig, stepId: string): void {
  if ((config.query === undefined) === (config.table === undefined)) {
    throw new OsirisError('CONFIG_INVALID', `Step "${stepId}": give exactly one of "query" or "table"`, {
      hint: 'Set `table: <name>` to read a whole table, or `query: SELECT ...` for a custom query.',
    });
  }
  const tableOnly = (['columns', 'where', 'order_by', 'limit'] as const).filter((key) => config[key] !== undefined);
  if (config.query !== undefined && tableOnly.length > 0) {
    throw new OsirisError('CONFIG_INVALID', `Step "${stepId}": ${tableOnly.map((k) => `"${k}"`).join(', ')} apply only with "table"`, {
      hint: 'Put the column list, filter, ordering and limit into the query itself.',
    });
  }
}

/** `SELECT <columns> FROM <table> [WHERE] [ORDER BY] [LIMIT]` with the family's identifier quoting. */
export function selectFromTable(config: TableSourceConfig, quoteIdent: (name: string) => string, quotedTable: string): string {
  const select = config.columns?.map(quoteIdent).join(', ') ?? '*';
  const where = config.where === undefined ? '' : ` WHERE ${config.where}`;
  const order = config.order_by === undefined ? '' : ` ORDER BY ${config.order_by.map(quoteIdent).join(', ')}`;
  const limit = config.limit === undefined ? '' : ` LIMIT ${config.limit}`;
  return `SELECT ${select} FROM ${quotedTable}${where}${order}${limit}`;
}

/** `primary_key` as a list; replace and upsert match rows by it, so they cannot go without one. */
export function writerPrimaryKey(config: Pick<TableWriterConfig, 'primary_key' | 'write_mode'>, stepId: string): string[] {
  const primaryKey = config.primary_key === undefined ? [] : [config.primary_key].flat();
  if (config.write_mode !== 'append' && primaryKey.length === 0) {
    throw new OsirisError('CONFIG_INVALID', `Step "${stepId}": write_mode ${config.write_mode} needs primary_key`, {
      hint: 'Set `primary_key: <column>` (or a list of columns) that identifies a row.',
    });
  }
  return primaryKey;
}

/** Every key column must be a column of the input table. */
export function checkKeyColumns(primaryKey: readonly string[], columns: readonly { name: string }[], input: string, stepId: string): void {
  const missing = primaryKey.filter((key) => !columns.some((column) => column.name === key));
  if (missing.length > 0) {
    throw new OsirisError('CONFIG_INVALID', `Step "${stepId}": primary_key column(s) ${missing.join(', ')} not in the input table ${input}`, {
      hint: `Choose primary_key among: ${columns.map((column) => column.name).join(', ')}.`,
    });
  }
}
