import { stringify as toYaml } from 'yaml';
import { rowsPerSecond, type RunMetrics, type StepMetrics } from '../../runtime/events.js';
import type { RunLog } from '../../runtime/run-log.js';
import { formatBytes, formatCount, formatDuration } from '../output.js';
import { webUiWorkflowUrl } from '../web-ui-url.js';
import { dagSvg } from './dag.js';
import { html, SafeHtml } from './html.js';
import { timelineSvg } from './timeline.js';

export interface ReportLinks {
  /** Temporal Web UI base URL, when known: the report links the run's workflow and its pipeline's runs. */
  uiUrl?: string;
  namespace: string;
}

const CSS = `
:root { --ok: #1a7f37; --fail: #cf222e; --run: #0969da; --idle: #8c959f; --warn: #9a6700; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1f2328; margin: 0; padding: 24px 32px 48px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.meta { color: #59636e; margin: 2px 0; } .meta a { color: var(--run); }
.badge { display: inline-block; padding: 1px 10px; border-radius: 12px; color: #fff; font-weight: 600; font-size: 12px; vertical-align: middle; margin-left: 8px; }
.badge.completed { background: var(--ok); } .badge.failed { background: var(--fail); } .badge.cancelled { background: var(--warn); } .badge.running { background: var(--run); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-top: 16px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; min-width: 120px; background: var(--soft); }
.card .n { font-size: 20px; font-weight: 600; } .card .l { color: #59636e; font-size: 12px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 5px 10px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.failed td.status { color: var(--fail); font-weight: 600; } tr.completed td.status { color: var(--ok); }
.scroll { overflow-x: auto; }
svg text { font-family: inherit; }
.dag .node rect { fill: #fff; stroke: var(--idle); stroke-width: 1.5; } .dag .node.completed rect { stroke: var(--ok); fill: #dafbe1; }
.dag .node.failed rect { stroke: var(--fail); fill: #ffebe9; } .dag .node.running rect { stroke: var(--run); fill: #ddf4ff; }
.dag .id { font-weight: 600; font-size: 13px; } .dag .component { font-size: 11px; fill: #59636e; } .dag .detail { font-size: 11px; }
.dag .edge { fill: none; stroke: #8c959f; stroke-width: 1.5; } .dag .arrowhead { fill: #8c959f; }
.timeline .tick { stroke: var(--line); } .timeline .axis { font-size: 11px; fill: #59636e; } .timeline .label { font-size: 12px; }
.timeline .bar.completed { fill: var(--ok); } .timeline .bar.failed { fill: var(--fail); } .timeline .bar.unfinished { fill: var(--idle); }
.error { border: 1px solid #ffcecb; background: #ffebe9; border-radius: 6px; padding: 10px 14px; margin-bottom: 10px; }
.error .code { font-weight: 600; color: var(--fail); } .error pre { white-space: pre-wrap; margin: 6px 0; } .error .hint { color: var(--warn); }
pre.source { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 12px; overflow-x: auto; }
`;

/** A constant, trusted as is: inside <style> entities are not decoded, so escaping would break the quotes. */
const STYLE = new SafeHtml(CSS);

function stepRow(s: StepMetrics): SafeHtml {
  const rate = s.status === 'completed' && s.durationMs !== undefined ? rowsPerSecond(s.rows, s.durationMs) : undefined;
  return html`<tr class="${s.status}" data-step="${s.stepId}">
  <td class="mono">${s.stepId}</td><td class="mono">${s.component}</td><td>${s.mode}</td><td class="status">${s.status}</td>
  <td class="num">${s.attempts}</td><td class="num rows">${s.status === 'completed' ? formatCount(s.rows) : ''}</td><td class="num">${rate === undefined ? '' : formatCount(Math.round(rate))}</td>
  <td class="num">${s.durationMs === undefined ? '' : formatDuration(s.durationMs)}</td><td class="num">${s.bytes ? formatBytes(s.bytes) : ''}</td>
</tr>`;
}

