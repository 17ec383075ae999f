/**
 * `npm run bench`: the performance goals of issue 15, each measured against its baseline in the same
 * run, pair by pair (A B A B ...), several repetitions, medians. Prints one table and writes
 * bench/results/<date>.json.
 *
 *   mysql  -> parquet  runtime (extractor + parquet writer)  vs  `mariadb --quick ... > /dev/null`
 *   postgres -> parquet                                       vs  `psql -c "COPY (...) TO STDOUT" > /dev/null`
 *     each twice: as compiled (the extractor stores the Parquet file) and through the step table (as
 *     with a transform in between); under the table, each one's CPU budget: what the server spent
 *     (bench/server-cpu.ts) plus what the steps' threads spent, the least wall time the machine's cores
 *     allow for that much CPU, and so the best ratio reachable here
 *   `osiris run` mysql -> csv (whole CLI process)             vs  the Python Osiris (`osiris-pipeline`) on the same pipeline
 *   `osiris run` of a small 4-step pipeline                   vs  the Python Osiris on the same pipeline
 *   Temporal overhead per step: `osiris run` of a 20-step and a 2-step pipeline (warm server) against
 *     the same compiled steps through the runtime directly (bench/pipeline-child.ts); the overhead is
 *     ((run 20 - run 2) - (direct 20 - direct 2)) / 18, so fixed start-up costs cancel out
 *   a warm `osiris run` of examples/top-rated-movies.yaml (whole CLI)      vs  its steps run directly
 *   latency: `--help`, `validate`, the read-only commands, `chat` and chat -> chat -> approve, whole
 *     processes against a warm server (bench/latency.ts)                 vs  `node -e 0`
 *
 * The Python Osiris runs when OSIRIS_PY_BIN names its `osiris` executable (python3 -m venv v &&
 * v/bin/pip install osiris-pipeline; OSIRIS_PY_BIN=v/bin/osiris); otherwise its rows say so.
 * Peak RSS and CPU seconds are the operating system's figures for the whole process (/usr/bin/time).
 * Times: the runtime side's is its two steps inside its process (imports excluded, as a worker has them
 * loaded); every other side's is its whole process. Its CPU figure includes tsx's start-up (~0.5 s).
 * Usage: npm run bench -- [--rows N] [--reps N] [--only mysql,postgres,cli,small,steps,latency]
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import pg from 'pg';
import { freePort } from '../src/client/dev-server.js';
import { commandLatency } from './latency.js';
import { measure, median, type Figure, type Measured } from './measure.js';
import { loadDemoIntoMysql } from '../tests/support/load-demo-into-mysql.js';
import { createMixedTable, startTestMariadb, type TestMariadb } from '../tests/support/mariadb.js';
import { startTestPostgres, type TestPostgres } from '../tests/support/postgres.js';

const { values: args } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, reps: { type: 'string', default: '3' }, only: { type: 'string' } } });
const ROWS = Number(args.rows);
const REPS = Number(args.reps);
const only = new Set((args.only ?? 'mysql,postgres,cli,small,steps,latency').split(','));
const repoRoot = path.resolve(import.meta.dirname, '..');
// The servers' process names, whose CPU the extraction pairs count (bench/server-cpu.ts).
const SERVER = { mysql: 'mariadbd', postgres: 'postgres' } as const;
const osirisBin = path.join(repoRoot, 'bin', 'osiris.js');
const pythonOsiris = process.env.OSIRIS_PY_BIN;

/** Runs `osiris` and `baseline` in turn REPS times (after one warm-up of each) and compares their speed. */
async function pair(label: string, goal: { ratio: number; text: string }, osiris: () => Promise<Measured>, baseline: () => Promise<Measured>, unit: (m: Measured) => string): Promise<Figure> {
  await osiris();
  await baseline();
  const a: Measured[] = [];
  const b: Measured[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    a.push(await osiris());
    b.push(await baseline());
    console.error(`  ${label}: rep ${rep + 1}/${REPS}: osiris ${a.at(-1)!.ms.toFixed(0)} ms, baseline ${b.at(-1)!.ms.toFixed(0)} ms`);
  }
  const ratio = median(a.map((m, i) => b[i]!.ms / m.ms));
  const cpuRatio = median(a.map((m, i) => b[i]!.cpuS / m.cpuS));
  const pick = (ms: Measured[]): Measured => ({ ms: median(ms.map((m) => m.ms)), rssMb: median(ms.map((m) => m.rssMb)), cpuS: median(ms.map((m) => m.cpuS)) });
  const [oa, ob] = [pick(a), pick(b)];
  return { figure: label, osiris: unit(oa), baseline: unit(ob), ratio, cpuRatio, peakRss: `${oa.rssMb.toFixed(0)} / ${ob.rssMb.toFixed(0)} MB`, goal: goal.text, met: ratio >= goal.ratio, samples: { osiris: a, baseline: b }, ...cpuBudget(a, b, ob.ms / 1000) };
}

