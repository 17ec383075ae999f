/**
 * The `latency` group of `npm run bench` (issue 15, goal 3 and its "Also"): whole `osiris` processes
 * in a scratch project against a warm embedded server (started, with the project worker, by the
 * warm-up). Each figure is the median of `reps` runs, each run followed by Node's own start-up
 * (`node -e 0`), the floor no command can go under, measured in turn with it and printed beside it.
 * CPU seconds are the CLI process's own; what the server and the project worker spend on a `chat` shows
 * in its wall time only.
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../src/client/dev-server.js';
import { measure, median, type Figure, type Measured } from './measure.js';

interface LatencyCase {
  figure: string;
  /** Each element is one `osiris` process; the figure is their summed time. */
  commands: (rep: number) => string[][];
  goalMs: number;
}

const READ_ONLY_MS = 500;
const cases: LatencyCase[] = [
  { figure: '`osiris --help`', commands: () => [['--help']], goalMs: 300 },
  { figure: '`osiris validate` of the example (transform SQL)', commands: () => [['validate', 'example.yaml']], goalMs: 300 },
  { figure: '`osiris sessions`', commands: () => [['sessions']], goalMs: READ_ONLY_MS },
  { figure: '`osiris logs list`', commands: () => [['logs', 'list']], goalMs: READ_ONLY_MS },
  { figure: '`osiris components list`', commands: () => [['components', 'list']], goalMs: READ_ONLY_MS },
  { figure: '`osiris connections list`', commands: () => [['connections', 'list']], goalMs: READ_ONLY_MS },
  { figure: 'one-shot `osiris chat` (offline agent)', commands: () => [['chat', 'find director Ava DuVernay']], goalMs: 1000 },
  {
    figure: '`chat` -> `chat --session` -> `approve` (the run included)',
    commands: (rep) => {
      const session = `bench-${rep}-${Date.now().toString(36)}`;
      return [
        ['chat', '--session', session, '--new', 'find director Ava DuVernay'],
        ['chat', '--session', session, 'export her movies with their average rating to csv'],
        ['approve', session],
      ];
    },
    goalMs: 3000,
  },
];

export async function commandLatency(dir: string, reps: number, repoRoot: string, cleanups: (() => Promise<void> | void)[]): Promise<Figure[]> {
  const osirisBin = path.join(repoRoot, 'bin', 'osiris.js');
  const [port, uiPort] = [await freePort(), await freePort()];
  writeFileSync(path.join(dir, 'osiris.yaml'), `temporal:\n  port: ${port}\n  ui_port: ${uiPort}\n`);
  copyFileSync(path.join(repoRoot, 'examples', 'top-rated-movies.yaml'), path.join(dir, 'example.yaml'));
  const osiris = (args: string[]) => measure(process.execPath, [osirisBin, ...args], { cwd: dir, env: { NO_COLOR: '1' } });
  cleanups.push(() => osiris(['server', 'stop']).then(() => undefined, () => undefined));
  const floor = () => measure(process.execPath, ['-e', '0']);
  const runCase = async (c: LatencyCase, rep: number): Promise<Measured> => {
    const runs: Measured[] = [];
    for (const args of c.commands(rep)) runs.push(await osiris(args));
    return { ms: sum(runs.map((m) => m.ms)), cpuS: sum(runs.map((m) => m.cpuS)), rssMb: Math.max(...runs.map((m) => m.rssMb)) };
  };

  // The warm-up starts the server and the project worker; the chat case first, so `logs list` has runs to list.
  for (const c of [...cases].reverse()) await runCase(c, -1);
  const ours = new Map<LatencyCase, Measured[]>(cases.map((c) => [c, []]));
  const floors = new Map<LatencyCase, Measured[]>(cases.map((c) => [c, []]));
  for (let rep = 0; rep < reps; rep++) {
    for (const c of cases) {
      ours.get(c)!.push(await runCase(c, rep));
      floors.get(c)!.push(await floor());
    }
    console.error(`  latency: rep ${rep + 1}/${reps}: ${cases.map((c) => `${c.figure} ${ours.get(c)!.at(-1)!.ms.toFixed(0)} ms`).join('; ')}`);
  }
  return cases.map((c) => latencyFigure(c, ours.get(c)!, floors.get(c)!));
}

/** The floor counts once per process of the case; the ratio is that floor's time over the case's, pair by pair. */
function latencyFigure(c: LatencyCase, ours: Measured[], floors: Measured[]): Figure {
  const processes = c.commands(0).length;
  const wall = median(ours.map((m) => m.ms));
  const floorMs = median(floors.map((m) => m.ms));
  const ratio = (pick: (m: Measured) => number) => median(ours.map((m, i) => (processes * pick(floors[i]!)) / pick(m)));
  return {
    figure: c.figure,
    osiris: `${(wall / 1000).toFixed(2)} s (${(median(ours.map((m) => m.cpuS))).toFixed(2)} CPU-s)`,
    baseline: `\`node -e 0\` ${(floorMs / 1000).toFixed(2)} s${processes > 1 ? ` (x ${processes} processes)` : ''}`,
    ratio: ratio((m) => m.ms),
    cpuRatio: ratio((m) => m.cpuS),
    peakRss: `${median(ours.map((m) => m.rssMb)).toFixed(0)} / ${median(floors.map((m) => m.rssMb)).toFixed(0)} MB`,
    goal: `< ${(c.goalMs / 1000).toFixed(1)} s wall`,
    met: wall < c.goalMs,
    samples: { osiris: ours, baseline: floors },
  };
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
