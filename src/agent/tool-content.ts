/**
 * The JSON shapes of ToolResult.content: what executeTool writes and what a model (or the offline
 * planner) reads. Pure types.
 */
import type { ColumnInfo, ForeignKey, JsonValue, SearchHit } from '../connectors/discovery.js';
import type { Problem } from '../oml/problem.js';

export interface ListTablesContent {
  connection: string;
  tables: { name: string; kind: 'table' | 'view'; rows?: number }[];
  /** Tables left out to keep the content small. */
  omitted?: number;
}

export interface DescribeTableContent {
  connection: string;
  table: string;
  kind: 'table' | 'view';
  rows?: number;
  columns: ColumnInfo[];
  primaryKey: string[];
  foreignKeys: ForeignKey[];
}

/** sample_rows and preview_sql. */
export interface RowsContent {
  connection: string;
  table?: string;
  sql?: string;
  columns: string[];
  rows: JsonValue[][];
  /** More rows existed than are shown. */
  truncated: boolean;
}

export interface SearchContent {
  connection: string;
  term: string;
  hits: SearchHit[];
  truncated: boolean;
}

/** A file a proposed pipeline writes that is already there, and the pipeline whose run wrote it (when a run log says). */
export interface ExistingOutput {
  path: string;
  writtenBy?: string;
}

export interface ProposeContent {
  name: string;
  fingerprint: string;
  /** Files it would replace: approving overwrites them. */
  existingOutputs?: ExistingOutput[];
  levels: string[][];
  warnings: Pick<Problem, 'path' | 'message' | 'hint'>[];
  /** First rows of the last non-writer step, run on a sample of the sources before proposing. */
  preview?: { step: string; columns: string[]; rows: JsonValue[][]; truncated: boolean };
}

/** Every failed tool call. */
export interface ErrorContent {
  error: string;
  code?: string;
  /** For the user too: shown when the agent gives up. */
  hint?: string;
  /** For the model only (how to call the tool again); never shown to the user. */
  modelHint?: string;
  problems?: Pick<Problem, 'path' | 'line' | 'message' | 'hint'>[];
}
