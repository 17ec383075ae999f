import Database from 'better-sqlite3';
import { OsirisError } from '../../errors.js';
import { doubleQuote } from '../family.js';
import { stepConnection, type RunContext } from '../../dataplane/step-contract.js';

/** A SQLite identifier, double-quoted. */
export const quoteSqliteIdent = doubleQuote;

/** Resolves `@sqlite.alias` to its database file; a relative path is taken from the project directory. */
export function sqlitePath(ref: string, ctx: RunContext, stepId: string): string {
  const connection = stepConnection(ctx, ref, stepId);
  const file = connection.values.path;
  if (typeof file !== 'string' || file === '') {
    throw new OsirisError('CONFIG_INVALID', `Step "${stepId}": connection ${ref} has no "path"`, {
      hint: `Add "path: <file.sqlite>" to ${ref} in osiris_connections.yaml.`,
    });
  }
  // The resolver made it absolute (the family's file key); a sandbox got its staged copy.
  return file;
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
