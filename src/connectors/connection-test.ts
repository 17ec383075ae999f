import { openDiscovery } from './families.js';
import type { ResolvedConnection } from '../connections/types.js';

/**
 * Opens a resolved connection for real and says what it found (`osiris connections test`). The
 * detail never repeats connection values: it may be printed or logged.
 */
export async function testConnection(connection: ResolvedConnection): Promise<string> {
  const discovery = await openDiscovery(connection);
  try {
    const tables = await discovery.listTables();
    return `${tables.length} tables and views`;
  } finally {
    await discovery.close();
  }
}
