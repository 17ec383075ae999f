import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import Table from 'cli-table3';
import pc from 'picocolors';
import { loadProjectConfig } from '../../config/project-config.js';
import { rowsPerSecond, type RunMetrics } from '../../runtime/events.js';
import { EXIT, formatBytes, formatCount, formatDuration } from '../output.js';
import { renderReport } from '../report/render-report.js';
import { explainRecordedRun } from '../report/explain-run.js';
import { findRunLog, listRunLogs } from '../report/run-logs.js';
import { webUiWorkflowUrl } from '../web-ui-url.js';

// Every border piece cli-table3 draws, blanked: the table is columns only.
const BORDER_CHARS = ['top', 'top-mid', 'top-left', 'top-right', 'bottom', 'bottom-mid', 'bottom-left', 'bottom-right', 'left', 'left-mid', 'mid', 'mid-mid', 'right', 'right-mid', 'middle'];

const STATUS_COLOR: Record<string, (s: string) => string> = { completed: pc.green, failed: pc.red, cancelled: pc.yellow, running: pc.cyan };
const paint = (status: string, text: string) => (STATUS_COLOR[status] ?? pc.dim)(text);

/** Aligned, borderless columns (cli-table3); `right` marks numeric columns. */
function table(headers: string[], rows: string[][], right: Set<number>, color: (row: number, col: number, cell: string) => string = (_r, _c, cell) => cell): string {
  const out = new Table({
    head: headers.map((h) => pc.bold(h)),
    chars: Object.fromEntries(BORDER_CHARS.map((c) => [c, ''])),
    colAligns: headers.map((_h, c) => (right.has(c) ? 'right' : 'left')),
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 2 },
  });
  rows.forEach((r, i) => out.push(r.map((cell, c) => color(i, c, cell))));
  return out
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

const duration = (m: RunMetrics) => (m.durationMs === undefined ? '-' : formatDuration(m.durationMs));
const started = (m: RunMetrics) => (m.startedAt ? m.startedAt.replace('T', ' ').slice(0, 19) : '-');

export async function logsListCommand(opts: { limit: number; json?: boolean }): Promise<number> {
  const runs = (await listRunLogs(loadProjectConfig().stateDir)).slice(0, opts.limit).map((l) => l.metrics);
  if (opts.json) {
    process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
    return EXIT.ok;
  }
  if (runs.length === 0) {
    process.stdout.write(pc.dim('No runs recorded here yet. Run one with: osiris run examples/top-rated-movies.yaml') + '\n');
    return EXIT.ok;
  }
  const rows = runs.map((m) => [started(m), m.pipeline, m.target, m.status, formatCount(m.totals.rowsWritten), duration(m), m.runId]);
  process.stdout.write(table(['STARTED (UTC)', 'PIPELINE', 'TARGET', 'STATUS', 'ROWS WRITTEN', 'DURATION', 'RUN'], rows, new Set([4, 5]), (r, c, cell) => (c === 3 && r >= 0 ? paint(runs[r]!.status, cell) : cell)) + '\n');
  return EXIT.ok;
}

