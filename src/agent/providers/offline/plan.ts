/** The offline planner's shared vocabulary: what a planning step sees and what it returns. */
import type { ErrorContent } from '../../tool-content.js';
import type { ReplyPart, ToolName } from '../../types.js';
import { exchangesOf, isErrorContent, type Knowledge, type Turn } from './conversation.js';
import { bullets } from './text.js';

export interface ToolRequest {
  name: ToolName;
  arguments: Record<string, unknown>;
}

/** Either the next tool calls of this turn or the final answer. */
/** `shows`: the parts of the reply (result rows, the proposed OML) the text already prints, so the CLI does not print them twice. */
export type Plan = { calls: ToolRequest[] } | { text: string; shows?: ReplyPart[] };

export interface PlanContext {
  /** The user's message without its FAST:/SQL: prefix. */
  text: string;
  /** FAST: pick the best effort instead of asking a clarifying question. */
  fast: boolean;
  /** The current turn: its tool calls and results so far. */
  turn: Turn;
  /** Earlier turns, oldest first. */
  earlier: Turn[];
  knowledge: Knowledge;
}

/** Tables described per step at most: progressive discovery, not a crawl of a huge schema. */
const DESCRIBE_BATCH = 20;

export const call = (name: ToolName, args: Record<string, unknown> = {}): Plan => ({ calls: [{ name, arguments: args }] });

/** The error and its hint; `context` says what was being done when the tool's own message does not. */
export function errorText(error: ErrorContent, context?: string): string {
  const lines = [context === undefined ? error.error : `${context}: ${error.error}`];
  if (error.hint) lines.push(`Hint: ${error.hint}`);
  return lines.join('\n');
}

/** The table list, fetched first when unknown; a text plan when listing failed in this turn. */
export function needTables(ctx: PlanContext): Plan | undefined {
  if (ctx.knowledge.tables) return undefined;
  const failed = exchangesOf(ctx.turn, 'list_tables').find((e) => !e.ok);
  if (failed && isErrorContent(failed.content)) return { text: errorText(failed.content, 'Listing the tables failed') };
  return call('list_tables');
}

/**
 * describe_table calls for `wanted` tables not yet described (in any turn) nor attempted in this
 * one, so a table that fails to describe is not asked for again and again.
 */
export function needDetails(ctx: PlanContext, wanted: string[]): Plan | undefined {
  const attempted = new Set(exchangesOf(ctx.turn, 'describe_table').map((e) => String(e.call.arguments.table)));
  const missing = [...new Set(wanted)].filter((t) => !ctx.knowledge.details.has(t) && !attempted.has(t)).slice(0, DESCRIBE_BATCH);
  return missing.length === 0 ? undefined : { calls: missing.map((table) => ({ name: 'describe_table', arguments: { table } })) };
}

/** Every table, the given ones first (which matter most when the batch cap applies). */
export function tablesFirst(ctx: PlanContext, first: string[]): string[] {
  return [...first, ...(ctx.knowledge.tables ?? []).map((t) => t.name)];
}

export const nextActions = (actions: string[]): string => `You can ask next:\n${bullets(actions.map((a) => `"${a}"`))}`;

export const CAPABILITIES = [
  '`SQL: <query>`: run a read-only query and show the first rows',
  '`find <text>` (or search / look up / who is): search every text column, show the row and the rows that reference it',
  '`export table <name> to csv|parquet|json`, `export her movies with their average rating to csv`, `export this to csv`: propose a pipeline',
  '`list tables`, `describe <table>`, `sample <table>`',
  '`FAST: ...`: no clarifying questions, best effort',
];

