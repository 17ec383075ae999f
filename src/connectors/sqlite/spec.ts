import { z } from 'zod';
import type { ComponentSpec } from '../spec.js';

const batchSize = z.number().int().min(1).max(1_000_000).optional().describe('Rows per batch appended to DuckDB (default 10000)');

export const sqliteExtractorSpec: ComponentSpec = {
  name: 'sqlite.extractor',
  version: '1.0.0',
  family: 'sqlite',
  modes: ['read'],
  description: 'Reads a SQLite table or query (read-only) into the run workspace, in batches.',
  config: z.strictObject({
    connection: z.string().describe('Connection reference, e.g. @sqlite.demo'),
    query: z.string().min(1).optional().describe('A single SELECT; mutually exclusive with table'),
    table: z.string().min(1).optional().describe('Table to read; mutually exclusive with query'),
    columns: z.array(z.string().min(1)).min(1).optional().describe('Columns to read (with table)'),
    where: z.string().min(1).optional().describe('Filter expression (with table)'),
    limit: z.number().int().min(0).optional().describe('Maximum rows (with table)'),
    batch_size: batchSize,
  }),
  connectionKeys: ['connection'],
  transformSqlKeys: [],
  outputPathKeys: [],
  example: { connection: '@sqlite.demo', table: 'movies' },
};

export const sqliteWriterSpec: ComponentSpec = {
  name: 'sqlite.writer',
  version: '1.0.0',
  family: 'sqlite',
  modes: ['write'],
  description: 'Writes the input table into a SQLite table: append, replace (atomic) or upsert.',
  config: z.strictObject({
    connection: z.string().describe('Connection reference, e.g. @sqlite.local'),
    table: z.string().min(1).describe('Destination table'),
    write_mode: z.enum(['append', 'replace', 'upsert']).default('append'),
    primary_key: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    create_if_missing: z.boolean().default(true),
    batch_size: batchSize,
  }),
  connectionKeys: ['connection'],
  transformSqlKeys: [],
  outputPathKeys: [],
  example: { connection: '@sqlite.local', table: 'top_movies', write_mode: 'upsert', primary_key: 'title' },
};