function errorsSection(m: RunMetrics): SafeHtml {
  const stepErrors = m.steps.flatMap((s) => s.errors.map((e) => ({ ...e, stepId: s.stepId })));
  if (stepErrors.length === 0 && !m.error) return html`<p class="meta">No errors.</p>`;
  return html`${stepErrors.map(
    (e) => html`<div class="error" data-step="${e.stepId}">
  <div><span class="code">${e.code}</span> in step <code>${e.stepId}</code>, attempt ${e.attempt}${e.retryable ? ' (retryable: retried with backoff)' : ' (not retryable: the run failed at once)'}</div>
  <pre>${e.message}</pre>${e.hint ? html`<div class="hint">hint: ${e.hint}</div>` : ''}
</div>`,
  )}${
    m.error && !stepErrors.some((e) => e.message === m.error!.message)
      ? html`<div class="error"><div><span class="code">${m.error.code}</span> run ${m.status}</div><pre>${m.error.message}</pre>${m.error.hint ? html`<div class="hint">hint: ${m.error.hint}</div>` : ''}</div>`
      : ''
  }`;
}

/** The whole report: one HTML file with inline CSS and SVG, nothing fetched, every value escaped. */
export function renderReport(log: RunLog, links: ReportLinks): string {
  const m = log.metrics;
  const manifest = log.saved?.manifest;
  const stepIds = m.steps.map((s) => s.stepId);
  const uiRun = links.uiUrl ? webUiWorkflowUrl(links.uiUrl, links.namespace, m.runId) : undefined;
  const uiPipeline = links.uiUrl
    ? `${links.uiUrl}/namespaces/${encodeURIComponent(links.namespace)}/workflows?query=${encodeURIComponent(`OsirisPipeline="${m.pipeline}"`)}`
    : undefined;
  const source = log.saved?.oml ?? (manifest ? toYaml({ name: manifest.pipeline.name, params: manifest.params, steps: manifest.steps }) : undefined);
  const card = (n: string, l: string) => html`<div class="card"><div class="n">${n}</div><div class="l">${l}</div></div>`;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${m.pipeline} · ${m.status} · Osiris run</title><style>${STYLE}</style></head>
<body>
<h1>${m.pipeline}<span class="badge ${m.status}">${m.status}</span></h1>
<p class="meta">run <code>${m.runId}</code></p>
<p class="meta">started ${m.startedAt ? `${m.startedAt.replace('T', ' ').slice(0, 19)} UTC` : '?'} · ${m.durationMs === undefined ? 'not finished' : formatDuration(m.durationMs)} · target ${m.target} (backend ${m.backend})</p>
${m.attempt ? html`<p class="meta attempt">attempt ${String(m.attempt)} of the run: moved to this host after losing ${(m.lostHosts ?? []).join(', ')}</p>` : ''}
<p class="meta">fingerprint <code title="${m.fingerprint}">${m.fingerprint.slice(0, 12)}</code></p>
${uiRun ? html`<p class="meta">Temporal Web UI: <a href="${uiRun}">this run's workflow</a> · <a href="${uiPipeline}">all runs of ${m.pipeline}</a></p>` : html`<p class="meta">Temporal Web UI: workflow id <code>${m.runId}</code></p>`}
<div class="cards">${card(`${m.totals.completed}/${m.totals.steps}`, 'steps completed')}${card(formatCount(m.totals.rowsRead), 'rows read')}${card(formatCount(m.totals.rowsWritten), 'rows written')}${card(formatBytes(m.totals.bytes), 'written to files')}${card(String(m.totals.retries), 'retries')}${card(m.durationMs === undefined ? '-' : formatDuration(m.durationMs), 'duration')}</div>
<h2>Errors</h2>
${errorsSection(m)}
${manifest ? html`<h2>Pipeline</h2><div class="scroll">${dagSvg(manifest, m.steps)}</div>` : ''}
<h2>Timeline</h2><div class="scroll">${timelineSvg(log.events, stepIds)}</div>
<h2>Steps</h2>
<table class="steps"><thead><tr><th>step</th><th>component</th><th>mode</th><th>status</th><th class="num">attempts</th><th class="num">rows</th><th class="num">rows/s</th><th class="num">duration</th><th class="num">bytes</th></tr></thead>
<tbody>${m.steps.map(stepRow)}</tbody></table>
${source ? html`<h2>${log.saved?.oml ? 'OML' : 'Compiled pipeline'}</h2><p class="meta">manifest fingerprint <code>${m.fingerprint}</code></p>
<details${log.saved?.oml ? ' open' : ''}><summary>${log.saved?.oml ? 'the OML this run was started from' : 'the manifest as YAML (params resolved)'}</summary><pre class="source">${source}</pre></details>` : ''}
<h2>Events</h2>
<details><summary>${log.events.length} events (events.jsonl)</summary><pre class="source">${log.events.map((e) => JSON.stringify(e)).join('\n')}</pre></details>
</body></html>
`;
  return page.value;
}
