/**
 * CPU time spent by processes, from /proc (Linux): lets the bench say how many milliseconds of
 * Node and of PostgreSQL each request costs, which holds up better than req/s on a busy machine.
 */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one process, in ms; 0 when it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** A process and its direct children (a PostgreSQL postmaster and its backends). */
export function cpuMsOfTree(pid: number): number {
  let total = cpuMsOf(pid);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) total += cpuMsOf(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** The postmaster's pid from its data dir. */
export function postmasterPid(pgDataDir: string): number {
  return Number(fs.readFileSync(`${pgDataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
}
