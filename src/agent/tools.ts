/**
 * The agent's tools: zod schemas for their arguments and the JSON Schema definitions sent to a model.
 * Used by the LLM and tool activities only; the workflow never needs zod schemas.
 */
import { z } from 'zod';
import { connectionRefSchema } from '../connections/ref.js';
import type { ToolDefinition, ToolName } from './types.js';

const connection = connectionRefSchema.optional().describe('Connection reference (@family.alias); default: the session connection');
const table = z.string().min(1).describe('Table name as listed by list_tables');
const limit = z.number().int().min(1).optional().describe('Rows wanted; capped at the session sample size');

export const toolArgumentSchemas = {
  list_tables: z.strictObject({ connection }),
  describe_table: z.strictObject({ connection, table }),
  sample_rows: z.strictObject({ connection, table, limit }),
  search_data: z.strictObject({
    connection,
    term: z.string().min(1).describe('Text to look for (case-insensitive substring) in every text column'),
    tables: z.array(z.string().min(1)).min(1).optional().describe('Only these tables (default: all)'),
  }),
  preview_sql: z.strictObject({ connection, sql: z.string().min(1).describe('One read-only SELECT in the source dialect'), limit }),
  propose_pipeline: z.strictObject({ oml: z.string().min(1).describe('The whole OML document (YAML)') }),
} satisfies Record<ToolName, z.ZodObject>;

export type ToolArguments = { [N in ToolName]: z.infer<(typeof toolArgumentSchemas)[N]> };

const descriptions: Record<ToolName, string> = {
  list_tables: 'List the tables and views of a connection with their row counts. Start discovery here.',
  describe_table: 'Columns (name, type, nullable), primary key and foreign keys of one table.',
  sample_rows: 'A few rows of a table, to see what the values look like.',
  search_data: 'Find rows whose text columns contain a term, across all tables (or the ones given). Returns the whole matching rows.',
  preview_sql: 'Run one read-only SELECT against the source and return its first rows. Writes are refused.',
  propose_pipeline:
    'Validate and compile an OML pipeline and propose it to the user for approval. Returns its fingerprint, or every validation problem with a fix hint.',
};

export function toolDefinitions(): ToolDefinition[] {
  return (Object.keys(toolArgumentSchemas) as ToolName[]).map((name) => {
    // The $schema marker is noise to a model and some provider APIs reject it.
    const parameters = z.toJSONSchema(toolArgumentSchemas[name]) as Record<string, unknown>;
    delete parameters.$schema;
    return { name, description: descriptions[name], parameters };
  });
}

export type ParsedArguments<N extends ToolName> = { ok: true; value: ToolArguments[N] } | { ok: false; error: string };

/** Validates a model's arguments; the error text names each bad field so the model can repair the call. */
export function parseToolArguments<N extends ToolName>(name: N, args: unknown): ParsedArguments<N> {
  const parsed = toolArgumentSchemas[name].safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data as ToolArguments[N] };
  return { ok: false, error: z.prettifyError(parsed.error) };
}
