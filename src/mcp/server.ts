/**
 * The Osiris MCP server: tools (one table, see tools-*.ts), resources and the "build a pipeline"
 * prompt. Tools are served by our own handlers rather than the SDK's registerTool so every refusal
 * (unknown tool, bad arguments, a failure on the workers) is a tool error with a code, a message
 * and the fix, never a stack trace.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { transcriptQuery } from '../workflows/messages.js';
import { existingConversation } from '../client/conversation-client.js';
import { toolErrorBody, type ToolErrorBody } from './tool-error.js';
import { args, type McpContext, type McpTool } from './tool.js';
import { chatTools } from './tools-chat.js';
import { pipelineTools } from './tools-pipeline.js';
import { componentDocument, omlJsonSchema, sourceTools } from './tools-source.js';
import { componentSpecs } from '../connectors/families.js';

export const MCP_TOOLS: McpTool[] = [...sourceTools, ...pipelineTools, ...chatTools];

export type McpContextFactory = (clientName: () => string) => McpContext;

export interface ServerOptions {
  version: string;
  context: McpContextFactory;
  log: (line: string) => void;
}

function jsonSchema(schema: z.ZodObject, io: 'input' | 'output'): { type: 'object'; [key: string]: unknown } {
  const json = z.toJSONSchema(schema, { io }) as Record<string, unknown>;
  delete json.$schema;
  return { ...json, type: 'object' };
}

function errorResult(body: ToolErrorBody): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error: body }) }] };
}

const clip = (text: string, max = 100) => (text.length > max ? `${text.slice(0, max)}…` : text);

export function createOsirisMcpServer(o: ServerOptions): McpServer {
  const mcp = new McpServer({ name: 'osiris', version: o.version }, { instructions: 'Osiris builds and runs data pipelines on Temporal. Discover a source, write OML, validate, compile, show the human the fingerprint, then run. The build_pipeline prompt walks through it.' });
  const ctx = o.context(() => mcp.server.getClientVersion()?.name ?? 'mcp-client');
  const tools = new Map(MCP_TOOLS.map((t) => [t.name, t]));

  mcp.server.registerCapabilities({ tools: { listChanged: false } });
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: MCP_TOOLS.map((t) => ({ name: t.name, description: t.description, inputSchema: jsonSchema(t.input, 'input'), outputSchema: jsonSchema(t.output, 'output') })),
  }));
  mcp.server.setRequestHandler(CallToolRequestSchema, async (request): Promise<CallToolResult> => {
    const name = request.params.name;
    const tool = tools.get(name);
    if (!tool) return errorResult({ code: 'UNKNOWN_TOOL', message: `There is no tool "${clip(name)}"`, fix: `Use one of: ${[...tools.keys()].join(', ')}.` });
    const parsed = tool.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      return errorResult({ code: 'INVALID_ARGUMENTS', message: `Invalid arguments for ${name}:\n${clip(z.prettifyError(parsed.error), 2000)}`, fix: `Call ${name} again with arguments matching its input schema (see tools/list).` });
    }
    const started = Date.now();
    try {
      const output = await tool.handler(parsed.data, ctx);
      o.log(`tool ${name} ok ${Date.now() - started} ms`);
      return { content: [{ type: 'text', text: JSON.stringify(output) }], structuredContent: output as Record<string, unknown> };
    } catch (err) {
      const body = toolErrorBody(err);
      o.log(`tool ${name} failed ${body.code} ${Date.now() - started} ms: ${clip(body.message, 300)}`);
      return errorResult(body);
    }
  });

  registerResources(mcp, ctx);
  registerPrompt(mcp);
  return mcp;
}

/** A resource request refused: the JSON-RPC error names what is wrong and the fix. */
function refuse(body: ToolErrorBody): McpError {
  return new McpError(ErrorCode.InvalidParams, `${body.code}: ${body.message} (fix: ${body.fix})`);
}

