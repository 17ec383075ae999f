/**
 * Times the row sink alone (the SQLite and REST extractors' path; MySQL and PostgreSQL load CSV instead,
 * see dataplane/csv-load.ts): table-sink's `sinkBatches` on synthetic batches shaped like the mysql bench
 * table (strings for BIGINT/DECIMAL/dates, numbers for INT/DOUBLE), without a source database. Best of three runs, with the process's CPU time (all threads) per run.
 * Usage: npx tsx bench/table-sink.ts [rows]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sinkBatches, type SinkColumn } from '../src/dataplane/table-sink.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const BATCH = 10_000;
const columns: SinkColumn[] = [
  { name: 'id', type: 'VARCHAR', cast: 'BIGINT' },
  { name: 'qty', type: 'BIGINT' },
  { name: 'price', type: 'VARCHAR', cast: 'DECIMAL(12,2)' },
  { name: 'ratio', type: 'DOUBLE' },
  { name: 'name', type: 'VARCHAR' },
  { name: 'city', type: 'VARCHAR' },
  { name: 'created', type: 'VARCHAR', cast: 'TIMESTAMP' },
  { name: 'day', type: 'VARCHAR', cast: 'DATE' },
  { name: 'flag', type: 'BIGINT' },
  { name: 'note', type: 'VARCHAR' },
];
const iso = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
const row = (seq: number): unknown[] => [
  String(seq), seq % 1000, (seq * 1.25).toFixed(2), seq / 7, `name ${seq}`, `city ${seq % 500}`, iso(Date.UTC(2024, 0, 1) + seq * 1000),
  iso(Date.UTC(2020, 0, 1) + (seq % 2000) * 86_400_000).slice(0, 10), seq % 2, seq % 10 === 0 ? null : `comment number ${seq}`,
];
// A few pre-built batches reused in turn, so generating rows is not timed.
const pool = Array.from({ length: 5 }, (_, b) => Array.from({ length: BATCH }, (_, i) => row(b * BATCH + i + 1)));
async function* batches(): AsyncGenerator<unknown[][]> {
  for (let done = 0, b = 0; done < rows; done += BATCH, b++) yield pool[b % pool.length]!.slice(0, Math.min(BATCH, rows - done));
}

const root = await mkdtemp(path.join(tmpdir(), 'osiris-bench-sink-'));
try {
  const runs: string[] = [];
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const instance = await DuckDBInstance.create(path.join(root, `run${run}.duckdb`));
    const conn = await instance.connect();
    const cpu = process.cpuUsage();
    const started = performance.now();
    await sinkBatches(conn, 't', columns, batches(), { stepId: 'bench' });
    await conn.run('CHECKPOINT');
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpu);
    best = Math.min(best, ms);
    runs.push(`${ms.toFixed(0)} ms (cpu ${((used.user + used.system) / 1000).toFixed(0)} ms)`);
    conn.closeSync();
    instance.closeSync();
  }
  console.log(`table-sink, ${rows} rows x ${columns.length} columns: ${runs.join(', ')}; best ${Math.round(rows / (best / 1000)).toLocaleString('en')} rows/s`);
  console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1e3).toFixed(0)} MB`);
} finally {
  await rm(root, { recursive: true, force: true });
}
