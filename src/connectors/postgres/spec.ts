import { z } from 'zod';
import type { ComponentSpec } from '../spec.js';
import { tableSourceFields, tableWriterFields } from '../table-config.js';

/**
 * Extractor and writer specs for a PostgreSQL-speaking family. `postgres` and `supabase` share the
 * config keys (the supabase components run the same code when `database_url` is set); `notes` says
 * what differs for that family.
 */
export function pgComponentSpecs(family: 'postgres' | 'supabase', notes: { extractor: string; writer: string }): { extractor: ComponentSpec; writer: ComponentSpec } {
  return {
    extractor: {
      name: `${family}.extractor`,
      version: '1.0.0',
      family,
      modes: ['read'],
      description: `Reads a table or query into the run workspace with COPY, inside a read-only transaction. ${notes.extractor}`,
      config: z.strictObject({
        ...tableSourceFields(family, {
          table: 'Table or view to read (in the connection schema, default public)',
          batchSize: 'Rows per progress report (default 10000), or per request over the REST API (default 1000)',
        }),
        order_by: z.array(z.string().min(1)).min(1).optional().describe('Columns rows are ordered by (with table; default the primary key)'),
      }),
      connectionKeys: ['connection'],
      transformSqlKeys: [],
      outputPathKeys: [],
      // Over the REST API supabase rows arrive as JSON batches, not CSV.
      ...(family === 'postgres' ? { storesOutputAs: ['parquet' as const] } : {}),
      example: { connection: `@${family}.main`, table: 'orders', columns: ['id', 'customer_id', 'total'] },
    },
    writer: {
      name: `${family}.writer`,
      version: '1.0.0',
      family,
      modes: ['write'],
      description: `Writes the input table into a table: append, replace or upsert (INSERT ... ON CONFLICT). ${notes.writer}`,
      config: z.strictObject(
        tableWriterFields(family, {
          table: 'Destination table (in the connection schema, default public)',
          batchSize: 'Rows per COPY progress report, or per request over the REST API (default 10000 / 1000)',
        }),
      ),
      connectionKeys: ['connection'],
      transformSqlKeys: [],
      outputPathKeys: [],
      example: { connection: `@${family}.main`, table: 'top_movies', write_mode: 'upsert', primary_key: 'movie_id' },
    },
  };
}

const postgres = pgComponentSpecs('postgres', {
  extractor: 'Connection: host/port/user/password/database or url.',
  writer: 'Each write is one transaction (COPY): a failed or retried attempt leaves nothing behind, and replace is atomic.',
});

export const postgresExtractorSpec = postgres.extractor;
export const postgresWriterSpec = postgres.writer;
