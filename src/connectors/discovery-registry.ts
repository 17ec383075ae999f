import { OsirisError } from '../errors.js';
import type { DiscoveryClient } from './discovery.js';
import { openPostgresDiscovery } from './postgres/discovery.js';
import { openMysqlDiscovery } from './mysql/discovery.js';
import { openSqliteDiscovery } from './sqlite/discovery.js';
import { openSupabaseDiscovery } from './supabase/discovery.js';
import type { ResolvedConnection } from '../connections/types.js';

type DiscoveryFactory = (connection: ResolvedConnection) => Promise<DiscoveryClient>;

/** Connection family -> discovery. Loads native drivers: never import from workflow code. */
const factories: ReadonlyMap<string, DiscoveryFactory> = new Map<string, DiscoveryFactory>([
  ['sqlite', openSqliteDiscovery],
  ['mysql', openMysqlDiscovery],
  ['postgres', openPostgresDiscovery],
  ['supabase', openSupabaseDiscovery],
]);

export const discoveryFamilies = (): string[] => [...factories.keys()];

export function openDiscovery(connection: ResolvedConnection): Promise<DiscoveryClient> {
  const factory = factories.get(connection.family);
  if (!factory) {
    throw new OsirisError('CONFIG_INVALID', `No connector for the "${connection.family}" family in this build`, {
      hint: `Connectors available: ${discoveryFamilies().join(', ')}. Remove the connection or use a supported family.`,
    });
  }
  return factory(connection);
}
