import path from 'node:path';
import { z } from 'zod';
import { ensureDemoDatabase } from '../connectors/sqlite/demo-db.js';
import type { ConnectionResolver, ResolvedConnection } from '../connectors/types.js';
import { OsirisError } from '../errors.js';
import { parseConnectionRef, type ConnectionRef } from '../oml/connection-ref.js';
import { isSecretKey } from '../oml/secrets.js';
import { expandEnv, hasEnvReference } from './env-vars.js';
import type { ProjectConfig } from './project-config.js';
import { loadYamlFile } from './yaml-file.js';

export const CONNECTIONS_FILE = 'osiris_connections.yaml';
export const DEMO_REFERENCE = '@sqlite.demo';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const fileSchema = z.strictObject({
  version: z.literal(1).default(1),
  connections: z.record(z.string().regex(/^[a-z][a-z0-9_]*$/), z.record(z.string().regex(/^[A-Za-z0-9_-]+$/), z.record(z.string(), scalar))).default({}),
});

type ConnectionsFile = z.infer<typeof fileSchema>;

function requireConnectionRef(ref: string): ConnectionRef {
  const parsed = parseConnectionRef(ref);
  if (!parsed) {
    throw new OsirisError('CONFIG_INVALID', `"${ref}" is not a connection reference`, {
      hint: 'Write connections as @family.alias, e.g. @sqlite.demo or @mysql.movies.',
    });
  }
  return parsed;
}

export function readConnectionsFile(projectDir: string): ConnectionsFile {
  const file = path.join(projectDir, CONNECTIONS_FILE);
  return loadYamlFile(file, fileSchema, 'Shape: connections: { <family>: { <alias>: { key: value or ${ENV_VAR} } } }') ?? { version: 1, connections: {} };
}

export interface ConnectionListing {
  reference: string;
  family: string;
  alias: string;
  /** Values safe to print: secrets masked, environment references left unexpanded. */
  display: Record<string, string>;
  builtin: boolean;
}

/** Every configured connection plus the bundled demo, for `osiris connections list`. Never expands secrets. */
export function listConnections(config: Pick<ProjectConfig, 'projectDir'>): ConnectionListing[] {
  const file = readConnectionsFile(config.projectDir);
  const listing: ConnectionListing[] = [];
  for (const [family, aliases] of Object.entries(file.connections)) {
    for (const [alias, values] of Object.entries(aliases)) {
      const display: Record<string, string> = {};
      for (const [key, value] of Object.entries(values)) {
        const text = String(value);
        display[key] = isSecretKey(key) && !hasEnvReference(text) ? '***' : text;
      }
      listing.push({ reference: `@${family}.${alias}`, family, alias, display, builtin: false });
    }
  }
  if (!listing.some((c) => c.reference === DEMO_REFERENCE)) {
    listing.push({ reference: DEMO_REFERENCE, family: 'sqlite', alias: 'demo', display: { path: '(bundled movies demo database)' }, builtin: true });
  }
  return listing;
}

/**
 * Resolves connection references from osiris_connections.yaml at the moment of use, inside an
 * activity. The file is re-read each time so an edited file takes effect without a worker restart.
 */
export function createConnectionResolver(config: Pick<ProjectConfig, 'projectDir' | 'stateDir'>, env: NodeJS.ProcessEnv = process.env): ConnectionResolver {
  return async (ref: string): Promise<ResolvedConnection> => {
    const { family, alias } = requireConnectionRef(ref);
    const configured = readConnectionsFile(config.projectDir).connections[family]?.[alias];
    if (!configured) {
      if (ref === DEMO_REFERENCE) {
        return { family, alias, values: { path: await ensureDemoDatabase(path.join(config.stateDir, 'demo')) } };
      }
      throw new OsirisError('CONNECTION_NOT_FOUND', `Connection ${ref} is not defined`, {
        hint: `Add it to ${CONNECTIONS_FILE} under connections.${family}.${alias}, or run \`osiris connections list\`.`,
      });
    }
    const values: Record<string, unknown> = {};
    const secrets: string[] = [];
    for (const [key, value] of Object.entries(configured)) {
      if (typeof value !== 'string') {
        values[key] = value;
        continue;
      }
      const expanded = expandEnv(value, `${CONNECTIONS_FILE} ${ref}.${key}`, env);
      values[key] = expanded;
      if ((isSecretKey(key) || hasEnvReference(value)) && expanded.length >= 4) secrets.push(expanded);
    }
    // File-backed families take paths relative to the project, like every other path in Osiris.
    if (family === 'sqlite' && typeof values.path === 'string') values.path = path.resolve(config.projectDir, values.path);
    return { family, alias, values, secrets };
  };
}
