/**
 * CPU seconds a database server has used so far: every process of that command name on the machine
 * (user + system, with its reaped children's, so PostgreSQL's per-connection backends count once they
 * have exited). Read before and after a run, the difference is what the server spent serving it.
 */
import { readdirSync, readFileSync } from 'node:fs';

// Linux reports these times in clock ticks of 1/100 s on every architecture Node runs on.
const TICKS_PER_SECOND = 100;

export function serverCpuSeconds(command: string): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    if (name !== command) continue;
    // Fields after the name: state is field 3; utime, stime, cutime, cstime are fields 14-17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0);
  }
  return ticks / TICKS_PER_SECOND;
}
