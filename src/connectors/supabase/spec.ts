import { pgComponentSpecs } from '../postgres/spec.js';

const supabase = pgComponentSpecs('supabase', {
  extractor: 'With database_url: the PostgreSQL wire protocol. With only url + key: the REST API, paged and ordered by key (no query or where there).',
  writer:
    'With database_url: one transaction per write (COPY), replace atomic. With only url + key: batched REST requests; replace deletes then inserts (not atomic), append needs primary_key or a single batch, and missing tables must be created first (the error prints the CREATE TABLE).',
});

export const supabaseExtractorSpec = supabase.extractor;
export const supabaseWriterSpec = supabase.writer;
