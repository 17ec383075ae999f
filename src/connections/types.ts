/** A connection reference resolved at the moment of use. Never put one in a workflow payload. */
export interface ResolvedConnection {
  family: string;
  alias: string;
  /** Values with `${ENV}` already substituted: may hold secrets. */
  values: Record<string, unknown>;
  /** The secret strings among `values` (from `${ENV}` or secret-named keys), for masking in errors and logs. */
  secrets?: string[];
}

/** Resolves `@family.alias` to its values. Throws OsirisError('CONNECTION_NOT_FOUND') with a hint. */
export type ConnectionResolver = (ref: string) => Promise<ResolvedConnection>;
