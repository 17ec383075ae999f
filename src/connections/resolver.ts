/**
 * osiris_connections.yaml: reading it, listing what it defines without secrets, and resolving a
 * `@family.alias` to its values at the moment of use (inside an activity, never in a workflow).
 */
import path from 'node:path';
import { z } from 'zod';
import { families, getFamily } from '../connectors/families.js';
import { connectionKeysOf, type ConnectionKey, type ConnectorFamily } from '../connectors/family.js';
import { loadYamlFile } from '../config/yaml-file.js';
import { OsirisError } from '../errors.js';
import { expandEnv, hasEnvReference } from './env-vars.js';
import { aliasNameSchema, familyNameSchema, parseConnectionRef, type ConnectionRef } from './ref.js';
import { isSecretKey, maskSecrets, urlPasswords } from './secrets.js';
import type { ConnectionResolver, ResolvedConnection } from './types.js';

export const CONNECTIONS_FILE = 'osiris_connections.yaml';
export const DEMO_REFERENCE = '@sqlite.demo';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const fileSchema = z.strictObject({
  version: z.literal(1).default(1),
  connections: z.record(familyNameSchema, z.record(aliasNameSchema, z.record(z.string(), scalar))).default({}),
});

type ConnectionsFile = z.infer<typeof fileSchema>;

/** Where connections are read from and built-ins are kept. */
export interface ConnectionsPlace {
  projectDir: string;
  stateDir: string;
}

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
  /** Values safe to print: secrets masked (URL passwords too), environment references left unexpanded. */
  display: Record<string, string>;
  builtin: boolean;
  /** The keys its family takes (which are required, which are secrets). */
  keys: ConnectionKey[];
}

/** Every configured connection plus the families' built-ins, for `osiris connections list`. Never expands secrets. */
export function listConnections(config: Pick<ConnectionsPlace, 'projectDir'>): ConnectionListing[] {
  const file = readConnectionsFile(config.projectDir);
  const listing: ConnectionListing[] = [];
  for (const [family, aliases] of Object.entries(file.connections)) {
    for (const [alias, values] of Object.entries(aliases)) {
      const display: Record<string, string> = {};
      for (const [key, value] of Object.entries(values)) {
        const text = String(value);
        display[key] = hasEnvReference(text) ? text : isSecretKey(key) ? '***' : maskSecrets(text, []);
      }
      listing.push({ reference: `@${family}.${alias}`, family, alias, display, builtin: false, keys: keysOf(family) });
    }
  }
  for (const [family, alias, builtin] of builtinConnections()) {
    const reference = `@${family}.${alias}`;
    if (!listing.some((c) => c.reference === reference)) listing.push({ reference, family, alias, display: { path: `(${builtin.description})` }, builtin: true, keys: keysOf(family) });
  }
  return listing;
}

function keysOf(familyName: string): ConnectionKey[] {
  const family = getFamily(familyName);
  return family ? connectionKeysOf(family) : [];
}

function builtinConnections() {
  return families.flatMap((f) => Object.entries(f.connections?.builtin ?? {}).map(([alias, builtin]) => [f.name, alias, builtin] as const));
}

/** The family's schema over the expanded values: a misspelt or missing key is named before any driver sees it. */
function checkValues(family: ConnectorFamily | undefined, ref: string, values: Record<string, unknown>): void {
  const schema = family?.connections?.schema;
  if (!schema) return;
  const parsed = schema.safeParse(values);
  if (parsed.success) return;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(values)'}: ${i.message}`).join('; ');
  const keys = Object.keys(schema.shape).join(', ');
  throw new OsirisError('CONFIG_INVALID', `Connection ${ref} in ${CONNECTIONS_FILE} is invalid: ${problems}`, {
    hint: `A ${family!.name} connection takes: ${keys} (\`osiris components show ${family!.components[0]?.name ?? family!.name}\`).`,
  });
}

/**
 * Resolves connection references from osiris_connections.yaml at the moment of use, inside an
 * activity. The file is re-read each time so an edited file takes effect without a worker restart.
 */
export function createConnectionResolver(config: ConnectionsPlace, env: NodeJS.ProcessEnv = process.env): ConnectionResolver {
  return async (ref: string): Promise<ResolvedConnection> => {
    const { family: familyName, alias } = requireConnectionRef(ref);
    const family = getFamily(familyName);
    const configured = readConnectionsFile(config.projectDir).connections[familyName]?.[alias];
    if (!configured) {
      const builtin = family?.connections?.builtin?.[alias];
      if (builtin) return { family: familyName, alias, values: await builtin.values(config) };
      throw new OsirisError('CONNECTION_NOT_FOUND', `Connection ${ref} is not defined`, {
        hint: `Add it to ${CONNECTIONS_FILE} under connections.${familyName}.${alias}, or run \`osiris connections list\`.`,
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
      secrets.push(...urlPasswords(expanded));
    }
    checkValues(family, ref, values);
    // File-backed families take paths relative to the project, like every other path in Osiris.
    for (const key of family?.connections?.fileKeys ?? []) {
      if (typeof values[key] === 'string') values[key] = path.resolve(config.projectDir, values[key]);
    }
    return { family: familyName, alias, values, secrets };
  };
}
