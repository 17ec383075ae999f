/**
 * Runs one tool call for the agent (inside an activity). Every failure the model could act on comes
 * back as an `ok: false` result; only retryable errors are thrown, so Temporal retries them. Results
 * are compact JSON capped in rows and size, and never carry resolved connection values.
 */
import type { DiscoveryClient, JsonValue, RowSet, TableDetail, TableSummary } from '../connectors/discovery.js';
import type { ConnectionResolver, ResolvedConnection } from '../connectors/types.js';
import { isOsirisError, OsirisError } from '../errors.js';
import type { CompileResult } from '../oml/compile.js';
import type { Manifest } from '../oml/manifest.js';
import { OmlInvalidError } from '../oml/errors.js';
import { isError } from '../oml/problem.js';
import { connectionFingerprint, type DiscoveryCache } from './discovery-cache.js';
import type { DescribeTableContent, ErrorContent, ListTablesContent, ProposeContent, RowsContent, SearchContent } from './tool-content.js';
import { SqlPreviewError, type PipelinePreview } from './preview-pipeline.js';
import { parseToolArguments, toolArgumentSchemas, type ToolArguments } from './tools.js';
import type { AgentSettings, ToolCall, ToolName, ToolResult } from './types.js';

export interface ToolContext {
  settings: AgentSettings;
  resolveConnection: ConnectionResolver;
  openDiscovery(connection: ResolvedConnection): Promise<DiscoveryClient>;
  cache: DiscoveryCache;
  /** Validates and compiles OML; throws OmlInvalidError (with `.problems`) when invalid. */
  compile(omlText: string): Promise<CompileResult>;
  /** Runs a compiled pipeline's reads and transforms on a sample (see preview-pipeline.ts); throws SqlPreviewError. */
  previewPipeline?(manifest: Manifest): Promise<PipelinePreview | undefined>;
}

/** Upper bound of ToolResult.content, in characters: rows are dropped whole to stay under it. */
export const MAX_CONTENT_CHARS = 8000;
/** Longer text cells are clipped: one long comment must not crowd out every other row. */
const MAX_CELL_CHARS = 200;

type Outcome = Omit<ToolResult, 'toolCallId' | 'name' | 'ok'>;

export async function executeTool(call: ToolCall, ctx: ToolContext): Promise<ToolResult> {
  const done = (ok: boolean, outcome: Outcome): ToolResult => ({ toolCallId: call.id, name: call.name, ok, ...outcome });
  if (!Object.hasOwn(toolArgumentSchemas, call.name)) {
    return done(false, failure({ error: `Unknown tool "${String(call.name)}"`, modelHint: `Tools: ${Object.keys(toolArgumentSchemas).join(', ')}.` }));
  }
  const parsed = parseToolArguments(call.name, call.arguments);
  if (!parsed.ok) {
    return done(false, { ...failure({ error: `Invalid arguments for ${call.name}:\n${parsed.error}`, modelHint: 'Fix the arguments to match the tool schema and call it again.' }), repair: 'invalid_arguments' });
  }
  try {
    return done(true, await handlers[call.name](parsed.value as never, ctx));
  } catch (err) {
    if (isOsirisError(err) && err.retryable) throw err;
    return done(false, { ...failure(errorContent(err)), repair: err instanceof SqlPreviewError ? 'sql_preview' : undefined });
  }
}

function failure(content: ErrorContent): Outcome {
  return { content: JSON.stringify(content) };
}

function errorContent(err: unknown): ErrorContent {
  if (err instanceof OmlInvalidError) {
    const problems = err.problems.filter(isError).map(({ path, line, message, hint }) => ({ path, line, message, hint }));
    return { error: err.message.split('\n')[0] ?? err.message, code: err.code, hint: err.hint, problems };
  }
  if (isOsirisError(err)) return { error: err.message, code: err.code, hint: err.hint };
  return { error: err instanceof Error ? err.message : String(err) };
}

type Handler<N extends ToolName> = (args: ToolArguments[N], ctx: ToolContext) => Promise<Outcome>;