/**
 * When both sides counted their server's CPU and the runtime side its own: the CPU a run of ours needs
 * (its steps' threads + the server serving them), the shortest time the machine's cores allow for it,
 * and so the best ratio this machine can show, whatever the code does with its threads.
 */
function cpuBudget(a: Measured[], b: Measured[], rawWallS: number): Pick<Figure, 'budget'> {
  if (a.some((m) => m.serverCpuS === undefined || m.reportedCpuS === undefined) || b.some((m) => m.serverCpuS === undefined)) return {};
  const floorS = median(a.map((m) => m.serverCpuS! + m.reportedCpuS!)) / os.cpus().length;
  return {
    budget: {
      serverCpuS: median(a.map((m) => m.serverCpuS!)),
      rawServerCpuS: median(b.map((m) => m.serverCpuS!)),
      stepsCpuS: median(a.map((m) => m.reportedCpuS!)),
      floorS,
      ceiling: rawWallS / floorS,
    },
  };
}

const rowsPerSecond = (m: Measured) => `${Math.round(ROWS / (m.ms / 1000)).toLocaleString('en')} rows/s`;
const seconds = (m: Measured) => `${(m.ms / 1000).toFixed(2)} s`;
const figures: Figure[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
const load = { start: os.loadavg()[0]!, end: 0 };

try {
  let mariadb: TestMariadb | undefined;
  if (only.has('mysql') || only.has('cli') || only.has('small')) {
    console.error('starting MariaDB and loading the tables...');
    mariadb = await startTestMariadb();
    cleanups.push(() => mariadb!.stop());
    await createMixedTable(mariadb, 'bench', 't', ROWS);
  }
  const work = mkdtempSync(path.join(os.tmpdir(), 'osiris-bench-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));

  const runtimeSide = (family: 'mysql' | 'postgres', values: Record<string, unknown>, tablePath: boolean) => {
    const request = path.join(work, `${family}${tablePath ? '-table' : ''}-request.json`);
    writeFileSync(request, JSON.stringify({ family, values, rows: ROWS, tablePath }));
    return () => measure(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'steps-child.ts'), request], { stdout: 'report', server: SERVER[family] });
  };

  if (only.has('mysql') && mariadb) {
    const raw = () => measure('mariadb', [...mariadb!.clientArgs('bench'), '--quick', '--batch', '--skip-column-names', '-e', 'SELECT * FROM t'], { server: SERVER.mysql });
    for (const tablePath of [false, true]) {
      console.error(`mysql -> parquet${tablePath ? ' (table path)' : ''}, ${ROWS} rows...`);
      figures.push(await pair(`MySQL -> Parquet, ${ROWS.toLocaleString('en')} rows x 10 (runtime${tablePath ? ', through the step table' : ''})`, { ratio: 0.8, text: '>= 0.80x mariadb --quick' },
        runtimeSide('mysql', mariadb.values('bench'), tablePath), raw, rowsPerSecond));
    }
  }

  if (only.has('postgres')) {
    console.error('starting PostgreSQL and loading the table...');
    const postgres: TestPostgres = await startTestPostgres();
    cleanups.push(() => postgres.stop());
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    await client.query(`CREATE TABLE t (id bigint PRIMARY KEY, qty integer, price numeric(12,2), ratio double precision, name varchar(64), city varchar(32), created timestamp, day date, flag smallint, note text);
      INSERT INTO t SELECT s, s % 1000, s * 1.25, s / 7.0, 'name ' || s, 'city ' || (s % 500), timestamp '2024-01-01' + s * interval '1 second', date '2020-01-01' + (s % 2000)::int, s % 2,
        CASE WHEN s % 10 = 0 THEN NULL ELSE 'comment number ' || s END FROM generate_series(1, ${Math.trunc(ROWS)}) s; ANALYZE t;`);
    await client.end();
    for (const tablePath of [false, true]) {
      console.error(`postgres -> parquet${tablePath ? ' (table path)' : ''}, ${ROWS} rows...`);
      figures.push(await pair(`PostgreSQL -> Parquet, ${ROWS.toLocaleString('en')} rows x 10 (runtime${tablePath ? ', through the step table' : ''})`, { ratio: 0.8, text: '>= 0.80x psql COPY TO STDOUT' },
        runtimeSide('postgres', { url: postgres.url }, tablePath),
        () => measure('psql', [postgres.url, '-X', '-q', '-c', 'COPY (SELECT * FROM t) TO STDOUT'], { server: SERVER.postgres }),
        rowsPerSecond));
    }
  }

  if ((only.has('cli') || only.has('small')) && mariadb) {
    const values = mariadb.values();
    await loadDemoIntoMysql(mariadb, 'movies', path.join(work, 'demo'));
    const connections = (database: string, pythonStyle: boolean) =>
      `version: ${pythonStyle ? '"1.0"' : 1}\nconnections:\n  mysql:\n    bench:\n${pythonStyle ? '      default: true\n' : ''}` +
      Object.entries({ ...values, database }).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}\n`).join('');
    const pipelines = {
      cli: { database: 'bench', yaml: pipelineYaml('bench-csv', [['extract', 'mysql.extractor', 'read', [], { connection: '@mysql.bench', query: 'SELECT * FROM t' }], ['save', 'filesystem.csv_writer', 'write', ['extract'], { path: 'out/t.csv' }]]) },
      small: {
        database: 'movies',
        yaml: pipelineYaml('bench-small', [
          ['extract_movies', 'mysql.extractor', 'read', [], { connection: '@mysql.bench', query: 'SELECT movie_id, title, release_year, genre FROM movies' }],
          ['extract_reviews', 'mysql.extractor', 'read', [], { connection: '@mysql.bench', query: 'SELECT movie_id, rating FROM reviews' }],
          ['top_rated', 'duckdb.processor', 'transform', ['extract_movies', 'extract_reviews'], { query: 'SELECT m.title, m.release_year, ROUND(AVG(r.rating), 2) AS avg_rating, COUNT(*) AS reviews FROM df_extract_movies m JOIN df_extract_reviews r USING (movie_id) GROUP BY m.title, m.release_year HAVING AVG(r.rating) > 8 ORDER BY avg_rating DESC, m.title' }],
          ['save', 'filesystem.csv_writer', 'write', ['top_rated'], { path: 'out/top_rated.csv' }],
        ]),
      },
    };
    const ours = mkdtempSync(path.join(work, 'ours-'));
    const [port, uiPort] = [await freePort(), await freePort()];
    writeFileSync(path.join(ours, 'osiris.yaml'), `temporal:\n  port: ${port}\n  ui_port: ${uiPort}\nexecution:\n  output_dir: .\n`);
    cleanups.push(() => measure(process.execPath, [osirisBin, 'server', 'stop'], { cwd: ours }).then(() => undefined, () => undefined));
    let theirs: string | undefined;
    if (pythonOsiris !== undefined) {
      theirs = mkdtempSync(path.join(work, 'python-'));
      await measure(pythonOsiris, ['init'], { cwd: theirs });
    }
    for (const kind of ['cli', 'small'] as const) {
      if (!only.has(kind)) continue;
      const { database, yaml } = pipelines[kind];
      const ourDir = path.join(ours, kind);
      mkdirSync(ourDir, { recursive: true });
      writeFileSync(path.join(ours, `${kind}.yaml`), yaml);
      writeFileSync(path.join(ours, 'osiris_connections.yaml'), connections(database, false));
      const label = kind === 'cli' ? `osiris run MySQL -> CSV, ${ROWS.toLocaleString('en')} rows (whole CLI)` : 'osiris run, small 4-step MySQL pipeline (whole CLI)';
      const goal = kind === 'cli' ? { ratio: 5, text: '>= 5x Python Osiris' } : { ratio: 1, text: '>= 1x Python Osiris' };
      const oursRun = () => measure(process.execPath, [osirisBin, 'run', `${kind}.yaml`], { cwd: ours, env: { NO_COLOR: '1' } });
      console.error(`${label}...`);
      if (theirs === undefined) {
        const a: Measured[] = [];
        await oursRun();
        for (let rep = 0; rep < REPS; rep++) a.push(await oursRun());
        const m = { ms: median(a.map((x) => x.ms)), rssMb: median(a.map((x) => x.rssMb)), cpuS: median(a.map((x) => x.cpuS)) };
        figures.push({ figure: label, osiris: seconds(m), baseline: 'not run', ratio: null, cpuRatio: null, peakRss: `${m.rssMb.toFixed(0)} MB`, goal: goal.text, met: null, note: 'Python Osiris not installed: set OSIRIS_PY_BIN to its osiris executable' });
        continue;
      }
      writeFileSync(path.join(theirs, `${kind}.yaml`), yaml);
      writeFileSync(path.join(theirs, 'osiris_connections.yaml'), connections(database, true));
      const theirsRun = () => measure(pythonOsiris!, ['run', `${kind}.yaml`], { cwd: theirs });
      // The Python side has no dry run for the server, so a failed run must fail the bench, not time an error: check its output.
      figures.push(await pair(label, goal, oursRun, async () => {
        const m = await theirsRun();
        const out = path.join(theirs!, kind === 'cli' ? 'out/t.csv' : 'out/top_rated.csv');
        if (!existsSync(out)) throw new Error(`Python Osiris wrote no ${out}`);
        rmSync(out);
        return m;
      }, seconds));
    }
  }

  if (only.has('steps')) {
    console.error('Temporal overhead per step (sqlite demo, 20 and 2 steps) and a warm run of the example...');
    figures.push(...(await stepOverhead(mkdtempSync(path.join(work, 'steps-')), cleanups)));
  }

  if (only.has('latency')) {
    console.error('command latency against a warm server (osiris --help, validate, read-only commands, chat, chat -> chat -> approve)...');
    figures.push(...(await commandLatency(mkdtempSync(path.join(work, 'latency-')), REPS, repoRoot, cleanups)));
  }
} finally {
  load.end = os.loadavg()[0]!;
  for (const cleanup of cleanups.reverse()) await cleanup();
}

const table = new Table({ head: ['figure', 'osiris', 'baseline', 'ratio', 'cpu ratio', 'peak RSS osiris / baseline', 'goal', 'met'] });
const times = (ratio: number | null) => (ratio === null ? '-' : `${ratio.toFixed(2)}x`);
for (const f of figures) table.push([f.figure, f.osiris, f.baseline, times(f.ratio), times(f.cpuRatio), f.peakRss, f.goal, f.met === null ? (f.note ?? '-') : f.met ? 'yes' : 'no']);
console.log(table.toString());
console.log(`ratio: baseline wall time / osiris wall time (cpu ratio: the same with user+system CPU seconds), median of ${REPS} pairs run in turn; load average ${load.start.toFixed(1)} at start, ${load.end.toFixed(1)} at end, ${os.cpus().length} CPUs`);
for (const { figure, budget } of figures) {
  if (budget === undefined) continue;
  console.log(
    `${figure}: CPU per run: server ${budget.serverCpuS.toFixed(2)} s (for the raw client ${budget.rawServerCpuS.toFixed(2)} s) + the steps' threads ${budget.stepsCpuS.toFixed(2)} s; ` +
      `on ${os.cpus().length} cores that takes at least ${budget.floorS.toFixed(2)} s: at best ${budget.ceiling.toFixed(2)}x here`,
  );
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = path.join(repoRoot, 'bench', 'results');
mkdirSync(resultsDir, { recursive: true });
const file = path.join(resultsDir, `${stamp}.json`);
writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), rows: ROWS, reps: REPS, cpus: os.cpus().length, loadavg: load, node: process.version, figures }, null, 2) + '\n');
console.log(`results: ${path.relative(process.cwd(), file)}`);

