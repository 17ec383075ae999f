/** The shape of one MCP tool, described once: name, when to use it, zod input and output, handler. */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { ProjectConfig } from '../config/project-config.js';
import type { WorkerCalls } from './workers.js';

export interface McpContext {
  client: Client;
  config: Pick<ProjectConfig, 'agent' | 'execution' | 'temporal'>;
  workers: WorkerCalls;
  /** The Web UI page of a workflow, when the UI address is known. */
  webUi(workflowId: string): string | undefined;
  /** The connected client's name from `initialize` (recorded as who approved). */
  clientName(): string;
}

export interface McpTool<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  /** One line telling the client's model when to use the tool. */
  description: string;
  input: I;
  output: O;
  handler(args: z.infer<I>, ctx: McpContext): Promise<z.infer<O>>;
}

/** Keeps each tool's own input/output types while collecting them in one list. */
export const defineTool = <I extends z.ZodObject, O extends z.ZodObject>(tool: McpTool<I, O>): McpTool => tool as unknown as McpTool;

/** Shared argument schemas. Sizes are bounded so a huge argument is refused before it travels. */
export const MAX_OML_CHARS = 200_000;
export const args = {
  connection: z.string().regex(/^@[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+$/, 'a connection reference like @sqlite.demo').optional().describe('Connection reference @family.alias; default: agent.connection of osiris.yaml'),
  oml: z.string().min(1).max(MAX_OML_CHARS).describe('The whole OML pipeline document (YAML text)'),
  params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).max(64), z.union([z.string().max(10_000), z.number(), z.boolean()])).optional().describe('Values for the pipeline params, overriding its defaults'),
  runId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/, 'a run id like osiris-run-<name>-<fp8>-<ulid>').refine((id) => !id.includes('..'), 'must not contain ".."').describe('Run id (the workflow id returned by run or runs_list)'),
  session: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a session id like s-abc123xyz').describe('Conversation session id returned by chat'),
};

/** A finding of validation or compilation: where, which rule, what is wrong, how to fix it. */
export const findingSchema = z.object({
  severity: z.enum(['error', 'warning']),
  rule: z.string(),
  path: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
  message: z.string(),
  fix: z.string(),
});

export const rowSetSchema = z.object({ columns: z.array(z.string()), rows: z.array(z.array(z.unknown())), truncated: z.boolean() });