export async function logsShowCommand(run: string, opts: { json?: boolean }): Promise<number> {
  const log = await findRunLog(loadProjectConfig().stateDir, run);
  const m = log.metrics;
  if (opts.json) {
    process.stdout.write(JSON.stringify(m, null, 2) + '\n');
    return EXIT.ok;
  }
  const out: string[] = [
    `${pc.bold(m.pipeline)}  ${paint(m.status, m.status)}  ${pc.dim(`fingerprint ${m.fingerprint.slice(0, 12)}  target ${m.target}`)}`,
    `run      ${m.runId}`,
    `started  ${started(m)} UTC, ${duration(m)}`,
    '',
  ];
  const rows = m.steps.map((s) => {
    const rate = s.status === 'completed' && s.durationMs !== undefined ? rowsPerSecond(s.rows, s.durationMs) : undefined;
    return [s.stepId, s.component, s.status, String(s.attempts), s.status === 'completed' ? formatCount(s.rows) : '', rate === undefined ? '' : formatCount(Math.round(rate)), s.durationMs === undefined ? '' : formatDuration(s.durationMs), s.bytes ? formatBytes(s.bytes) : ''];
  });
  out.push(table(['STEP', 'COMPONENT', 'STATUS', 'ATTEMPTS', 'ROWS', 'ROWS/S', 'DURATION', 'BYTES'], rows, new Set([3, 4, 5, 6, 7]), (r, c, cell) => (c === 2 && r >= 0 ? paint(m.steps[r]!.status, cell) : cell)));
  out.push('', `${formatCount(m.totals.rowsRead)} rows read, ${formatCount(m.totals.rowsWritten)} rows written, ${formatBytes(m.totals.bytes)} to files, ${m.totals.retries} retries`);
  for (const s of m.steps) {
    for (const e of s.errors) {
      out.push('', `${pc.red('error:')} ${s.stepId} attempt ${e.attempt}: ${e.code}${e.retryable ? ' (retried)' : ''}`, `  ${e.message.split('\n').join('\n  ')}`);
      if (e.hint) out.push(`${pc.yellow('hint:')} ${e.hint}`);
    }
  }
  if (m.error && !m.steps.some((s) => s.errors.some((e) => e.message === m.error!.message))) {
    out.push('', `${pc.red(`${m.status}:`)} ${m.error.message}`);
    if (m.error.hint) out.push(`${pc.yellow('hint:')} ${m.error.hint}`);
  }
  out.push('', pc.dim(`events ${path.relative(process.cwd(), log.dir)}/events.jsonl; report: osiris logs html ${m.runId}`));
  process.stdout.write(out.join('\n') + '\n');
  return EXIT.ok;
}

/** `osiris logs explain RUN`: the run told for a model (the MCP run_report): one JSON line with --json, indented JSON otherwise. */
export async function logsExplainCommand(run: string, opts: { json?: boolean }): Promise<number> {
  const explanation = await explainRecordedRun(loadProjectConfig(), run);
  process.stdout.write((opts.json ? JSON.stringify(explanation) : JSON.stringify(explanation, null, 2)) + '\n');
  return EXIT.ok;
}

/** The Web UI is only known for the embedded server; elsewhere the user names it. */
function uiUrlFor(config: ReturnType<typeof loadProjectConfig>, explicit?: string): string | undefined {
  if (explicit) return explicit.replace(/\/+$/, '');
  return config.embedded ? `http://localhost:${config.temporal.ui_port}` : undefined;
}

export async function logsHtmlCommand(run: string, opts: { out?: string; open?: boolean; uiUrl?: string }): Promise<number> {
  const config = loadProjectConfig();
  const log = await findRunLog(config.stateDir, run);
  const uiUrl = uiUrlFor(config, opts.uiUrl);
  const file = path.resolve(opts.out ?? path.join(log.dir, 'report.html'));
  await writeFile(file, renderReport(log, { uiUrl, namespace: config.temporal.namespace }));
  process.stdout.write(`${file}\n`);
  if (uiUrl) process.stdout.write(pc.dim(`web ui ${webUiWorkflowUrl(uiUrl, config.temporal.namespace, log.metrics.runId)}`) + '\n');
  if (opts.open) openInBrowser(file);
  return EXIT.ok;
}

function openInBrowser(file: string): void {
  const [cmd, ...args] = process.platform === 'darwin' ? ['open', file] : process.platform === 'win32' ? ['cmd', '/c', 'start', '', file] : ['xdg-open', file];
  const child = spawn(cmd!, args, { detached: true, stdio: 'ignore' });
  child.once('error', () => process.stderr.write(pc.yellow(`Could not start ${cmd}; open ${file} yourself.`) + '\n'));
  child.unref();
}
