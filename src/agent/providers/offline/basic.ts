/** The one-tool intents of the offline planner: SQL: direct mode, list, describe, sample, help. */
import type { ReplyPart } from '../../types.js';
import type { DescribeTableContent, ListTablesContent, RowsContent } from '../../tool-content.js';
import { exchangesOf, isErrorContent } from './conversation.js';
import { CAPABILITIES, errorText, nextActions, type Plan, type PlanContext, type ToolRequest } from './plan.js';
import { bullets, markdownTable, plural } from './text.js';

/** Runs one tool, then answers from its result (the same shape for every single-tool intent). */
function single(ctx: PlanContext, request: ToolRequest, context: string | undefined, answer: (content: unknown) => string, onError?: (text: string) => string, shows?: ReplyPart[]): Plan {
  const done = exchangesOf(ctx.turn, request.name).at(-1);
  if (!done) return { calls: [request] };
  if (!done.ok && isErrorContent(done.content)) {
    const text = errorText(done.content, context);
    return { text: onError ? onError(text) : text };
  }
  return { text: answer(done.content), shows };
}

export function planSql(ctx: PlanContext, sql: string): Plan {
  return single(
    ctx,
    { name: 'preview_sql', arguments: { sql } },
    undefined,
    (content) => {
      const result = content as RowsContent;
      const count = result.truncated ? `the first ${plural(result.rows.length, 'row')} (more exist)` : plural(result.rows.length, 'row');
      return [
        `${count}, columns: ${result.columns.join(', ')}`,
        markdownTable(result.columns, result.rows),
        nextActions(['export this to csv', 'export this to parquet', 'SQL: <another query>']),
      ].join('\n\n');
    },
    (error) => `${error}\nTry: "list tables" to see the tables, "describe <table>" for its columns, then send "SQL: ..." again with the fix.`,
    ['rows'],
  );
}

export function planList(ctx: PlanContext): Plan {
  return single(ctx, { name: 'list_tables', arguments: {} }, 'Listing the tables failed', (content) => {
    const { connection, tables, omitted } = content as ListTablesContent;
    const lines = tables.map((t) => `${t.name}${t.kind === 'view' ? ' (view)' : ''}${t.rows === undefined ? '' : `: ${plural(t.rows, 'row')}`}`);
    const more = omitted ? `\n(and ${omitted} more)` : '';
    const example = tables[0]?.name ?? 'a_table';
    return `Tables in ${connection}:\n${bullets(lines)}${more}\n\n${nextActions([`describe ${example}`, `sample ${example}`, 'find <text>'])}`;
  });
}

export function planDescribe(ctx: PlanContext, table: string): Plan {
  return single(ctx, { name: 'describe_table', arguments: { table } }, `Describing ${table} failed`, (content) => {
    const detail = content as DescribeTableContent;
    const rows = detail.columns.map((c) => [c.name, c.type, c.nullable ? 'yes' : 'no']);
    const keys = [`primary key: ${detail.primaryKey.join(', ') || '(none)'}`];
    for (const fk of detail.foreignKeys) keys.push(`${detail.table}.${fk.columns.join(', ')} -> ${fk.refTable}.${fk.refColumns.join(', ')}`);
    const size = detail.rows === undefined ? '' : ` (${plural(detail.rows, 'row')})`;
    return [`${detail.table}${size}:`, markdownTable(['column', 'type', 'nullable'], rows, rows.length), bullets(keys), nextActions([`sample ${table}`, `export table ${table} to csv`])].join('\n\n');
  });
}

export function planSample(ctx: PlanContext, table: string): Plan {
  return single(ctx, { name: 'sample_rows', arguments: { table } }, `Sampling ${table} failed`, (content) => {
    const result = content as RowsContent;
    return [`${plural(result.rows.length, 'row')} of ${table}:`, markdownTable(result.columns, result.rows), nextActions([`describe ${table}`, `export table ${table} to csv`])].join('\n\n');
  }, undefined, ['rows']);
}

export function helpText(): string {
  return `The offline planner can:\n${bullets(CAPABILITIES)}`;
}

export function unsupportedText(text: string): string {
  return [
    `The offline planner cannot handle "${text}": it follows a few fixed patterns and does not understand free-form requests.`,
    'A real model does: set `llm.provider: openai` (or `anthropic`) in osiris.yaml and put OPENAI_API_KEY (or ANTHROPIC_API_KEY) in the environment or .env.',
    helpText(),
  ].join('\n\n');
}

export function approvalText(): string {
  return 'To run the proposed pipeline, send just `approve` (or `reject <reason>`), or run `osiris approve SESSION` from another terminal. Nothing runs without approval.';
}
