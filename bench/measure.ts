/** Whole processes timed by the operating system (/usr/bin/time), and the table rows they make. */
import { spawn } from 'node:child_process';
import { serverCpuSeconds } from './server-cpu.js';

export interface Measured {
  ms: number;
  rssMb: number;
  /** User + system CPU seconds of the whole process: on a loaded machine a steadier comparison than wall time. */
  cpuS: number;
  /** CPU seconds the process reports for its timed part alone (the runtime side: its steps, every thread). */
  reportedCpuS?: number;
  /** CPU seconds the database server spent meanwhile (`server` option). */
  serverCpuS?: number;
}

/**
 * Runs a command under /usr/bin/time; `ms` is the wall time, or what the command reports as {"ms", "cpuS"?}
 * on its last stdout line. `server`: the command name of a database server whose CPU to count meanwhile.
 */
export function measure(command: string, commandArgs: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stdout?: 'ignore' | 'report'; server?: string } = {}): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const serverBefore = options.server === undefined ? 0 : serverCpuSeconds(options.server);
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'maxrss=%M cpu=%U+%S', command, ...commandArgs], { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', options.stdout === 'report' ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const wall = performance.now() - started;
      const rss = /maxrss=(\d+) cpu=([\d.]+)\+([\d.]+)/.exec(stderr);
      if (code !== 0 || rss === null) return reject(new Error(`${command} ${commandArgs.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`));
      const reported = options.stdout === 'report' ? (JSON.parse(stdout.trim().split('\n').at(-1)!) as { ms: number; cpuS?: number }) : { ms: wall };
      resolve({
        ms: reported.ms,
        rssMb: Number(rss[1]) / 1024,
        cpuS: Number(rss[2]) + Number(rss[3]),
        ...(reported.cpuS === undefined ? {} : { reportedCpuS: reported.cpuS }),
        ...(options.server === undefined ? {} : { serverCpuS: serverCpuSeconds(options.server) - serverBefore }),
      });
    });
  });
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** A row of the table. */
export interface Figure {
  figure: string;
  osiris: string;
  baseline: string;
  /** Median of the per-pair ratios (osiris speed / baseline speed: above 1 = osiris faster). */
  ratio: number | null;
  /** Median of the per-pair CPU-time ratios (baseline CPU / osiris CPU). */
  cpuRatio: number | null;
  peakRss: string;
  goal: string;
  met: boolean | null;
  samples?: { osiris: Measured[]; baseline: Measured[] };
  /** Extraction pairs: the CPU a run needs and the best ratio the machine's cores allow (bench/run.ts cpuBudget). */
  budget?: { serverCpuS: number; rawServerCpuS: number; stepsCpuS: number; floorS: number; ceiling: number };
  note?: string;
}
