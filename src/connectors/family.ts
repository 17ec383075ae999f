/**
 * What a connector family is, in one object: its components, the shape of its connections, how its
 * SQL quotes names, and its drivers, loaded only when a step or a discovery needs them. Adding a
 * family means one folder with an index.ts and one line in families.ts.
 */
import { z } from 'zod';
import { isSecretKey } from '../connections/secrets.js';
import type { ResolvedConnection } from '../connections/types.js';
import type { StepImplementation } from '../dataplane/step-contract.js';
import type { DiscoveryClient } from './discovery.js';
import type { ComponentSpec } from './spec.js';

export interface FamilyDrivers {
  /** Component name -> implementation. */
  steps: Readonly<Record<string, StepImplementation>>;
  openDiscovery?: (connection: ResolvedConnection) => Promise<DiscoveryClient>;
}

/** Where connection values are resolved: relative paths are taken from the project, built-ins live in the state directory. */
export interface ConnectionPlace {
  projectDir: string;
  stateDir: string;
}

export interface BuiltinConnection {
  description: string;
  values(place: ConnectionPlace): Promise<Record<string, unknown>>;
}

export interface FamilyConnections {
  /** The keys a connection of this family understands, after `${ENV}` expansion (others pass through untouched); each `.describe()`d for `osiris connections` and `components show`. */
  schema: z.ZodObject;
  /** Keys holding file paths: made absolute from the project directory, and copied into a sandbox. */
  fileKeys?: readonly string[];
  /** Connections that exist without configuration, by alias (`@sqlite.demo`). */
  builtin?: Readonly<Record<string, BuiltinConnection>>;
}

export interface ConnectorFamily {
  name: string;
  components: readonly ComponentSpec[];
  /** Absent for families that hold no connections (duckdb, filesystem). */
  connections?: FamilyConnections;
  /** An identifier in the family's SQL dialect. */
  quoteIdent?: (name: string) => string;
  load(): Promise<FamilyDrivers>;
}

/** Connection values arrive from YAML or `${ENV}` text: numbers and flags are accepted as either. */
export const connectionValue = {
  text: (description: string) => z.string().describe(description),
  port: (description: string) => z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).describe(description),
  flag: (description: string) => z.union([z.boolean(), z.enum(['true', 'false'])]).describe(description),
  positive: (description: string) => z.union([z.number().positive(), z.string().regex(/^\d+(\.\d+)?$/)]).describe(description),
};

export const doubleQuote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export interface ConnectionKey {
  key: string;
  description: string;
  required: boolean;
  /** Its value is masked everywhere and should come from `${ENV_VAR}`. */
  secret: boolean;
}

/** The keys a family's connections take, for `osiris components show` and `osiris connections list --json`. */
export function connectionKeysOf(family: ConnectorFamily): ConnectionKey[] {
  const shape = family.connections?.schema.shape ?? {};
  return Object.entries(shape).map(([key, schema]) => ({
    key,
    description: schema.description ?? '',
    required: !schema.safeParse(undefined).success,
    secret: isSecretKey(key) || /url$/.test(key),
  }));
}
