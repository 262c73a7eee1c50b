/**
 * CPU time spent by processes, from /proc (Linux): lets the bench say how many milliseconds of
 * Node and of PostgreSQL each request costs, which holds up better than req/s on a busy machine.
 */
import fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of one process (plus its ended children's with `children`), in ms; 0 when it is gone. */
export function cpuMsOf(pid: number, children = false): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const ticks = fields[11] + fields[12] + (children ? fields[13] + fields[14] : 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/**
 * A process and its direct children (a PostgreSQL postmaster, its backends and background
 * workers), counting children that ended too, so a backend that exits mid-run is not lost.
 */
export function cpuMsOfTree(pid: number): number {
  let total = cpuMsOf(pid, true);
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
