import { z } from 'zod';
import { connectionValue as v, doubleQuote, type ConnectorFamily } from '../family.js';
import { postgresExtractorSpec, postgresWriterSpec } from './spec.js';

/** The wire-protocol keys, shared with supabase's `database_url` mode. */
export const pgServerFields = {
  host: v.text('Server host name (or give url)').optional(),
  port: v.port('Server port (5432)').optional(),
  user: v.text('User name').optional(),
  password: v.text('Password; write ${ENV_VAR}').optional(),
  database: v.text('Database name').optional(),
  schema: v.text('Schema of unqualified tables (public)').optional(),
  ssl: v.flag('TLS without verifying the server certificate').optional(),
};

export const postgresFamily: ConnectorFamily = {
  name: 'postgres',
  components: [postgresExtractorSpec, postgresWriterSpec],
  connections: {
    schema: z.object({ url: v.text('postgres:// URL (instead of host, port, user, password, database)').optional(), ...pgServerFields }),
  },
  quoteIdent: doubleQuote,
  async load() {
    const [{ runPostgresExtractor }, { runPostgresWriter }, { openPostgresDiscovery }] = await Promise.all([import('./extractor.js'), import('./writer.js'), import('./discovery.js')]);
    return { steps: { 'postgres.extractor': runPostgresExtractor, 'postgres.writer': runPostgresWriter }, openDiscovery: openPostgresDiscovery };
  },
};
