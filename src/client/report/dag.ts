import type { Manifest } from '../../oml/manifest.js';
import type { StepMetrics } from '../../runtime/events.js';
import { formatCount } from '../output.js';
import { html, type SafeHtml } from './html.js';

const BOX_W = 200;
const BOX_H = 58;
const GAP_X = 70;
const GAP_Y = 18;
const PAD = 10;

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The pipeline's DAG: one column per level, an arrow per `needs`, each box coloured by its step's status. */
export function dagSvg(manifest: Manifest, steps: StepMetrics[]): SafeHtml {
  const position = new Map<string, { x: number; y: number }>();
  manifest.levels.forEach((level, col) => level.forEach((id, row) => position.set(id, { x: PAD + col * (BOX_W + GAP_X), y: PAD + row * (BOX_H + GAP_Y) })));
  const width = PAD * 2 + manifest.levels.length * (BOX_W + GAP_X) - GAP_X;
  const height = PAD * 2 + Math.max(...manifest.levels.map((l) => l.length)) * (BOX_H + GAP_Y) - GAP_Y;
  const byId = new Map(steps.map((s) => [s.stepId, s]));
  const edges = manifest.steps.flatMap((step) =>
    step.needs.map((need) => {
      const from = position.get(need)!;
      const to = position.get(step.id)!;
      const [x1, y1, x2, y2] = [from.x + BOX_W, from.y + BOX_H / 2, to.x, to.y + BOX_H / 2];
      return html`<path d="M${x1},${y1} C${x1 + GAP_X / 2},${y1} ${x2 - GAP_X / 2},${y2} ${x2 - 6},${y2}" class="edge" marker-end="url(#arrow)"/>`;
    }),
  );
  const boxes = manifest.steps.map((step) => {
    const { x, y } = position.get(step.id)!;
    const m = byId.get(step.id);
    const status = m?.status ?? 'pending';
    const detail = status === 'completed' ? `${formatCount(m!.rows)} rows` : status;
    return html`<g class="node ${status}" data-step="${step.id}"><title>${step.id} (${step.component}): ${detail}</title>
  <rect x="${x}" y="${y}" width="${BOX_W}" height="${BOX_H}" rx="6"/>
  <text x="${x + 10}" y="${y + 19}" class="id">${clip(step.id, 24)}</text>
  <text x="${x + 10}" y="${y + 35}" class="component">${clip(step.component, 30)}</text>
  <text x="${x + 10}" y="${y + 50}" class="detail">${detail}</text>
</g>`;
  });
  return html`<svg class="dag" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="pipeline DAG">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>
${edges}
${boxes}
</svg>`;
}
