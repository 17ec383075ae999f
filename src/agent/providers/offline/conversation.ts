/**
 * What the offline planner knows: the conversation split into turns, each tool call paired with its
 * parsed result, and the schema learned from every discovery result so far.
 */
import type { DescribeTableContent, ErrorContent, ListTablesContent } from '../../tool-content.js';
import type { ChatMessage, ToolCall, ToolName } from '../../types.js';

export interface Exchange {
  call: ToolCall;
  ok: boolean;
  /** The parsed result content (the shapes of tool-content.ts). */
  content: unknown;
}

export interface Turn {
  userText: string;
  exchanges: Exchange[];
}

export interface Knowledge {
  /** The connection reference the discovery results came from (the latest one seen). */
  connection?: string;
  tables?: ListTablesContent['tables'];
  details: Map<string, DescribeTableContent>;
}

function parseContent(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function isErrorContent(content: unknown): content is ErrorContent {
  return typeof content === 'object' && content !== null && 'error' in content;
}

/** Turns in order; the last one is the current turn (its user message is the latest). */
export function readTurns(messages: ChatMessage[]): Turn[] {
  const turns: Turn[] = [];
  const calls = new Map<string, ToolCall>();
  for (const message of messages) {
    if (message.role === 'user') turns.push({ userText: message.content, exchanges: [] });
    else if (message.role === 'assistant') for (const call of message.toolCalls ?? []) calls.set(call.id, call);
    else {
      const call = calls.get(message.toolCallId);
      const turn = turns.at(-1);
      if (!call || !turn) continue;
      const content = parseContent(message.content);
      turn.exchanges.push({ call, ok: !isErrorContent(content), content });
    }
  }
  return turns;
}

export function learn(turns: Turn[]): Knowledge {
  const knowledge: Knowledge = { details: new Map() };
  for (const { call, ok, content } of turns.flatMap((t) => t.exchanges)) {
    if (!ok) continue;
    if (call.name === 'list_tables') {
      const listing = content as ListTablesContent;
      knowledge.tables = listing.tables;
      knowledge.connection = listing.connection;
    } else if (call.name === 'describe_table') {
      const detail = content as DescribeTableContent;
      knowledge.details.set(detail.table, detail);
    }
  }
  return knowledge;
}

export function exchangesOf(turn: Turn, name: ToolName): Exchange[] {
  return turn.exchanges.filter((e) => e.call.name === name);
}

/** Ids continue from the highest `call_<n>` in the conversation, so they stay unique even after compaction. */
export function nextCallNumber(messages: ChatMessage[]): number {
  let highest = 0;
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const call of message.toolCalls ?? []) {
      const n = /^call_(\d+)$/.exec(call.id);
      if (n) highest = Math.max(highest, Number(n[1]));
    }
  }
  return highest + 1;
}

/** Foreign keys of described tables that point at `table`, with the table holding them. */
export function referencing(knowledge: Knowledge, table: string): { table: string; columns: string[]; refColumns: string[] }[] {
  return [...knowledge.details.values()].flatMap((detail) =>
    detail.foreignKeys.filter((fk) => fk.refTable === table).map((fk) => ({ table: detail.table, columns: fk.columns, refColumns: fk.refColumns })),
  );
}
