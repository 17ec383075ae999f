import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { OsirisError } from '../../errors.js';
import { maskSecrets } from '../../connections/secrets.js';
import { connectionSecrets, pgTarget, type PgTarget } from '../postgres/client.js';
import type { ResolvedConnection } from '../../connections/types.js';

/** A Supabase project reached through its REST API (PostgREST) with a service-role key. */
export interface RestTarget {
  label: string;
  /** Project URL, e.g. https://abcd.supabase.co */
  url: string;
  key: string;
  schema: string;
  /** Untyped: tables are only known at run time. */
  client: SupabaseClient<any, string, string>; // eslint-disable-line @typescript-eslint/no-explicit-any
  secrets: string[];
}

/** With `database_url` the project is plain PostgreSQL on the wire; otherwise its REST API. */
export type SupabaseTarget = { kind: 'wire'; pg: PgTarget } | { kind: 'rest'; rest: RestTarget };

/**
 * supabase-js builds a Realtime client up front and, on Node 20 (no global WebSocket), refuses to
 * start without a transport. Osiris never subscribes to Realtime: this one fails if ever used.
 */
class NoRealtime {
  constructor() {
    throw new Error('Supabase Realtime is not used by Osiris');
  }
}

export function supabaseTarget(connection: ResolvedConnection): SupabaseTarget {
  const values = connection.values;
  if (typeof values.database_url === 'string' && values.database_url !== '') return { kind: 'wire', pg: pgTarget(connection, 'database_url') };
  const label = `@supabase.${connection.alias}`;
  const { url, key } = values;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url) || typeof key !== 'string' || key === '') {
    throw new OsirisError('CONFIG_INVALID', `${label} needs "url" (https://<project>.supabase.co) and "key" (the service role key), or "database_url"`, {
      hint: `Add url: and key: \${SUPABASE_SERVICE_ROLE_KEY} to ${label} in osiris_connections.yaml (database_url: postgresql://... enables COPY and SQL queries).`,
    });
  }
  const schema = typeof values.schema === 'string' && values.schema !== '' ? values.schema : 'public';
  const client = createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    db: { schema },
    realtime: { transport: NoRealtime as never },
  });
  return { kind: 'rest', rest: { label, url, key, schema, client, secrets: connectionSecrets(connection, ['key']) } };
}

/** What a supabase-js (PostgREST) call resolves to. */
interface RestResponse<T> {
  data: T | null;
  error: { message: string; code?: string; hint?: string | null; details?: string | null } | null;
  status: number;
  count?: number | null;
}

const ATTEMPTS = 4;

/** fetch() hides the reason (ECONNREFUSED, ENOTFOUND...) in `cause`. */
function networkMessage(err: unknown): string {
  const error = err as (Error & { cause?: { code?: string } }) | undefined;
  return `${error?.message ?? String(err)}${error?.cause?.code ? ` (${error.cause.code})` : ''}`;
}
const RETRY_STATUS = (status: number) => status === 429 || status >= 500;

/**
 * Runs a REST request, retrying 429, 5xx and network failures with exponential backoff. `idempotent`
 * requests (reads, upserts, deletes) are also retried after a network failure; a plain insert is not,
 * since it may have been committed before the connection dropped. Errors name the connection and the
 * step, never the key: 401/403 are not retryable, an unreachable API is.
 */
export async function restCall<T>(target: RestTarget, context: string, request: () => PromiseLike<RestResponse<T>>, options: { idempotent: boolean } = { idempotent: true }): Promise<RestResponse<T>> {
  for (let attempt = 1; ; attempt++) {
    let response: RestResponse<T>;
    try {
      response = await request();
    } catch (err) {
      // supabase-js rethrows network errors of writes instead of returning them.
      response = { data: null, error: { message: networkMessage(err) }, status: 0 };
    }
    if (!response.error) return response;
    const network = response.status === 0;
    const again = network ? options.idempotent : RETRY_STATUS(response.status) && (options.idempotent || response.status === 429 || response.status === 503);
    if (!again || attempt === ATTEMPTS) throw restError(target, context, response.status, response.error);
    await sleep(200 * 2 ** (attempt - 1));
  }
}

