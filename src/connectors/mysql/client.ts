import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import mysql, { type PoolConnection, type PoolOptions } from 'mysql2/promise';
import { OsirisError } from '../../errors.js';
import { maskSecrets } from '../../connections/secrets.js';
import type { ResolvedConnection } from '../../connections/types.js';
import { quoteMysqlIdent } from './index.js';

export { quoteMysqlIdent };

/** `table` or `database.table`, each part backquoted. */
export function quoteMysqlTable(name: string): string {
  return name.split('.').map(quoteMysqlIdent).join('.');
}

/**
 * Driver options every Osiris connection uses: values arrive exact (BIGINT, DECIMAL and dates as
 * text, JSON unparsed) so nothing is rounded or shifted by time zones on the way to DuckDB.
 */
const EXACT_VALUES = { supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false, dateStrings: true, jsonStrings: true, timezone: 'Z' } as const;

/** mysql2 pool options from `@mysql.alias` values (host, port, user, password, database, ssl*, timeouts). */
export function mysqlPoolOptions(connection: ResolvedConnection): PoolOptions {
  const values = connection.values;
  const text = (key: string): string | undefined => (values[key] === undefined || values[key] === '' ? undefined : String(values[key]));
  const number = (key: string, fallback: number): number => {
    const value = values[key] === undefined ? fallback : Number(values[key]);
    if (!Number.isFinite(value) || value <= 0) {
      throw new OsirisError('CONFIG_INVALID', `@mysql.${connection.alias}: "${key}" must be a positive number`, { hint: `Fix ${key} of @mysql.${connection.alias} in osiris_connections.yaml.` });
    }
    return value;
  };
  const host = text('host');
  if (host === undefined) {
    throw new OsirisError('CONFIG_INVALID', `@mysql.${connection.alias} has no "host"`, { hint: `Add "host:" (and port, user, password, database) to @mysql.${connection.alias} in osiris_connections.yaml.` });
  }
  return {
    ...EXACT_VALUES,
    host,
    port: number('port', 3306),
    user: text('user') ?? text('username'),
    password: text('password'),
    database: text('database'),
    charset: 'utf8mb4_unicode_ci',
    connectTimeout: number('connect_timeout_ms', 10_000),
    connectionLimit: number('pool_size', 4),
    enableKeepAlive: true,
    ssl: sslOptions(connection, text),
  };
}

/** `ssl: true` (verify against system CAs), or ssl_ca / ssl_cert / ssl_key files, ssl_reject_unauthorized. */
function sslOptions(connection: ResolvedConnection, text: (key: string) => string | undefined): PoolOptions['ssl'] {
  const wanted = connection.values.ssl;
  const files = { ca: text('ssl_ca'), cert: text('ssl_cert'), key: text('ssl_key') };
  if ((wanted === undefined || wanted === false || wanted === 'false') && Object.values(files).every((file) => file === undefined)) return undefined;
  const read = (file: string | undefined): string | undefined => {
    if (file === undefined) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch {
      throw new OsirisError('CONFIG_INVALID', `@mysql.${connection.alias}: cannot read TLS file ${file}`, { hint: 'Point ssl_ca / ssl_cert / ssl_key at readable PEM files.' });
    }
  };
  return {
    ca: read(files.ca),
    cert: read(files.cert),
    key: read(files.key),
    rejectUnauthorized: connection.values.ssl_reject_unauthorized !== false && connection.values.ssl_reject_unauthorized !== 'false',
  };
}

