/**
 * The agent's tools, each described once: name, one-line description for the model, zod arguments
 * (sent to models as JSON Schema), the handler and the shape of the content it writes (tool-content.ts).
 * Activity types are derived from the names (activities/agent-types.ts). Used by activities, the eval
 * and the offline planner's providers; the workflow never needs these schemas.
 */
import { z } from 'zod';
import { connectionRefSchema } from '../connections/ref.js';
import type { JsonValue } from '../connectors/discovery.js';
import { clipCell, fit, fitRows } from './fit-content.js';
import type { ToolContext } from './tool-context.js';
import type { DescribeTableContent, ListTablesContent, ProposeContent, RowsContent, SearchContent } from './tool-content.js';
import { withSource } from './tool-source.js';
import type { ToolDefinition, ToolName, ToolResult } from './types.js';

const connection = connectionRefSchema.optional().describe('Connection reference (@family.alias); default: the session connection');
const table = z.string().min(1).describe('Table name as listed by list_tables');
const limit = z.number().int().min(1).optional().describe('Rows wanted; capped at the session sample size');

/** What a handler returns: the result without the call's identity and success flag. */
export type ToolOutcome = Omit<ToolResult, 'toolCallId' | 'name' | 'ok'>;

interface Tool<A extends z.ZodObject> {
  description: string;
  args: A;
  handler(args: z.infer<A>, ctx: ToolContext): Promise<ToolOutcome>;
}

/** Every entry's `args` keeps its own type, so handlers are checked against their schema. */
const tool = <A extends z.ZodObject>(t: Tool<A>): Tool<A> => t;

export const TOOLS = {
  list_tables: tool({
    description: 'List the tables and views of a connection with their row counts. Start discovery here.',
    args: z.strictObject({ connection }),
    async handler(args, ctx) {
      return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
        const { value, cached } = await ctx.cache.getOrLoad(source.fingerprint, 'tables', '', async () => (await source.client()).listTables());
        const tables = value.map((t) => ({ name: t.name, kind: t.kind, rows: t.rowEstimate }));
        const { json } = fit((n): ListTablesContent => ({ connection: source.ref, tables: tables.slice(0, n), omitted: tables.length - n || undefined }), tables.length);
        return { content: json, cached: cached || undefined };
      });
    },
  }),

  describe_table: tool({
    description: 'Columns (name, type, nullable), primary key and foreign keys of one table.',
    args: z.strictObject({ connection, table }),
    async handler(args, ctx) {
      return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
        const { value, cached } = await ctx.cache.getOrLoad(source.fingerprint, 'table', args.table, async () => (await source.client()).describeTable(args.table));
        const content: DescribeTableContent = {
          connection: source.ref,
          table: value.name,
          kind: value.kind,
          rows: value.rowEstimate,
          columns: value.columns,
          primaryKey: value.primaryKey,
          foreignKeys: value.foreignKeys,
        };
        return { content: JSON.stringify(content), cached: cached || undefined };
      });
    },
  }),

  sample_rows: tool({
    description: 'A few rows of a table, to see what the values look like.',
    args: z.strictObject({ connection, table, limit }),
    async handler(args, ctx) {
      return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
        const set = await (await source.client()).sampleRows(args.table, rowLimit(args.limit, ctx));
        const { json, rows } = fitRows(set, (shown): RowsContent => ({ connection: source.ref, table: args.table, ...shown }));
        return { content: json, rows };
      });
    },
  }),

  search_data: tool({
    description: 'Find rows whose text columns contain a term, across all tables (or the ones given). Returns the whole matching rows.',
    args: z.strictObject({
      connection,
      term: z.string().min(1).describe('Text to look for (case-insensitive substring) in every text column'),
      tables: z.array(z.string().min(1)).min(1).optional().describe('Only these tables (default: all)'),
    }),
    async handler(args, ctx) {
      return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
        const size = ctx.settings.sampleSize;
        const found = await (await source.client()).search(args.term, { tables: args.tables, limitPerColumn: size });
        const hits = found.slice(0, size).map((hit) => ({ ...hit, row: Object.fromEntries(Object.entries(hit.row).map(([k, v]) => [k, clipCell(v as JsonValue)])) }));
        const { json } = fit((n): SearchContent => ({ connection: source.ref, term: args.term, hits: hits.slice(0, n), truncated: found.length > n }), hits.length);
        return { content: json };
      });
    },
  }),

  preview_sql: tool({
    description: 'Run one read-only SELECT against the source and return its first rows. Writes are refused.',
    args: z.strictObject({ connection, sql: z.string().min(1).describe('One read-only SELECT in the source dialect'), limit }),
    async handler(args, ctx) {
      return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
        const set = await (await source.client()).previewQuery(args.sql, rowLimit(args.limit, ctx));
        const { json, rows } = fitRows(set, (shown): RowsContent => ({ connection: source.ref, sql: args.sql, ...shown }));
        return { content: json, rows };
      });
    },
  }),

  propose_pipeline: tool({
    description:
      'Validate and compile an OML pipeline and propose it to the user for approval. Returns its fingerprint, or every validation problem with a fix hint.',
    args: z.strictObject({ oml: z.string().min(1).describe('The whole OML document (YAML)') }),
    async handler(args, ctx) {
      const compiled = await ctx.compile(args.oml);
      const preview = await ctx.previewPipeline?.(compiled.manifest);
      const existing = await ctx.existingOutputs?.(compiled.manifest);
      const name = compiled.manifest.pipeline.name;
      const head: Omit<ProposeContent, 'preview'> = {
        name,
        fingerprint: compiled.fingerprint,
        existingOutputs: existing && existing.length > 0 ? existing : undefined,
        levels: compiled.manifest.levels,
        warnings: compiled.warnings.map(({ path, message, hint }) => ({ path, message, hint })),
      };
      const shown = preview && fitRows(preview.rows, (rows): ProposeContent => ({ ...head, preview: { step: preview.step, ...rows } }));
      return {
        content: shown?.json ?? JSON.stringify(head),
        rows: shown?.rows,
        pipeline: { name, oml: args.oml, fingerprint: compiled.fingerprint, manifest: compiled.manifest, warnings: compiled.warnings },
      };
    },
  }),
} satisfies { [N in ToolName]: Tool<z.ZodObject> };

export type ToolArguments = { [N in ToolName]: z.infer<(typeof TOOLS)[N]['args']> };

function rowLimit(requested: number | undefined, ctx: ToolContext): number {
  return Math.min(requested ?? ctx.settings.sampleSize, ctx.settings.sampleSize);
}

export function toolDefinitions(): ToolDefinition[] {
  return (Object.keys(TOOLS) as ToolName[]).map((name) => {
    // The $schema marker is noise to a model and some provider APIs reject it.
    const parameters = z.toJSONSchema(TOOLS[name].args) as Record<string, unknown>;
    delete parameters.$schema;
    return { name, description: TOOLS[name].description, parameters };
  });
}

export type ParsedArguments<N extends ToolName> = { ok: true; value: ToolArguments[N] } | { ok: false; error: string };

/** Validates a model's arguments; the error text names each bad field so the model can repair the call. */
export function parseToolArguments<N extends ToolName>(name: N, args: unknown): ParsedArguments<N> {
  const parsed = TOOLS[name].args.safeParse(args);
  if (parsed.success) return { ok: true, value: parsed.data as ToolArguments[N] };
  return { ok: false, error: z.prettifyError(parsed.error) };
}