const handlers: { [N in ToolName]: Handler<N> } = {
  async list_tables(args, ctx) {
    return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
      const { value, cached } = await ctx.cache.getOrLoad(source.fingerprint, 'tables', '', async () => (await source.client()).listTables());
      const tables = value.map((t) => ({ name: t.name, kind: t.kind, rows: t.rowEstimate }));
      const { json } = fit((n): ListTablesContent => ({ connection: source.ref, tables: tables.slice(0, n), omitted: tables.length - n || undefined }), tables.length);
      return { content: json, cached: cached || undefined };
    });
  },

  async describe_table(args, ctx) {
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

  async sample_rows(args, ctx) {
    return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
      const rows = await (await source.client()).sampleRows(args.table, rowLimit(args.limit, ctx));
      return rowsOutcome({ connection: source.ref, table: args.table }, rows);
    });
  },

  async preview_sql(args, ctx) {
    return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
      const rows = await (await source.client()).previewQuery(args.sql, rowLimit(args.limit, ctx));
      return rowsOutcome({ connection: source.ref, sql: args.sql }, rows);
    });
  },

  async search_data(args, ctx) {
    return withSource(ctx, args.connection ?? ctx.settings.connection, async (source) => {
      const size = ctx.settings.sampleSize;
      const found = await (await source.client()).search(args.term, { tables: args.tables, limitPerColumn: size });
      const hits = found.slice(0, size).map((hit) => ({ ...hit, row: Object.fromEntries(Object.entries(hit.row).map(([k, v]) => [k, clipCell(v)])) }));
      const { json } = fit((n): SearchContent => ({ connection: source.ref, term: args.term, hits: hits.slice(0, n), truncated: found.length > n }), hits.length);
      return { content: json };
    });
  },

  async propose_pipeline(args, ctx) {
    const compiled = await ctx.compile(args.oml);
    const preview = await ctx.previewPipeline?.(compiled.manifest);
    const name = compiled.manifest.pipeline.name;
    const head: Omit<ProposeContent, 'preview'> = {
      name,
      fingerprint: compiled.fingerprint,
      levels: compiled.manifest.levels,
      warnings: compiled.warnings.map(({ path, message, hint }) => ({ path, message, hint })),
    };
    const rows = preview && preview.rows.rows.map((row) => row.map(clipCell));
    const { json, count } = fit(
      (n): ProposeContent => ({ ...head, preview: preview && rows && { step: preview.step, columns: preview.rows.columns, rows: rows.slice(0, n), truncated: preview.rows.truncated || n < rows.length } }),
      rows?.length ?? 0,
    );
    return {
      content: json,
      rows: preview && rows && { columns: preview.rows.columns, rows: rows.slice(0, count), truncated: preview.rows.truncated || count < rows.length },
      pipeline: { name, oml: args.oml, fingerprint: compiled.fingerprint, manifest: compiled.manifest, warnings: compiled.warnings },
    };
  },
};

function rowLimit(requested: number | undefined, ctx: ToolContext): number {
  return Math.min(requested ?? ctx.settings.sampleSize, ctx.settings.sampleSize);
}

function rowsOutcome(head: Pick<RowsContent, 'connection' | 'table' | 'sql'>, set: RowSet): Outcome {
  const rows = set.rows.map((row) => row.map(clipCell));
  const { json, count } = fit((n): RowsContent => ({ ...head, columns: set.columns, rows: rows.slice(0, n), truncated: set.truncated || n < rows.length }), rows.length);
  return { content: json, rows: { columns: set.columns, rows: rows.slice(0, count), truncated: set.truncated || count < rows.length } };
}

function clipCell(value: JsonValue): JsonValue {
  return typeof value === 'string' && value.length > MAX_CELL_CHARS ? `${value.slice(0, MAX_CELL_CHARS)}…` : value;
}

/** The largest prefix (`count` items) whose JSON fits MAX_CONTENT_CHARS: whole items dropped, never cut JSON. */
function fit(build: (count: number) => unknown, total: number): { json: string; count: number } {
  let json = JSON.stringify(build(total));
  if (json.length <= MAX_CONTENT_CHARS) return { json, count: total };
  let low = 0;
  let high = total - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (JSON.stringify(build(mid)).length <= MAX_CONTENT_CHARS) low = mid;
    else high = mid - 1;
  }
  json = JSON.stringify(build(low));
  return { json, count: low };
}

/** Tables described in full, up to this many; beyond it the schema lists names only (describe_table on demand). */
const MAX_DESCRIBED_TABLES = 100;

/**
 * The schema of a connection for the system prompt, through the same cache entries as list_tables and
 * describe_table, so a later tool call is served from the cache.
 */
export async function discoverSchema(ctx: Pick<ToolContext, 'resolveConnection' | 'openDiscovery' | 'cache'>, connection: string): Promise<(TableDetail | TableSummary)[]> {
  return withSource(ctx, connection, async (source) => {
    const tables = (await ctx.cache.getOrLoad(source.fingerprint, 'tables', '', async () => (await source.client()).listTables())).value;
    const described: (TableDetail | TableSummary)[] = [];
    for (const [index, table] of tables.entries()) {
      if (index >= MAX_DESCRIBED_TABLES) described.push(table);
      else described.push((await ctx.cache.getOrLoad(source.fingerprint, 'table', table.name, async () => (await source.client()).describeTable(table.name))).value);
    }
    return described;
  });
}

interface Source {
  /** The `@family.alias` reference: the only name of the connection a result may carry. */
  ref: string;
  fingerprint: string;
  /** Opened on first use, so results served from the cache never touch the database. */
  client(): Promise<DiscoveryClient>;
}

async function withSource<T>(ctx: Pick<ToolContext, 'resolveConnection' | 'openDiscovery'>, ref: string, use: (source: Source) => Promise<T>): Promise<T> {
  const resolved = await ctx.resolveConnection(ref);
  let opened: Promise<DiscoveryClient> | undefined;
  const source: Source = { ref, fingerprint: connectionFingerprint(resolved), client: () => (opened ??= ctx.openDiscovery(resolved)) };
  try {
    return await use(source);
  } catch (err) {
    throw maskSecrets(err, resolved.secrets ?? []);
  } finally {
    await opened?.then((client) => client.close()).catch(() => undefined);
  }
}

/** Driver messages can echo a password or token; replace them before the message reaches the model or history. */
function maskSecrets(err: unknown, secrets: string[]): unknown {
  if (!(err instanceof Error)) return err;
  const masked = secrets.reduce((text, secret) => text.split(secret).join('***'), err.message);
  if (masked === err.message) return err;
  if (isOsirisError(err)) return new OsirisError(err.code, masked, { hint: err.hint, retryable: err.retryable });
  return new Error(masked);
}
