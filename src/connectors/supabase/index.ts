import { z } from 'zod';
import { connectionValue as v, doubleQuote, type ConnectorFamily } from '../family.js';
import { pgServerFields } from '../postgres/index.js';
import { supabaseExtractorSpec, supabaseWriterSpec } from './spec.js';

export const supabaseFamily: ConnectorFamily = {
  name: 'supabase',
  components: [supabaseExtractorSpec, supabaseWriterSpec],
  connections: {
    schema: z.object({
      url: v.text('Project URL, https://<project>.supabase.co').optional(),
      key: v.text('Service role key; write ${ENV_VAR}').optional(),
      database_url: v.text('postgresql:// URL: enables COPY, transactions and SQL queries').optional(),
      ...pgServerFields,
    }),
  },
  quoteIdent: doubleQuote,
  async load() {
    const [{ runSupabaseExtractor }, { runSupabaseWriter }, { openSupabaseDiscovery }] = await Promise.all([import('./extractor.js'), import('./writer.js'), import('./discovery.js')]);
    return { steps: { 'supabase.extractor': runSupabaseExtractor, 'supabase.writer': runSupabaseWriter }, openDiscovery: openSupabaseDiscovery };
  },
};
