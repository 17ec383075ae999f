/**
 * Runs a proposed pipeline's read and transform steps on a sample before it is proposed, so SQL that
 * does not run (a wrong column, a DuckDB binder error) goes back to the model instead of to the user.
 * Extractor queries are wrapped in a LIMIT and table reads get a limit; writers never run. It uses
 * the real runtime in a throwaway workspace, so the preview fails exactly where the run would.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { toJsonValue, type RowSet } from '../connectors/discovery.js';
import type { ConnectionResolver } from '../connections/types.js';
import { isOsirisError, OsirisError } from '../errors.js';
import type { Manifest, ManifestStep } from '../oml/manifest.js';
import { quoteIdent, withDuckDB } from '../dataplane/step-db.js';
import type { ExecuteStep } from '../dataplane/step-contract.js';
import { stepFile } from '../dataplane/workspace.js';

/** Source rows each extractor reads for the preview: enough for joins to meet, small enough to be quick. */
export const PREVIEW_SOURCE_ROWS = 200;

export interface PipelinePreview {
  /** The last step that ran: its first rows are what the user is shown with the proposal. */
  step: string;
  rows: RowSet;
}

/** The preview of step `step` failed for a reason the model can fix. */
export class SqlPreviewError extends OsirisError {
  constructor(step: ManifestStep, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super('SQL_ERROR', `Step "${step.id}" (${step.component}) failed its preview on a sample of the data: ${detail}`, {
      hint: 'Fix the SQL (check names against describe_table, test it with preview_sql) and call propose_pipeline again.',
      cause,
    });
  }
}

export interface PreviewDeps {
  projectDir: string;
  resolveConnection: ConnectionResolver;
  executeStep: ExecuteStep;
}

export async function previewPipeline(manifest: Manifest, rowsWanted: number, deps: PreviewDeps): Promise<PipelinePreview | undefined> {
  const steps = manifest.steps.filter((s) => s.mode !== 'write');
  const last = steps.at(-1);
  if (!last) return undefined;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'osiris-preview-'));
  try {
    await mkdir(path.join(dir, 'steps'));
    for (const step of steps) {
      try {
        await deps.executeStep(sampled(step), { workspaceDir: dir, projectDir: deps.projectDir, outputDir: path.join(dir, 'out'), resolveConnection: deps.resolveConnection });
      } catch (err) {
        // An unreachable source is Temporal's to retry; anything else is the pipeline's fault.
        if (isOsirisError(err) && err.retryable) throw err;
        throw new SqlPreviewError(step, err);
      }
    }
    return { step: last.id, rows: await readFirstRows(stepFile(dir, last.id), last.output_table, rowsWanted) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function sampled(read: ManifestStep): ManifestStep {
  if (read.mode !== 'read') return read;
  // Writers never run here, so the step keeps its table, which the preview reads.
  const step = { ...read };
  delete step.stored_as;
  const { query, table, limit } = step.config;
  if (typeof query === 'string') {
    // A derived table with an alias is accepted by SQLite, MySQL and PostgreSQL alike.
    return { ...step, config: { ...step.config, query: `SELECT * FROM (${query.trim().replace(/;+$/, '')}) AS osiris_preview LIMIT ${PREVIEW_SOURCE_ROWS}` } };
  }
  if (typeof table === 'string') return { ...step, config: { ...step.config, limit: Math.min(typeof limit === 'number' ? limit : PREVIEW_SOURCE_ROWS, PREVIEW_SOURCE_ROWS) } };
  return step;
}

async function readFirstRows(file: string, table: string, limit: number): Promise<RowSet> {
  return withDuckDB(file, async (conn) => {
    const reader = await conn.runAndReadAll(`SELECT * FROM ${quoteIdent(table)} LIMIT ${limit + 1}`);
    const rows = reader.getRowsJson().map((row) => row.map((v) => toJsonValue(v)));
    return { columns: reader.columnNames(), rows: rows.slice(0, limit), truncated: rows.length > limit };
  });
}
