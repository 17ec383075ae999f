/** MCP tools about sources and building blocks: connections, discovery, search, components, the OML schema. */
import { z } from 'zod';
import type { ErrorContent } from '../agent/tool-content.js';
import type { ToolName } from '../agent/types.js';
import { componentSpecs } from '../connectors/families.js';
import { omlDocumentSchema } from '../oml/schema.js';
import { McpToolError } from './tool-error.js';
import { args, defineTool, rowSetSchema, type McpContext } from './tool.js';

/** Runs one of the agent's tools on the workers; a failure the tool reported becomes a tool error. */
async function agentTool(ctx: McpContext, name: ToolName, toolArgs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const result = await ctx.workers.agentTool(name, toolArgs);
  const content = JSON.parse(result.content) as Record<string, unknown>;
  if (!result.ok) {
    const error = content as unknown as ErrorContent;
    throw new McpToolError(error.code ?? 'TOOL_FAILED', error.error, error.hint ?? 'Check the arguments (connections_list shows the connections; discover lists the tables).');
  }
  return content;
}

const tableSummary = z.object({ name: z.string(), kind: z.enum(['table', 'view']), rows: z.number().optional() });
const column = z.object({ name: z.string(), type: z.string(), nullable: z.boolean() }).loose();

export const sourceTools = [
  defineTool({
    name: 'connections_list',
    description: 'List the configured connections (@family.alias) with their non-secret settings. Use first to pick a source.',
    input: z.strictObject({}),
    output: z.object({ connections: z.array(z.object({ reference: z.string(), family: z.string(), display: z.record(z.string(), z.string()), builtin: z.boolean() })) }),
    async handler(_args, ctx) {
      return { connections: await ctx.workers.project('listProjectConnections', undefined) };
    },
  }),
  defineTool({
    name: 'connections_test',
    description: 'Open connections for real and report whether each answers (all when none are named). Use when discovery fails.',
    input: z.strictObject({ refs: z.array(args.connection.unwrap()).max(50).optional().describe('Connections to test; default: all') }),
    output: z.object({
      checks: z.array(z.object({ reference: z.string(), ok: z.boolean(), detail: z.string().optional(), error: z.object({ code: z.string(), message: z.string(), hint: z.string().optional() }).optional() })),
    }),
    async handler({ refs }, ctx) {
      return { checks: await ctx.workers.project('testProjectConnections', { refs: refs ?? [] }) };
    },
  }),
  defineTool({
    name: 'discover',
    description: 'Without table: the tables and views of a connection with row counts. With table: its columns, keys and a few sample rows. Use before writing OML.',
    input: z.strictObject({
      connection: args.connection,
      table: z.string().min(1).max(512).optional().describe('One table to describe; omit to list tables'),
      sample: z.number().int().min(1).max(100).optional().describe('Sample rows wanted (capped at agent.sample_size)'),
    }),
    output: z.object({
      connection: z.string(),
      tables: z.array(tableSummary).optional(),
      omitted: z.number().optional(),
      table: z.string().optional(),
      kind: z.enum(['table', 'view']).optional(),
      rows: z.number().optional(),
      columns: z.array(column).optional(),
      primaryKey: z.array(z.string()).optional(),
      foreignKeys: z.array(z.object({ columns: z.array(z.string()), refTable: z.string(), refColumns: z.array(z.string()) }).loose()).optional(),
      sample: rowSetSchema.optional(),
    }),
    async handler({ connection, table, sample }, ctx) {
      if (table === undefined) return (await agentTool(ctx, 'list_tables', { connection })) as never;
      const described = await agentTool(ctx, 'describe_table', { connection, table });
      const rows = await agentTool(ctx, 'sample_rows', { connection, table, limit: sample });
      return { ...described, sample: { columns: rows.columns, rows: rows.rows, truncated: rows.truncated } } as never;
    },
  }),
  defineTool({
    name: 'search_data',
    description: 'Find rows whose text columns contain a term (case-insensitive), across all tables or the ones given. Use to locate a value before writing a filter.',
    input: z.strictObject({
      connection: args.connection,
      term: z.string().min(1).max(200).describe('Text to look for'),
      tables: z.array(z.string().min(1).max(512)).min(1).max(100).optional().describe('Only these tables'),
    }),
    output: z.object({ connection: z.string(), term: z.string(), hits: z.array(z.object({ table: z.string(), column: z.string(), row: z.record(z.string(), z.unknown()) }).loose()), truncated: z.boolean() }),
    async handler(input, ctx) {
      return (await agentTool(ctx, 'search_data', input)) as never;
    },
  }),
  defineTool({
    name: 'components_list',
    description: 'The components a pipeline step can use, with modes and purpose. Read osiris://components/{name} for one config schema.',
    input: z.strictObject({}),
    output: z.object({ components: z.array(z.object({ name: z.string(), version: z.string(), modes: z.array(z.string()), family: z.string().optional(), description: z.string() })) }),
    async handler() {
      return { components: [...componentSpecs.values()].map(({ name, version, modes, family, description }) => ({ name, version, modes, family, description })) };
    },
  }),
  defineTool({
    name: 'oml_schema',
    description: 'The JSON Schema of an OML pipeline document (generated from the validator). Read it before writing OML.',
    input: z.strictObject({}),
    output: z.object({ schema: z.record(z.string(), z.unknown()) }),
    async handler() {
      return { schema: omlJsonSchema() };
    },
  }),
];

export function omlJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(omlDocumentSchema, { io: 'input' }) as Record<string, unknown>;
}

export function componentDocument(name: string): Record<string, unknown> | undefined {
  const spec = componentSpecs.get(name);
  if (!spec) return undefined;
  return { name: spec.name, version: spec.version, family: spec.family, modes: spec.modes, description: spec.description, config: z.toJSONSchema(spec.config, { io: 'input' }), example: spec.example };
}
