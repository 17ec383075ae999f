import { z } from 'zod';
import type { ComponentSpec } from '../spec.js';

export const duckdbProcessorSpec: ComponentSpec = {
  name: 'duckdb.processor',
  version: '1.0.0',
  modes: ['transform'],
  description: 'Runs one read-only DuckDB SELECT over the outputs of earlier steps (df_<id> tables).',
  config: z.strictObject({
    query: z.string().min(1).describe('A single read-only SELECT; earlier outputs are tables df_<step_id>'),
  }),
  connectionKeys: [],
  transformSqlKeys: ['query'],
  outputPathKeys: [],
  example: { query: 'SELECT title, rating FROM df_extract_movies WHERE rating > 8' },
};
