import { z } from 'zod';
import type { ComponentSpec } from '../spec.js';

/**
 * Extractor and writer specs for a PostgreSQL-speaking family. `postgres` and `supabase` share the
 * config keys (the supabase components run the same code when `database_url` is set); `notes` says
 * what differs for that family.
 */
export function pgComponentSpecs(family: 'postgres' | 'supabase', notes: { extractor: string; writer: string }): { extractor: ComponentSpec; writer: ComponentSpec } {
  const connection = z.string().describe(`Connection reference, e.g. @${family}.main`);
  const batchSize = z.number().int().min(1).max(1_000_000).optional();
  return {
    extractor: {
      name: `${family}.extractor`,
      version: '1.0.0',
      family,
      modes: ['read'],
      description: `Reads a table or query into the run workspace in batches, inside a read-only transaction. ${notes.extractor}`,
      config: z.strictObject({
        connection,
        query: z.string().min(1).optional().describe('A single SELECT; mutually exclusive with table'),
        table: z.string().min(1).optional().describe('Table or view to read (in the connection schema, default public)'),
        columns: z.array(z.string().min(1)).min(1).optional().describe('Columns to read (with table)'),
        where: z.string().min(1).optional().describe('SQL filter expression (with table)'),
        order_by: z.array(z.string().min(1)).min(1).optional().describe('Columns rows are ordered by (with table; default the primary key)'),
        limit: z.number().int().min(0).optional().describe('Maximum rows (with table)'),
        batch_size: batchSize.describe('Rows fetched per round trip (default 10000; 1000 over the REST API)'),
      }),
      connectionKeys: ['connection'],
      transformSqlKeys: [],
      outputPathKeys: [],
      example: { connection: `@${family}.main`, table: 'orders', columns: ['id', 'customer_id', 'total'] },
    },
    writer: {
      name: `${family}.writer`,
      version: '1.0.0',
      family,
      modes: ['write'],
      description: `Writes the input table into a table: append, replace or upsert (INSERT ... ON CONFLICT). ${notes.writer}`,
      config: z.strictObject({
        connection,
        table: z.string().min(1).describe('Destination table (in the connection schema, default public)'),
        write_mode: z.enum(['append', 'replace', 'upsert']).default('append'),
        primary_key: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
        create_if_missing: z.boolean().default(true),
        batch_size: batchSize.describe('Rows per COPY progress report, or per request over the REST API (default 10000 / 1000)'),
      }),
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
