import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { OsirisError, type ErrorCode } from '../../errors.js';
import type { ResolvedConnection } from '../../connections/types.js';
import { maskSecrets, urlPasswords } from '../../connections/secrets.js';
import { doubleQuote } from '../family.js';

/** Where and how to reach one PostgreSQL database, with the secrets to keep out of every message. */
export interface PgTarget {
  /** `@postgres.main`: how messages name the connection (never its values). */
  label: string;
  config: pg.ClientConfig;
  /** Schema that unqualified table names refer to. */
  schema: string;
  secrets: string[];
}

/** A PostgreSQL identifier, double-quoted. */
export const quotePgIdent = doubleQuote;

export function qualifiedTable(target: PgTarget, table: string): string {
  return `${quotePgIdent(target.schema)}.${quotePgIdent(table)}`;
}

/** Secrets of a connection: the resolver's list plus passwords inside connection URLs and keys. */
export function connectionSecrets(connection: ResolvedConnection, keys: string[]): string[] {
  const secrets = [...(connection.secrets ?? [])];
  for (const key of keys) {
    const value = connection.values[key];
    if (typeof value !== 'string' || value === '') continue;
    if (key === 'password' || key === 'key') secrets.push(value);
    else secrets.push(...urlPasswords(value));
  }
  return secrets;
}

/**
 * Builds a target from connection values: `<urlKey>` (a postgres:// URL) or host/port/user/password/
 * database; `ssl: true` for servers that require TLS without saying so in the URL; `schema` (public).
 */
export function pgTarget(connection: ResolvedConnection, urlKey: 'url' | 'database_url'): PgTarget {
  const values = connection.values;
  const label = `@${connection.family}.${connection.alias}`;
  const text = (key: string): string | undefined => (typeof values[key] === 'string' && values[key] !== '' ? (values[key] as string) : undefined);
  const url = text(urlKey);
  const base: pg.ClientConfig = { connectionTimeoutMillis: 10_000, application_name: 'osiris' };
  let config: pg.ClientConfig;
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\//.test(url)) {
      throw new OsirisError('CONFIG_INVALID', `${label}: "${urlKey}" is not a postgres:// connection string`, {
        hint: `Set ${urlKey}: postgresql://user:\${DB_PASSWORD}@host:5432/database in osiris_connections.yaml.`,
      });
    }
    config = { ...base, connectionString: url };
  } else if (text('host') !== undefined || text('database') !== undefined) {
    config = { ...base, host: text('host') ?? 'localhost', port: Number(values.port ?? 5432), user: text('user'), password: text('password'), database: text('database') };
  } else {
    throw new OsirisError('CONFIG_INVALID', `${label} has neither "${urlKey}" nor host/database`, {
      hint: `Add ${urlKey}: postgresql://... (or host, port, user, password, database) to ${label} in osiris_connections.yaml.`,
    });
  }
  if (values.ssl === true) config.ssl = { rejectUnauthorized: false };
  return { label, config, schema: text('schema') ?? 'public', secrets: connectionSecrets(connection, [urlKey, 'password']) };
}

const CONNECT_ATTEMPTS = 3;
const NETWORK_ERRORS = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'];

function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return /timeout|Connection terminated/i.test(String((err as Error)?.message));
  // 08: connection exception; 57P01-03: server shutting down / starting; 53300: too many connections.
  return NETWORK_ERRORS.includes(code) || code.startsWith('08') || /^57P0[123]$/.test(code) || code === '53300';
}

/**
 * Opens a client, retrying network failures with backoff (a restarting server or a busy pooler
 * usually answers a second later). Authentication and unknown databases fail at once, not retryable.
 */
export async function connectPg(target: PgTarget): Promise<pg.Client> {
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client(target.config);
    // Errors on an idle client (server restart) surface on the next query; without a listener they crash the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      const transient = isConnectionError(err);
      if (!transient || attempt === CONNECT_ATTEMPTS) throw connectError(target, err, transient);
      await sleep(250 * 4 ** (attempt - 1));
    }
  }
}

function connectError(target: PgTarget, err: unknown, transient: boolean): OsirisError {
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const detail = maskSecrets((err as Error)?.message ?? String(err), target.secrets);
  if (code === '28P01' || code === '28000') {
    return new OsirisError('CONNECTION_FAILED', `${target.label}: the server refused the credentials (${detail})`, {
      hint: `Check the user and password of ${target.label} in osiris_connections.yaml.`,
      cause: err,
    });
  }
  if (transient) {
    return new OsirisError('CONNECTION_FAILED', `${target.label}: cannot reach the server (${detail})`, {
      hint: `Check the host and port of ${target.label}, and that the server is running and reachable from this machine.`,
      retryable: true,
      cause: err,
    });
  }
  return new OsirisError('CONNECTION_FAILED', `${target.label}: cannot connect (${detail})`, {
    hint: `Check the database name and settings of ${target.label} in osiris_connections.yaml.`,
    cause: err,
  });
}

/**
 * Turns a query failure into an OsirisError naming the step and connection: SQL mistakes and
 * constraint violations fail at once; lost connections, deadlocks and serialization failures retry.
 */
export function pgQueryError(target: PgTarget, err: unknown, context: string): OsirisError {
  if (err instanceof OsirisError || (err instanceof Error && err.name === 'AbortError')) return err as OsirisError;
  const code = String((err as { code?: unknown } | null)?.code ?? '');
  const detail = maskSecrets((err as Error)?.message ?? String(err), target.secrets);
  const message = `${context}: ${target.label}: ${detail}`;
  const kind = ((): [ErrorCode, boolean, string] => {
    if (code === '25006') return ['SQL_REFUSED', false, 'Source queries run in a read-only transaction: use a SELECT; writes belong in a writer step.'];
    if (code === '40001' || code === '40P01' || isConnectionError(err)) return ['TRANSIENT', true, 'A temporary failure; the step is retried with backoff.'];
    if (code === '42P10') return ['SQL_ERROR', false, 'upsert needs a PRIMARY KEY or UNIQUE constraint on the primary_key columns of the destination table.'];
    if (code === '21000') return ['SQL_ERROR', false, 'The input has several rows with the same primary_key: deduplicate it in a duckdb.processor step first.'];
    if (/^(42|22|23|0A|2B|3F|44)/.test(code)) return ['SQL_ERROR', false, 'Fix the SQL, or the table and column names, types and constraints it uses.'];
    return ['TRANSIENT', true, 'The step is retried with backoff; if it keeps failing, check the server log.'];
  })();
  return new OsirisError(kind[0], message, { hint: kind[2], retryable: kind[1], cause: err });
}

/**
 * Session settings that fix the text form of values, so parsing never depends on server defaults:
 * ISO dates, UTC offsets, hex bytea. SET LOCAL keeps them inside the transaction (safe behind poolers).
 */
export const TEXT_FORMAT_SETTINGS = "SET LOCAL DateStyle = 'ISO, YMD'; SET LOCAL TimeZone = 'UTC'; SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 3; SET LOCAL bytea_output = 'hex'";
