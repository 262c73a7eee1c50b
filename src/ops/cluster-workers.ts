/**
 * The cluster primary's worker pool: forks `count` workers with `env` (how they find the shared
 * database and node), replaces a worker that dies unexpectedly, and stops them all on request
 * (each finishes its own requests on SIGTERM).
 */
import cluster from 'node:cluster';
import type { Logger } from '../lib/logger';

export interface WorkerPool {
  stopWorkers(): Promise<void>;
}

export function startWorkers(options: {
  count: number;
  env: Record<string, string>;
  logger: Logger;
  isStopping: () => boolean;
  /** Called once, when every worker listens. */
  onAllListening: () => void;
}): WorkerPool {
  const { count, env, logger, isStopping } = options;
  const fork = () => cluster.fork(env);
  let listening = 0;
  cluster.on('listening', () => {
    listening += 1;
    if (listening === count) options.onAllListening();
  });
  cluster.on('exit', (worker, code, signal) => {
    if (isStopping()) return;
    logger.error('worker exited; starting another', { pid: worker.process.pid, code, signal });
    setTimeout(() => !isStopping() && fork(), 1_000);
  });
  for (let i = 0; i < count; i += 1) fork();
  return {
    async stopWorkers() {
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is NonNullable<typeof w> => w !== undefined && !w.isDead());
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve) => {
              w.once('exit', () => resolve());
              if (w.isDead()) resolve();
              else w.process.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
