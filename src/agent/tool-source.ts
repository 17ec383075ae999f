/**
 * A connection as the tools see it: opened lazily (results served from the discovery cache never
 * touch the database), closed after use, and with secret values masked out of every error.
 */
import type { DiscoveryClient, TableDetail, TableSummary } from '../connectors/discovery.js';
import { maskError } from '../connections/secrets.js';
import { connectionFingerprint } from './discovery-cache.js';
import type { ToolContext } from './tool-context.js';

export interface Source {
  /** The `@family.alias` reference: the only name of the connection a result may carry. */
  ref: string;
  fingerprint: string;
  /** Opened on first use, so results served from the cache never touch the database. */
  client(): Promise<DiscoveryClient>;
}

type SourceContext = Pick<ToolContext, 'resolveConnection' | 'openDiscovery'>;

export async function withSource<T>(ctx: SourceContext, ref: string, use: (source: Source) => Promise<T>): Promise<T> {
  const resolved = await ctx.resolveConnection(ref);
  let opened: Promise<DiscoveryClient> | undefined;
  const source: Source = { ref, fingerprint: connectionFingerprint(resolved), client: () => (opened ??= ctx.openDiscovery(resolved)) };
  try {
    return await use(source);
  } catch (err) {
    throw maskError(err, resolved.secrets ?? []);
  } finally {
    await opened?.then((client) => client.close()).catch(() => undefined);
  }
}

/** Tables described in full, up to this many; beyond it the schema lists names only (describe_table on demand). */
const MAX_DESCRIBED_TABLES = 100;

/**
 * The schema of a connection for the system prompt, through the same cache entries as list_tables and
 * describe_table, so a later tool call is served from the cache.
 */
export async function discoverSchema(ctx: SourceContext & Pick<ToolContext, 'cache'>, connection: string): Promise<(TableDetail | TableSummary)[]> {
  return withSource(ctx, connection, async (source) => {
    const tables = (await ctx.cache.getOrLoad(source.fingerprint, 'tables', '', async () => (await source.client()).listTables())).value;
    const described: (TableDetail | TableSummary)[] = [];
    for (const [index, table] of tables.entries()) {
      if (index >= MAX_DESCRIBED_TABLES) described.push(table);
      else described.push((await ctx.cache.getOrLoad(source.fingerprint, 'table', table.name, async () => (await source.client()).describeTable(table.name))).value);
    }
    return described;
  });
}

