import { z } from 'zod';
import type { ComponentSpec } from '../spec.js';
import { tableSourceFields, tableWriterFields } from '../table-config.js';

const help = { batchSize: 'Rows per batch (default 10000); progress is reported per batch' };

export const mysqlExtractorSpec: ComponentSpec = {
  name: 'mysql.extractor',
  version: '1.0.0',
  family: 'mysql',
  modes: ['read'],
  description: 'Streams a MySQL/MariaDB table or query, in a read-only transaction, into the run workspace in batches (flat memory).',
  config: z.strictObject(tableSourceFields('mysql', { ...help, table: 'Table (or database.table) to read; mutually exclusive with query' })),
  connectionKeys: ['connection'],
  transformSqlKeys: [],
  outputPathKeys: [],
  storesOutputAs: ['parquet'],
  example: { connection: '@mysql.movies', table: 'movies', columns: ['movie_id', 'title'], where: 'release_year >= 2000' },
};

export const mysqlWriterSpec: ComponentSpec = {
  name: 'mysql.writer',
  version: '1.0.0',
  family: 'mysql',
  modes: ['write'],
  description: 'Writes the input table into a MySQL/MariaDB table: append, replace (staging table + atomic RENAME) or upsert (ON DUPLICATE KEY UPDATE).',
  config: z.strictObject(tableWriterFields('mysql', { ...help, table: 'Destination table' })),
  connectionKeys: ['connection'],
  transformSqlKeys: [],
  outputPathKeys: [],
  example: { connection: '@mysql.warehouse', table: 'top_movies', write_mode: 'upsert', primary_key: 'movie_id' },
};
