/**
 * The system prompt for a real model: what Osiris is, OML, the components, the tools, the session's
 * limits and the discovered schema, within a token budget. Tokens are ESTIMATED as characters / 4
 * (close enough for English text and SQL names with every tokenizer we target; no tokenizer is shipped).
 */
import type { TableDetail, TableSummary } from '../connectors/discovery.js';
import { componentSpecs } from '../connectors/families.js';
import { DEFAULT_PROMPTS } from './prompts/defaults.js';
import { fillPlaceholders, type Prompts } from './prompts/load.js';
import { toolDefinitions } from './tools.js';
import type { AgentSettings } from './types.js';

export const DEFAULT_PROMPT_TOKEN_BUDGET = 6000;

export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** What discovery knows about the session connection: tables described in full, others only listed. */
export interface SchemaSnapshot {
  tables: (TableDetail | TableSummary)[];
  /** Why there is no schema (the source could not be reached); the model then discovers with tools. */
  error?: string;
}

export interface SystemPromptOptions {
  schema?: SchemaSnapshot;
  prompts?: Prompts;
  budgetTokens?: number;
}

function componentLines(): string[] {
  return [...componentSpecs.values()].map((spec) => `- ${spec.name} (${spec.modes.join('/')}): ${spec.description} Config keys: ${Object.keys(spec.config.shape).join(', ')}.`);
}

export function buildSystemPrompt(settings: AgentSettings, options: SystemPromptOptions = {}): string {
  const prompts = options.prompts ?? DEFAULT_PROMPTS;
  const values = {
    connection: settings.connection,
    sample_size: String(settings.sampleSize),
    components: componentLines().join('\n'),
    tools: toolDefinitions()
      .map((t) => `- ${t.name}: ${t.description}`)
      .join('\n'),
    oml_example: prompts['oml-example.yaml'].trimEnd(),
    schema: '',
  };
  const fixed = fillPlaceholders(prompts['system.md'], values);
  const budget = (options.budgetTokens ?? DEFAULT_PROMPT_TOKEN_BUDGET) - estimateTokens(fixed);
  return fillPlaceholders(prompts['system.md'], { ...values, schema: renderSchema(options.schema, budget) });
}

const rowsNote = (t: TableSummary) => (t.rowEstimate === undefined ? '' : ` (${t.rowEstimate} rows)`);
const isDetail = (t: TableDetail | TableSummary): t is TableDetail => 'columns' in t;

/** Every column with its type, the primary key and the foreign keys. */
function fullTable(t: TableDetail | TableSummary): string {
  if (!isDetail(t)) return namesTable(t);
  const columns = t.columns.map((c) => `${c.name} ${c.type}${c.nullable ? '' : ' NOT NULL'}`).join(', ');
  const keys = [
    t.primaryKey.length ? `primary key (${t.primaryKey.join(', ')})` : '',
    ...t.foreignKeys.map((fk) => `${fk.columns.join(', ')} -> ${fk.refTable}(${fk.refColumns.join(', ')})`),
  ].filter(Boolean);
  return `- ${t.name}${rowsNote(t)}: ${columns}${keys.length ? `\n  keys: ${keys.join('; ')}` : ''}`;
}

/** Column names only. */
function namesTable(t: TableDetail | TableSummary): string {
  return isDetail(t) ? `- ${t.name}${rowsNote(t)}: ${t.columns.map((c) => c.name).join(', ')}` : listedTable(t);
}

function listedTable(t: TableDetail | TableSummary): string {
  return `- ${t.name}${rowsNote(t)}${isDetail(t) ? `, ${t.columns.length} columns` : ''}`;
}

/**
 * The schema at the most detailed level that fits `budgetTokens`: full, then column names, then
 * table names. A table is always rendered whole; at the last level, tables that do not fit are
 * counted instead of shown (never cut mid-table).
 */
export function renderSchema(schema: SchemaSnapshot | undefined, budgetTokens: number): string {
  if (!schema) return '(not discovered yet: start with list_tables)';
  if (schema.error) return `(discovery failed: ${schema.error}; use list_tables)`;
  if (schema.tables.length === 0) return '(no tables)';
  for (const [render, note] of [
    [fullTable, ''],
    [namesTable, '(summarised to fit: column names only; describe_table gives types and keys)'],
  ] as const) {
    const text = [note, ...schema.tables.map(render)].filter(Boolean).join('\n');
    if (estimateTokens(text) <= budgetTokens) return text;
  }
  const head = '(summarised to fit: table names only; describe_table gives the columns)';
  const lines = [head];
  let used = estimateTokens(head);
  for (const [index, t] of schema.tables.entries()) {
    const line = listedTable(t);
    const tail = `... and ${schema.tables.length - index} more tables: call list_tables.`;
    if (used + estimateTokens(`${line}\n${tail}`) > budgetTokens) return [...lines, tail].join('\n');
    lines.push(line);
    used += estimateTokens(`${line}\n`);
  }
  return lines.join('\n');
}
