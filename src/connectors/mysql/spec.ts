import { z } from 'zod';
import type { ComponentSpec } from '../spec.js';

const batchSize = z.number().int().min(1).max(1_000_000).optional().describe('Rows per batch (default 10000); progress is reported per batch');

export const mysqlExtractorSpec: ComponentSpec = {
  name: 'mysql.extractor',
  version: '1.0.0',
  family: 'mysql',
  modes: ['read'],
  description: 'Streams a MySQL/MariaDB table or query, in a read-only transaction, into the run workspace in batches (flat memory).',
  config: z.strictObject({
    connection: z.string().describe('Connection reference, e.g. @mysql.movies'),
    query: z.string().min(1).optional().describe('A single SELECT; mutually exclusive with table'),
    table: z.string().min(1).optional().describe('Table (or database.table) to read; mutually exclusive with query'),
    columns: z.array(z.string().min(1)).min(1).optional().describe('Columns to read (with table)'),
    where: z.string().min(1).optional().describe('Filter expression (with table)'),
    limit: z.number().int().min(0).optional().describe('Maximum rows (with table)'),
    batch_size: batchSize,
  }),
  connectionKeys: ['connection'],
  transformSqlKeys: [],
  outputPathKeys: [],
  example: { connection: '@mysql.movies', table: 'movies', columns: ['movie_id', 'title'], where: 'release_year >= 2000' },
};

export const mysqlWriterSpec: ComponentSpec = {
  name: 'mysql.writer',
  version: '1.0.0',
  family: 'mysql',
  modes: ['write'],
  description: 'Writes the input table into a MySQL/MariaDB table: append, replace (staging table + atomic RENAME) or upsert (ON DUPLICATE KEY UPDATE).',
  config: z.strictObject({
    connection: z.string().describe('Connection reference, e.g. @mysql.warehouse'),
    table: z.string().min(1).describe('Destination table'),
    write_mode: z.enum(['append', 'replace', 'upsert']).default('append'),
    primary_key: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional().describe('Key column(s); needed by upsert and replace'),
    create_if_missing: z.boolean().default(true),
    batch_size: batchSize,
  }),
  connectionKeys: ['connection'],
  transformSqlKeys: [],
  outputPathKeys: [],
  example: { connection: '@mysql.warehouse', table: 'top_movies', write_mode: 'upsert', primary_key: 'movie_id' },
};