// Errors where trying again later can succeed; everything else is a configuration or SQL problem.
const TRANSIENT_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS', 'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED', 'ER_CONNECTION_KILLED',
]);
const CONNECT_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND', 'ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS', 'HANDSHAKE_SSL_ERROR']);
const AUTH_CODES = new Set(['ER_ACCESS_DENIED_ERROR', 'ER_DBACCESS_DENIED_ERROR', 'ER_BAD_DB_ERROR', 'ER_NOT_SUPPORTED_AUTH_MODE', 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR']);

/** Driver errors by code; OsirisErrors (already converted) by their retryable flag. */
function isRetryable(err: unknown): boolean {
  if (err instanceof OsirisError) return err.retryable;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}

/**
 * Turns a driver error into an OsirisError naming the connection alias (and step, when given), with
 * every secret masked. Unreachable servers and lock conflicts are retryable; bad credentials are not.
 */
export function mysqlError(err: unknown, connection: ResolvedConnection, where = ''): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  // Only driver errors carry a code; others (DuckDB, a throwing progress callback) keep their own meaning.
  if (err instanceof OsirisError || typeof code !== 'string') return err;
  const password = connection.values.password;
  const message = maskSecrets(err instanceof Error ? err.message : String(err), [...(connection.secrets ?? []), ...(typeof password === 'string' ? [password] : [])]);
  const prefix = `${where}@mysql.${connection.alias}`;
  if (AUTH_CODES.has(code)) {
    return new OsirisError('CONNECTION_FAILED', `${prefix}: login refused (${code}): ${message}`, {
      hint: `Check user, password and database of @mysql.${connection.alias} in osiris_connections.yaml, and the user's grants.`,
    });
  }
  if (CONNECT_CODES.has(code)) {
    return new OsirisError('CONNECTION_FAILED', `${prefix}: cannot connect (${code}): ${message}`, {
      hint: `Check that the server is running and host/port of @mysql.${connection.alias} are right; the step is retried automatically.`,
      retryable: code !== 'HANDSHAKE_SSL_ERROR',
      cause: err,
    });
  }
  if (TRANSIENT_CODES.has(code)) {
    return new OsirisError('TRANSIENT', `${prefix}: temporary failure (${code}): ${message}`, { hint: 'Retried automatically; if it persists, check the server load and locks.', retryable: true, cause: err });
  }
  if (code === 'ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION') {
    return new OsirisError('SQL_REFUSED', `${prefix}: the source query tried to write: ${message}`, { hint: 'Extractor queries run in a read-only transaction; use a SELECT, and a writer step for writes.' });
  }
  return new OsirisError('SQL_ERROR', `${prefix}: ${message} (${code})`, { hint: 'Check the SQL and the table and column names against the schema.', cause: err });
}

export interface RetryOptions {
  attempts?: number;
  signal?: AbortSignal;
}

/** Runs `fn` again (with backoff) while it fails with a transient error; `fn` must be safe to repeat. */
export async function withMysqlRetries<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= attempts || !isRetryable(err)) throw err;
      options.signal?.throwIfAborted();
      await sleep(200 * 2 ** (attempt - 1));
    }
  }
}

export interface MysqlClient {
  readonly connection: ResolvedConnection;
  /**
   * Runs `fn` on a pooled connection (session in UTC, so TIMESTAMP values are not shifted), retrying
   * the connect on transient errors. Driver errors come back as OsirisErrors naming the alias,
   * prefixed with `where` (e.g. the step).
   */
  withConnection<T>(fn: (conn: PoolConnection) => Promise<T>, where?: string): Promise<T>;
  close(): Promise<void>;
}

/** A connection pool for one `@mysql.alias`; close it when done (open sockets keep the process alive). */
export function openMysqlClient(connection: ResolvedConnection): MysqlClient {
  const pool = mysql.createPool(mysqlPoolOptions(connection));
  return {
    connection,
    async withConnection(fn, where = '') {
      let conn: PoolConnection;
      try {
        conn = await withMysqlRetries(() => pool.getConnection());
        await conn.query("SET time_zone = '+00:00'");
      } catch (err) {
        throw mysqlError(err, connection, where);
      }
      try {
        return await fn(conn);
      } catch (err) {
        // A connection that failed mid-statement may be in any state: drop it rather than reuse it.
        conn.destroy();
        throw mysqlError(err, connection, where);
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}

/** Opens a client for `connection`, runs `fn`, and always closes the pool. */
export async function withMysqlClient<T>(connection: ResolvedConnection, fn: (client: MysqlClient) => Promise<T>): Promise<T> {
  const client = openMysqlClient(connection);
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Resolves `@mysql.alias`, refusing references to other families. */
export function mysqlConnection(connection: ResolvedConnection, stepId: string): ResolvedConnection {
  if (connection.family !== 'mysql') {
    throw new OsirisError('CONFIG_INVALID', `Step "${stepId}": @${connection.family}.${connection.alias} is not a @mysql connection`, { hint: 'Use a @mysql.<alias> connection with mysql components.' });
  }
  return connection;
}
