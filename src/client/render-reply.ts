import Table from 'cli-table3';
import pc from 'picocolors';
import type { ReplyPart } from '../agent/types.js';
import type { RowSet } from '../connectors/discovery.js';
import type { PipelineSummary, Reply, RunRecord, TranscriptEntry } from '../workflows/conversation-types.js';

/** YAML with keys, strings and comments coloured: enough to read OML at a glance. */
export function highlightYaml(yaml: string): string {
  return yaml
    .split('\n')
    .map((line) => {
      if (/^\s*#/.test(line)) return pc.dim(line);
      const m = /^(\s*-?\s*)([\w.-]+)(:)(.*)$/.exec(line);
      if (!m) return line;
      const value = m[4]!;
      const coloured = /^\s*["']/.test(value) ? pc.green(value) : value;
      return `${m[1]}${pc.cyan(m[2]!)}${m[3]}${coloured}`;
    })
    .join('\n');
}

export function formatRows(rows: RowSet): string {
  const table = new Table({ head: rows.columns.map((c) => pc.bold(c)), style: { head: [], border: [] } });
  for (const row of rows.rows) table.push(row.map((v) => (v === null ? pc.dim('NULL') : String(v))));
  return table.toString() + (rows.truncated ? `\n${pc.dim(`(first ${rows.rows.length} rows)`)}` : '');
}

export function formatPipeline(pipeline: PipelineSummary, sessionId: string): string {
  return [
    pc.bold(`Proposed pipeline ${pipeline.name}`) + pc.dim(`  fingerprint ${pipeline.fingerprint}`),
    highlightYaml(pipeline.oml.trimEnd()),
    approvalHint(sessionId),
  ].join('\n');
}

function approvalHint(sessionId: string): string {
  return `${pc.yellow('approve:')} osiris approve ${sessionId}    ${pc.yellow('reject:')} osiris reject ${sessionId} --reason "..."`;
}

export function formatRun(run: RunRecord): string {
  if (run.status === 'completed') return `${pc.green('run completed')} ${run.workflowId}: ${run.rowsWritten} rows written to ${run.outputs?.join(', ')}`;
  if (run.status === 'failed') return `${pc.red('run failed')} ${run.workflowId}: ${run.error}`;
  return `${pc.cyan('running')} ${run.workflowId}`;
}

/** What the reply's text already shows, as the provider declared it (Reply.shows); undeclared parts are printed. */
function textShows(reply: Reply, part: ReplyPart): boolean {
  return reply.shows?.includes(part) ?? false;
}

export function formatReply(reply: Reply, sessionId: string): string {
  const parts = [reply.text];
  if (reply.rows && reply.rows.rows.length > 0 && !textShows(reply, 'rows')) parts.push(formatRows(reply.rows));
  // A reply that already shows the OML only needs the commands.
  if (reply.pipeline) parts.push(textShows(reply, 'pipeline') ? approvalHint(sessionId) : formatPipeline(reply.pipeline, sessionId));
  if (reply.run) parts.push(formatRun(reply.run));
  return parts.join('\n\n');
}

export function formatTranscript(entries: TranscriptEntry[], sessionId: string): string {
  return entries
    .map((e) => {
      const who = e.role === 'user' ? pc.bold(pc.blue('you')) : e.role === 'assistant' ? pc.bold(pc.magenta('osiris')) : pc.dim('system');
      const body = [e.text, e.pipeline ? formatPipeline(e.pipeline, sessionId) : ''].filter(Boolean).join('\n\n');
      return `${who}> ${body}`;
    })
    .join('\n\n');
}
