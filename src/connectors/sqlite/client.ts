import path from 'node:path';
import Database from 'better-sqlite3';
import { OsirisError } from '../../errors.js';
import type { RunContext } from '../../dataplane/step-contract.js';

/** A SQLite identifier, double-quoted. */
export function quoteSqliteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Resolves `@sqlite.alias` to its database file; a relative path is taken from the project directory. */
export async function sqlitePath(ref: string, ctx: RunContext, stepId: string): Promise<string> {
  const connection = await ctx.resolveConnection(ref);
  const file = connection.values.path;
  if (typeof file !== 'string' || file === '') {
    throw new OsirisError('CONFIG_INVALID', `Step "${stepId}": connection ${ref} has no "path"`, {
      hint: `Add "path: <file.sqlite>" to ${ref} in osiris_connections.yaml.`,
    });
  }
  return path.resolve(ctx.projectDir, file);
}

/**
 * Opens a SQLite database. Readers get a read-only handle on an existing file, so no source query can
 * change it; writers wait up to 5 s for a lock before SQLITE_BUSY (retried as transient).
 */
export function openSqlite(file: string, mode: 'read' | 'write'): Database.Database {
  const db = new Database(file, { readonly: mode === 'read', fileMustExist: mode === 'read', timeout: 5000 });
  db.defaultSafeIntegers(true);
  return db;
}