function pipelineYaml(name: string, steps: [string, string, string, string[], Record<string, unknown>][]): string {
  const lines = ['oml_version: "0.1.0"', `name: ${name}`, 'steps:'];
  for (const [id, component, mode, needs, config] of steps) {
    lines.push(`  - id: ${id}`, `    component: ${component}`, `    mode: ${mode}`);
    if (needs.length > 0) lines.push(`    needs: [${needs.join(', ')}]`);
    lines.push('    config:', ...Object.entries(config).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`));
  }
  return lines.join('\n') + '\n';
}

/**
 * Goal 4 of issue 15. Each repetition runs, in turn, `osiris run` and the runtime directly on a 20-step
 * chain (extract, 18 transforms, csv) and on a 2-step one, then `osiris run` of the example and the
 * example's steps directly. The server and the project worker are warmed up first.
 */
async function stepOverhead(dir: string, cleanupsList: (() => Promise<void> | void)[]): Promise<Figure[]> {
  const [port, uiPort] = [await freePort(), await freePort()];
  writeFileSync(path.join(dir, 'osiris.yaml'), `temporal:\n  port: ${port}\n  ui_port: ${uiPort}\n`);
  cleanupsList.push(() => measure(process.execPath, [osirisBin, 'server', 'stop'], { cwd: dir }).then(() => undefined, () => undefined));
  const chain = (n: number) => {
    const transforms = Array.from({ length: n - 2 }, (_, i): [string, string, string, string[], Record<string, unknown>] => [`s${i + 1}`, 'duckdb.processor', 'transform', [`s${i}`], { query: `SELECT * FROM df_s${i}` }]);
    return pipelineYaml(`steps${n}`, [['s0', 'sqlite.extractor', 'read', [], { connection: '@sqlite.demo', query: 'SELECT movie_id, title FROM movies' }], ...transforms, [`s${n - 1}`, 'filesystem.csv_writer', 'write', [`s${n - 2}`], { path: `steps${n}.csv` }]]);
  };
  writeFileSync(path.join(dir, 'steps20.yaml'), chain(20));
  writeFileSync(path.join(dir, 'steps2.yaml'), chain(2));
  writeFileSync(path.join(dir, 'example.yaml'), readFileSync(path.join(repoRoot, 'examples', 'top-rated-movies.yaml')));
  const run = (file: string) => measure(process.execPath, [osirisBin, 'run', file], { cwd: dir, env: { NO_COLOR: '1' } });
  const direct = (file: string) => measure(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'pipeline-child.ts'), dir, file], { stdout: 'report' });
  const files = ['steps20.yaml', 'steps2.yaml', 'example.yaml'];
  for (const file of files) await run(file);
  const runs: Record<string, Measured[]> = {};
  const directs: Record<string, Measured[]> = {};
  for (let rep = 0; rep < REPS; rep++) {
    for (const file of files) {
      (runs[file] ??= []).push(await run(file));
      (directs[file] ??= []).push(await direct(file));
    }
    console.error(`  steps: rep ${rep + 1}/${REPS}: ${files.map((f) => `${f} run ${runs[f]!.at(-1)!.ms.toFixed(0)} ms, direct ${directs[f]!.at(-1)!.ms.toFixed(0)} ms`).join('; ')}`);
  }
  const perStep = median(runs['steps20.yaml']!.map((_, i) => (runs['steps20.yaml']![i]!.ms - runs['steps2.yaml']![i]!.ms - (directs['steps20.yaml']![i]!.ms - directs['steps2.yaml']![i]!.ms)) / 18));
  const med = (ms: Measured[]) => median(ms.map((m) => m.ms));
  const rss = (ms: Measured[]) => `${median(ms.map((m) => m.rssMb)).toFixed(0)} MB`;
  const example = med(runs['example.yaml']!);
  return [
    {
      figure: 'Temporal overhead per step (20- vs 2-step chain, osiris run vs runtime)',
      osiris: `${perStep.toFixed(0)} ms/step (run: 20 steps ${(med(runs['steps20.yaml']!) / 1000).toFixed(2)} s, 2 steps ${(med(runs['steps2.yaml']!) / 1000).toFixed(2)} s)`,
      baseline: `direct: 20 steps ${(med(directs['steps20.yaml']!) / 1000).toFixed(2)} s, 2 steps ${(med(directs['steps2.yaml']!) / 1000).toFixed(2)} s`,
      ratio: null,
      cpuRatio: null,
      peakRss: `${rss(runs['steps20.yaml']!)} / ${rss(directs['steps20.yaml']!)}`,
      goal: '<= 50 ms/step',
      met: perStep <= 50,
      samples: { osiris: runs['steps20.yaml']!, baseline: directs['steps20.yaml']! },
    },
    {
      figure: 'warm osiris run of examples/top-rated-movies.yaml (whole CLI)',
      osiris: `${(example / 1000).toFixed(2)} s`,
      baseline: `steps direct ${(med(directs['example.yaml']!) / 1000).toFixed(2)} s`,
      ratio: null,
      cpuRatio: null,
      peakRss: rss(runs['example.yaml']!),
      goal: '< 1.5 s wall',
      met: example < 1500,
      samples: { osiris: runs['example.yaml']!, baseline: directs['example.yaml']! },
    },
  ];
}
