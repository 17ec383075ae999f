/**
 * Discovery results cached in SQLite, shared by every worker process on the machine. Entries are keyed
 * by a connection fingerprint (a hash: resolved values may be secrets and are never stored) and expire
 * after a TTL so schema changes show up without manual invalidation.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { ResolvedConnection } from '../connections/types.js';
import { canonicalJson } from '../oml/canonical-json.js';

export const DEFAULT_DISCOVERY_TTL_MS = 60 * 60 * 1000;

export interface DiscoveryCache {
  /** The unexpired cached value, or `load()`'s result, stored. */
  getOrLoad<T>(fingerprint: string, kind: string, key: string, load: () => Promise<T>): Promise<{ value: T; cached: boolean }>;
  close(): void;
}

export interface DiscoveryCacheOptions {
  ttlMs?: number;
  /** Milliseconds since the epoch; injectable so tests can step past the TTL. */
  now?: () => number;
}

/** sha256 over the family, alias and resolved values: a changed password or host is a different source. */
export function connectionFingerprint(connection: ResolvedConnection): string {
  const identity = canonicalJson({ family: connection.family, alias: connection.alias, values: connection.values });
  return createHash('sha256').update(identity, 'utf8').digest('hex');
}

/** Opens (creating if needed) the cache file; `:memory:` gives a private cache. */
export function openDiscoveryCache(file: string, options: DiscoveryCacheOptions = {}): DiscoveryCache {
  const ttlMs = options.ttlMs ?? DEFAULT_DISCOVERY_TTL_MS;
  const now = options.now ?? Date.now;
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 5000 });
  // WAL lets one process read while another writes; the busy timeout covers concurrent writers.
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS discovery (
    fingerprint TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, stored_at INTEGER NOT NULL,
    PRIMARY KEY (fingerprint, kind, key))`);
  const read = db.prepare<[string, string, string, number], { value: string }>('SELECT value FROM discovery WHERE fingerprint = ? AND kind = ? AND key = ? AND stored_at > ?');
  const write = db.prepare('INSERT OR REPLACE INTO discovery (fingerprint, kind, key, value, stored_at) VALUES (?, ?, ?, ?, ?)');
  const purge = db.prepare('DELETE FROM discovery WHERE stored_at <= ?');

  return {
    async getOrLoad<T>(fingerprint: string, kind: string, key: string, load: () => Promise<T>) {
      const hit = read.get(fingerprint, kind, key, now() - ttlMs);
      if (hit) return { value: JSON.parse(hit.value) as T, cached: true };
      const value = await load();
      const at = now();
      db.transaction(() => {
        purge.run(at - ttlMs);
        write.run(fingerprint, kind, key, JSON.stringify(value), at);
      })();
      return { value, cached: false };
    },
    close() {
      db.close();
    },
  };
}