export function restError(target: RestTarget, context: string, status: number, error: { message: string; code?: string; hint?: string | null }): OsirisError {
  const detail = maskSecrets(`${error.message}${error.hint ? ` (${error.hint})` : ''}`, target.secrets);
  const where = `${context}: ${target.label}`;
  if (status === 0) {
    return new OsirisError('CONNECTION_FAILED', `${where}: cannot reach the REST API at ${maskSecrets(target.url, target.secrets)} (${detail})`, {
      hint: `Check the url of ${target.label} and the network; the step is retried.`,
      retryable: true,
    });
  }
  if (status === 401 || status === 403) {
    return new OsirisError('CONNECTION_FAILED', `${where}: the REST API refused the key (HTTP ${status}: ${detail})`, {
      hint: `Set "key" of ${target.label} to the project's service role key (Project Settings > API), e.g. key: \${SUPABASE_SERVICE_ROLE_KEY}.`,
    });
  }
  if (RETRY_STATUS(status)) {
    return new OsirisError('TRANSIENT', `${where}: HTTP ${status} (${detail})`, { hint: 'The API is overloaded or failing; the step is retried with backoff.', retryable: true });
  }
  return new OsirisError('SQL_ERROR', `${where}: HTTP ${status} (${detail})`, { hint: 'Check the table and column names (they are case-sensitive) and the values written.' });
}

/** One column of a table as the REST schema (PostgREST's OpenAPI) describes it. */
export interface RestColumn {
  name: string;
  /** PostgreSQL type name, e.g. `integer`, `timestamp with time zone`, `text[]`. */
  type: string;
  nullable: boolean;
}

export interface RestTable {
  name: string;
  kind: 'table' | 'view';
  columns: RestColumn[];
  primaryKey: string[];
  foreignKeys: { columns: string[]; refTable: string; refColumns: string[] }[];
}

interface OpenApiDocument {
  definitions?: Record<string, { properties?: Record<string, { format?: string; description?: string }>; required?: string[] }>;
  paths?: Record<string, Record<string, unknown>>;
}

/**
 * Reads the REST schema from PostgREST's OpenAPI document at `/rest/v1/`: tables and views with
 * their columns; keys come from the `<pk/>` and `<fk table='..' column='..'/>` notes PostgREST puts
 * in column descriptions.
 */
export async function fetchRestSchema(target: RestTarget, context: string): Promise<Map<string, RestTable>> {
  const response = await restCall<OpenApiDocument>(target, context, async () => {
    let res: Response;
    try {
      res = await fetch(new URL('rest/v1/', target.url.endsWith('/') ? target.url : `${target.url}/`), {
        headers: { apikey: target.key, Authorization: `Bearer ${target.key}`, Accept: 'application/openapi+json', 'Accept-Profile': target.schema },
      });
    } catch (err) {
      return { data: null, error: { message: networkMessage(err) }, status: 0 };
    }
    const body = await res.text();
    if (!res.ok) return { data: null, error: { message: body.slice(0, 300) || res.statusText }, status: res.status };
    return { data: JSON.parse(body) as OpenApiDocument, error: null, status: res.status };
  });
  const document = response.data ?? {};
  const tables = new Map<string, RestTable>();
  for (const [name, definition] of Object.entries(document.definitions ?? {})) {
    const required = new Set(definition.required ?? []);
    const columns: RestColumn[] = [];
    const primaryKey: string[] = [];
    const foreignKeys: RestTable['foreignKeys'] = [];
    for (const [column, property] of Object.entries(definition.properties ?? {})) {
      columns.push({ name: column, type: property.format ?? 'text', nullable: !required.has(column) });
      const description = property.description ?? '';
      if (description.includes('<pk/>')) primaryKey.push(column);
      const fk = /<fk table='([^']+)' column='([^']+)'\/>/.exec(description);
      if (fk) foreignKeys.push({ columns: [column], refTable: fk[1]!, refColumns: [fk[2]!] });
    }
    // Views that cannot be written have no POST operation.
    const kind = document.paths?.[`/${name}`]?.post === undefined ? 'view' : 'table';
    tables.set(name, { name, kind, columns, primaryKey, foreignKeys });
  }
  return tables;
}

/** The table's REST schema, or a clear error when the API does not expose it. */
export async function requireRestTable(target: RestTarget, table: string, context: string): Promise<RestTable> {
  const found = (await fetchRestSchema(target, context)).get(table);
  if (!found) {
    throw new OsirisError('SQL_ERROR', `${context}: ${target.label} exposes no table or view "${table}" in schema "${target.schema}"`, {
      hint: 'Check the name (case-sensitive) and that the schema is exposed in the project API settings.',
    });
  }
  return found;
}
