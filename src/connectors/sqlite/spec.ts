import { z } from 'zod';
import type { ComponentSpec } from '../spec.js';
import { tableSourceFields, tableWriterFields } from '../table-config.js';

const help = { batchSize: 'Rows per batch (default 10000)' };

export const sqliteExtractorSpec: ComponentSpec = {
  name: 'sqlite.extractor',
  version: '1.0.0',
  family: 'sqlite',
  modes: ['read'],
  description: 'Reads a SQLite table or query (read-only) into the run workspace, in batches.',
  config: z.strictObject(tableSourceFields('sqlite', { ...help, table: 'Table to read; mutually exclusive with query' })),
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
  config: z.strictObject(tableWriterFields('sqlite', { ...help, table: 'Destination table' })),
  connectionKeys: ['connection'],
  transformSqlKeys: [],
  outputPathKeys: [],
  example: { connection: '@sqlite.local', table: 'top_movies', write_mode: 'upsert', primary_key: 'title' },
};
