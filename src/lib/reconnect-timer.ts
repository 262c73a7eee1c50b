/**
 * One pending reconnect at a time, with exponential backoff: the invoice stream and the LISTEN
 * connection both lose their peer and must come back without hammering it. `schedule` does nothing
 * while a reconnect is already pending (so two failure reports make one retry); `succeeded`
 * starts the next outage from the first delay again; `cancel` is for shutdown.
 */
export interface ReconnectTimer {
  /** Runs `reconnect` after the next backoff delay; returns that delay, or null if one is already pending. */
  schedule(): number | null;
  succeeded(): void;
  cancel(): void;
}

export interface ReconnectTimerOptions {
  initialMs: number;
  maxMs: number;
  /** Spread each delay by ±25 % so many clients don't retry in step. */
  jitter?: boolean;
  reconnect: () => void;
}

export function createReconnectTimer(options: ReconnectTimerOptions): ReconnectTimer {
  let timer: NodeJS.Timeout | null = null;
  let attempt = 0;
  return {
    schedule() {
      if (timer) return null;
      const base = Math.min(options.maxMs, options.initialMs * 2 ** attempt);
      const delay = options.jitter ? base * (0.75 + Math.random() * 0.5) : base;
      attempt += 1;
      timer = setTimeout(() => {
        timer = null;
        options.reconnect();
      }, delay);
      return delay;
    },
    succeeded() {
      attempt = 0;
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
