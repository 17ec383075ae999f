/** `@family.alias`: how OML names a connection without holding its secrets. */
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
