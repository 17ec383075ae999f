import path from 'node:path';
import { z } from 'zod';
import { doubleQuote, type ConnectorFamily } from '../family.js';
import { sqliteExtractorSpec, sqliteWriterSpec } from './spec.js';

export const sqliteFamily: ConnectorFamily = {
  name: 'sqlite',
  components: [sqliteExtractorSpec, sqliteWriterSpec],
  connections: {
    schema: z.object({ path: z.string().min(1).describe('Database file, relative to the project directory') }),
    fileKeys: ['path'],
    builtin: {
      demo: {
        description: 'the bundled movies demo database',
        // Generated on first use, so importing the family never loads better-sqlite3.
        values: async ({ stateDir }) => ({ path: await (await import('./demo-db.js')).ensureDemoDatabase(path.join(stateDir, 'demo')) }),
      },
    },
  },
  quoteIdent: doubleQuote,
  async load() {
    const [{ runSqliteExtractor }, { runSqliteWriter }, { openSqliteDiscovery }] = await Promise.all([import('./extractor.js'), import('./writer.js'), import('./discovery.js')]);
    return { steps: { 'sqlite.extractor': runSqliteExtractor, 'sqlite.writer': runSqliteWriter }, openDiscovery: openSqliteDiscovery };
  },
};
