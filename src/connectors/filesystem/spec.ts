import { z } from 'zod';
import type { ComponentSpec } from '../spec.js';

const path = z.string().min(1);

export const csvExtractorSpec: ComponentSpec = {
  name: 'filesystem.csv_extractor',
  version: '1.0.0',
  family: 'filesystem',
  modes: ['read'],
  description: 'Reads a CSV file (path relative to the project directory) into the run workspace.',
  config: z.strictObject({
    path: path.describe('CSV file to read'),
    delimiter: z.string().length(1).optional().describe('Field delimiter (default: detected)'),
    header: z.boolean().default(true).describe('First line holds column names'),
  }),
  connectionKeys: [],
  transformSqlKeys: [],
  outputPathKeys: [],
  inputPathKeys: ['path'],
  example: { path: 'data/orders.csv' },
};

export const csvWriterSpec: ComponentSpec = {
  name: 'filesystem.csv_writer',
  version: '1.0.0',
  family: 'filesystem',
  modes: ['write'],
  description: 'Writes the input table to a CSV file under the output directory (replaced atomically).',
  config: z.strictObject({
    path: path.describe('Output file, relative to the output directory'),
    delimiter: z.string().length(1).default(','),
    header: z.boolean().default(true),
  }),
  connectionKeys: [],
  transformSqlKeys: [],
  outputPathKeys: ['path'],
  example: { path: 'output/top_rated.csv' },
};

export const parquetWriterSpec: ComponentSpec = {
  name: 'filesystem.parquet_writer',
  version: '1.0.0',
  family: 'filesystem',
  modes: ['write'],
  description: 'Writes the input table to a Parquet file under the output directory (replaced atomically).',
  config: z.strictObject({
    path: path.describe('Output file, relative to the output directory'),
    compression: z.enum(['snappy', 'zstd', 'gzip', 'uncompressed']).default('snappy'),
  }),
  connectionKeys: [],
  transformSqlKeys: [],
  outputPathKeys: ['path'],
  writesFile: (config) => ({ format: 'parquet', compression: String(config.compression) }),
  example: { path: 'output/top_rated.parquet' },
};

export const jsonWriterSpec: ComponentSpec = {
  name: 'filesystem.json_writer',
  version: '1.0.0',
  family: 'filesystem',
  modes: ['write'],
  description: 'Writes the input table as JSON under the output directory: newline-delimited or one array.',
  config: z.strictObject({
    path: path.describe('Output file, relative to the output directory'),
    format: z.enum(['ndjson', 'array']).default('ndjson'),
  }),
  connectionKeys: [],
  transformSqlKeys: [],
  outputPathKeys: ['path'],
  example: { path: 'output/top_rated.json', format: 'array' },
};
