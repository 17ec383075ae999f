import { OsirisError } from '../../errors.js';
import { toJsonValue, type DiscoveryClient, type JsonValue, type RowSet, type SearchHit, type TableDetail } from '../discovery.js';
import { isTextType, openPgDiscovery } from '../postgres/discovery.js';
import type { ResolvedConnection } from '../../connections/types.js';
import { fetchRestSchema, requireRestTable, restCall, supabaseTarget, type RestTarget } from './client.js';

const jsonValue = (value: unknown): JsonValue => (typeof value === 'object' && value !== null ? JSON.stringify(value) : toJsonValue(value));

/** `supabase` family discovery: the catalog with `database_url`, otherwise the REST schema. */
export async function openSupabaseDiscovery(connection: ResolvedConnection): Promise<DiscoveryClient> {
  const target = supabaseTarget(connection);
  return target.kind === 'wire' ? openPgDiscovery(target.pg) : openRestDiscovery(target.rest);
}

/** Discovery through PostgREST: its OpenAPI document for the schema, GET requests for data. */
async function openRestDiscovery(target: RestTarget): Promise<DiscoveryClient> {
  // Fails early (wrong key, unreachable URL) like opening a database connection would.
  await fetchRestSchema(target, 'discovery');
  const describe = async (table: string): Promise<TableDetail> => {
    const found = await requireRestTable(target, table, 'discovery');
    const { count } = await restCall(target, `counting ${table}`, () => target.client.from(table).select('*', { count: 'estimated', head: true }).retry(false));
    return { name: found.name, kind: found.kind, ...(typeof count === 'number' ? { rowEstimate: count } : {}), columns: found.columns, primaryKey: found.primaryKey, foreignKeys: found.foreignKeys };
  };
  const rows = async (table: string, limit: number, filter?: { column: string; pattern: string }): Promise<RowSet> => {
    const detail = await requireRestTable(target, table, 'discovery');
    const { data } = await restCall(target, `reading ${table}`, () => {
      const query = target.client.from(table).select('*');
      return (filter ? query.ilike(filter.column, filter.pattern) : query).limit(limit + 1).retry(false);
    });
    const found = (data ?? []) as unknown as Record<string, unknown>[];
    const columns = detail.columns.map((c) => c.name);
    return { columns, rows: found.slice(0, limit).map((row) => columns.map((c) => jsonValue(row[c]))), truncated: found.length > limit };
  };

  return {
    async listTables() {
      return [...(await fetchRestSchema(target, 'discovery')).values()].map((t) => ({ name: t.name, kind: t.kind }));
    },
    describeTable: describe,
    sampleRows: (table, limit) => rows(table, limit),
    async search(term, options) {
      const hits: SearchHit[] = [];
      const schema = await fetchRestSchema(target, 'discovery');
      const pattern = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      for (const table of options.tables ?? [...schema.keys()]) {
        for (const column of schema.get(table)?.columns.filter((c) => isTextType(c.type)) ?? []) {
          const found = await rows(table, options.limitPerColumn, { column: column.name, pattern });
          for (const row of found.rows) hits.push({ table, column: column.name, row: Object.fromEntries(found.columns.map((c, i) => [c, row[i]!])) });
        }
      }
      return hits;
    },
    async previewQuery() {
      throw new OsirisError('CONFIG_INVALID', `${target.label} has only the REST API (url + key): SQL queries cannot run there`, {
        hint: `Add database_url: postgresql://... to ${target.label} in osiris_connections.yaml, or sample a table instead.`,
      });
    },
    async close() {},
  };
}
