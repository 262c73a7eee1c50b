/**
 * A task run at start and then every `intervalMs`, never overlapping itself: a tick while one is
 * under way joins it. The workers that poll (payouts, scheduled publishing) are built on it; `run`
 * handles its own errors (a failed pass is logged and the next tick tries again).
 */
export interface PeriodicTask<T> {
  start(): void;
  /** A pass now, or the one under way. */
  tick(): Promise<T>;
  /** A pass that starts after the call (one already under way may have read before the caller's change). */
  runOnce(): Promise<T>;
  /** No more ticks; waits for the pass under way. */
  stop(): Promise<void>;
}

export function createPeriodicTask<T>(run: () => Promise<T>, intervalMs: number): PeriodicTask<T> {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<T> | null = null;
  let stopped = false;
  const tick = () => {
    running ??= run().finally(() => (running = null));
    return running;
  };
  return {
    start() {
      if (timer || stopped) return;
      void tick();
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    tick,
    async runOnce() {
      if (running) await running;
      return tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}
