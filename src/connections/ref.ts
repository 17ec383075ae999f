/** `@family.alias`: how OML, osiris.yaml, the agent's tools and the sandbox protocol name a connection without its secrets. */
import { z } from 'zod';

const CONNECTION_REF = /^@([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)$/;

export interface ConnectionRef {
  family: string;
  alias: string;
}

export function parseConnectionRef(ref: string): ConnectionRef | null {
  const match = CONNECTION_REF.exec(ref);
  if (!match?.[1] || !match[2]) return null;
  return { family: match[1], alias: match[2] };
}

export const isConnectionRef = (value: unknown): value is string => typeof value === 'string' && CONNECTION_REF.test(value);

/** The zod form of the grammar, for every external input that names a connection. */
export const connectionRefSchema = z.string().regex(CONNECTION_REF, 'must be a connection reference like @sqlite.demo');

/** Family and alias keys of osiris_connections.yaml: the two halves of the grammar. */
export const familyNameSchema = z.string().regex(/^[a-z][a-z0-9_]*$/, 'a family name: lower case letters, digits and _');
export const aliasNameSchema = z.string().regex(/^[A-Za-z0-9_-]+$/, 'an alias: letters, digits, _ and -');
