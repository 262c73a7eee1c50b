/**
 * The load generator on one CPU and the server under test on another, for a measurement where both
 * sides are single-threaded JavaScript on a 2-CPU machine: otherwise the scheduler moves them onto
 * the same CPU now and then, and one short run of a pair comes out tens of percent off. Both the
 * page and its limit are pinned the same way. Uses taskset (util-linux); without it, or with fewer
 * than 2 CPUs, or with BENCH_PIN=0, nothing is pinned. Returns the undo.
 */
import os from 'node:os';
import { execFileSync } from 'node:child_process';

function taskset(cpus: string, pid: number): boolean {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function pinApart(serverPids: number[], log: (message: string) => void): () => void {
  const cpus = os.cpus().length;
  if (process.env.BENCH_PIN === '0' || cpus < 2) return () => undefined;
  const all = `0-${cpus - 1}`;
  const pinned = [process.pid, ...serverPids].filter((pid, i) => taskset(i === 0 ? '0' : '1', pid));
  if (pinned.length === 0) return () => undefined;
  log(`pinned: the load generator on CPU 0, the servers on CPU 1 (${pinned.length - 1} of ${serverPids.length})`);
  return () => {
    for (const pid of pinned) taskset(all, pid);
  };
}
