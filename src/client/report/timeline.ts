import type { RunEvent } from '../../runtime/events.js';
import { formatDuration } from '../output.js';
import { html, type SafeHtml } from './html.js';

export type SpanOutcome = 'completed' | 'failed' | 'unfinished';

/** One attempt of one step, from its step_start to its step_end or step_error. */
export interface AttemptSpan {
  stepId: string;
  attempt: number;
  startMs: number;
  endMs: number;
  outcome: SpanOutcome;
}

/** Attempts in event order; one with no end (its worker died, or the run is still going) ends at the last event. */
export function attemptSpans(events: RunEvent[]): AttemptSpan[] {
  const spans: AttemptSpan[] = [];
  const lastMs = Math.max(...events.map((e) => Date.parse(e.ts)));
  for (const e of events) {
    if (e.type === 'step_start') spans.push({ stepId: e.stepId, attempt: e.attempt, startMs: Date.parse(e.ts), endMs: lastMs, outcome: 'unfinished' });
    if (e.type === 'step_end' || e.type === 'step_error') {
      const span = spans.find((s) => s.stepId === e.stepId && s.attempt === e.attempt && s.outcome === 'unfinished');
      if (span) Object.assign(span, { endMs: Date.parse(e.ts), outcome: e.type === 'step_end' ? 'completed' : 'failed' });
    }
  }
  return spans;
}

const LABEL = 170;
const WIDTH = 940;
const ROW = 26;
const TICKS = 4;

/** A Gantt chart of the attempts: one row per step, a bar per attempt, on a shared time axis. */
export function timelineSvg(events: RunEvent[], stepIds: string[]): SafeHtml {
  const spans = attemptSpans(events);
  const startMs = Math.min(...events.map((e) => Date.parse(e.ts)));
  const totalMs = Math.max(1, ...spans.map((s) => s.endMs - startMs), ...events.map((e) => Date.parse(e.ts) - startMs));
  const scale = (WIDTH - LABEL - 20) / totalMs;
  const height = stepIds.length * ROW + 30;
  const ticks = Array.from({ length: TICKS + 1 }, (_, i) => (totalMs * i) / TICKS);
  return html`<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="step timeline">
  ${ticks.map((t) => {
    const x = LABEL + t * scale;
    return html`<line x1="${x}" y1="0" x2="${x}" y2="${height - 22}" class="tick"/><text x="${x}" y="${height - 6}" class="axis" text-anchor="middle">${formatDuration(t)}</text>`;
  })}
  ${stepIds.map((id, row) => {
    const y = row * ROW + 4;
    return html`<text x="${LABEL - 8}" y="${y + 15}" text-anchor="end" class="label">${id}</text>
    ${spans
      .filter((s) => s.stepId === id)
      .map((s) => html`<rect x="${LABEL + (s.startMs - startMs) * scale}" y="${y}" width="${Math.max(2, (s.endMs - s.startMs) * scale)}" height="${ROW - 8}" rx="3" class="bar ${s.outcome}"><title>${id} attempt ${s.attempt}: ${s.outcome}, ${formatDuration(s.endMs - s.startMs)}</title></rect>`)}`;
  })}
</svg>`;
}
