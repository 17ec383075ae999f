import { OsirisError } from '../errors.js';
import { openSqlite } from './sqlite/client.js';
import type { ResolvedConnection } from './types.js';

/**
 * Opens a resolved connection for real and says what it found (`osiris connections test`). The
 * detail never repeats connection values: it may be printed or logged.
 */
export async function testConnection(connection: ResolvedConnection): Promise<string> {
  switch (connection.family) {
    case 'sqlite': {
      const file = connection.values.path;
      if (typeof file !== 'string' || file === '') {
        throw new OsirisError('CONFIG_INVALID', `@sqlite.${connection.alias} has no "path"`, { hint: 'Add "path: <file.sqlite>" to it in osiris_connections.yaml.' });
      }
      let db;
      try {
        db = openSqlite(file, 'read');
      } catch (err) {
        throw new OsirisError('CONNECTION_FAILED', `@sqlite.${connection.alias}: cannot open the database file (${(err as { code?: string }).code ?? 'error'})`, {
          hint: 'Check that the path in osiris_connections.yaml points at an existing SQLite file.',
        });
      }
      try {
        const { n } = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type IN ('table', 'view')").get() as { n: bigint };
        return `${n} tables and views`;
      } finally {
        db.close();
      }
    }
    default:
      throw new OsirisError('CONFIG_INVALID', `No connector for the "${connection.family}" family in this build`, {
        hint: 'Connectors available: sqlite. Remove the connection or use a supported family.',
      });
  }
}