/** A URI variable, percent-decoded and checked against `schema`; anything else (e.g. `../`) is refused. */
function variable(value: string | string[] | undefined, schema: z.ZodType<string>, what: string): string {
  let text = Array.isArray(value) ? value.join('/') : (value ?? '');
  try {
    text = decodeURIComponent(text);
  } catch {
    // Not valid percent-encoding: checked as written below.
  }
  const parsed = schema.safeParse(text);
  if (!parsed.success) throw refuse({ code: 'INVALID_URI', message: `"${clip(text)}" is not a valid ${what}`, fix: `Use a ${what} as listed by the matching tool.` });
  return parsed.data;
}

const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] });

function registerResources(mcp: McpServer, ctx: McpContext): void {
  mcp.registerResource('oml-schema', 'osiris://oml/schema', { description: 'JSON Schema of an OML pipeline document', mimeType: 'application/json' }, (uri) => json(uri, omlJsonSchema()));

  const componentName = z.string().regex(/^[a-z0-9_]+\.[a-z0-9_]+$/);
  mcp.registerResource(
    'component',
    new ResourceTemplate('osiris://components/{name}', { list: () => ({ resources: [...componentSpecs.keys()].map((name) => ({ uri: `osiris://components/${name}`, name, mimeType: 'application/json' })) }) }),
    { description: "One component: its config's JSON Schema, modes and an example", mimeType: 'application/json' },
    (uri, vars) => {
      const name = variable(vars.name, componentName, 'component name');
      const doc = componentDocument(name);
      if (!doc) throw refuse({ code: 'NOT_FOUND', message: `No component "${name}"`, fix: 'components_list lists them.' });
      return json(uri, doc);
    },
  );

  /** A resource named by one id in its URI: the id is checked, failures become errors with their fix. */
  const byId = (name: string, template: string, description: string, id: z.ZodType<string>, what: string, read: (id: string) => Promise<unknown>) =>
    mcp.registerResource(name, new ResourceTemplate(template, { list: undefined }), { description, mimeType: 'application/json' }, async (uri, vars) => {
      const value = variable(vars.id, id, what);
      try {
        return json(uri, await read(value));
      } catch (err) {
        throw refuse(toolErrorBody(err));
      }
    });
  byId('run-report', 'osiris://runs/{id}/report', 'The run_report of one run', args.runId, 'run id', (run) => ctx.workers.project('explainRun', { run }));
  byId('session-transcript', 'osiris://sessions/{id}/transcript', 'The transcript of a chat session (user, assistant and system entries)', args.session, 'session id', async (session) => {
    const handle = await existingConversation(ctx.client, session);
    return { session, transcript: await handle.query(transcriptQuery) };
  });
}

function registerPrompt(mcp: McpServer): void {
  mcp.registerPrompt(
    'build_pipeline',
    {
      title: 'Build a pipeline',
      description: 'Walks through discover -> write OML -> validate -> compile -> run for one goal',
      argsSchema: { goal: z.string().describe('What the pipeline should produce, e.g. "top 10 rated movies to parquet"'), connection: z.string().optional().describe('Source connection (@family.alias)') },
    },
    ({ goal, connection }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              `Build an Osiris pipeline for: ${goal}`,
              `1. Discover the source${connection ? ` ${connection}` : ''} with discover (tables, then the tables you need); use search_data to find values. Read oml_schema and the osiris://components/{name} resources for the steps you use.`,
              '2. Write the OML document: read steps (extractors), transform steps (duckdb.processor SQL over earlier steps), write steps (csv/parquet/json writers or databases).',
              '3. validate it; fix every finding at the line and path given, using its fix, until it is valid.',
              '4. compile it and show the human the steps and the fingerprint.',
              '5. Only after the human agrees, run it with that fingerprint (wait: true), then read run_report and say what was written, or explain the error with its fix.',
            ].join('\n'),
          },
        },
      ],
    }),
  );
}
