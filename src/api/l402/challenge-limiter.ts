/**
 * Every 402 costs the node an invoice, so challenges are limited per client address and in total,
 * in fixed windows. Memory is bounded: at most `maxClients` addresses are counted per window (the
 * least recently seen are forgotten first; the total still bounds them), and a new window starts
 * from nothing. Per process: with WEB_CONCURRENCY=N the total is N times the setting.
 */
import { Lru } from '../../lib/lru';

export interface ChallengeLimits {
  perClient: number;
  total: number;
  windowSeconds: number;
  maxClients?: number;
}

export interface ChallengeLimiter {
  /** Counts one challenge for `client`; when over a limit, says how many seconds to wait instead. */
  take(client: string): { ok: true } | { ok: false; retryAfterSeconds: number; scope: 'client' | 'total' };
}

export function createChallengeLimiter(limits: ChallengeLimits, now: () => Date = () => new Date()): ChallengeLimiter {
  const windowMs = limits.windowSeconds * 1000;
  const clients = new Lru<string, number>(limits.maxClients ?? 10_000);
  let windowStart = -1;
  let total = 0;
  return {
    take(client) {
      const t = now().getTime();
      const start = t - (t % windowMs);
      if (start !== windowStart) {
        windowStart = start;
        total = 0;
        clients.clear();
      }
      const retryAfterSeconds = Math.max(1, Math.ceil((start + windowMs - t) / 1000));
      const used = clients.get(client) ?? 0;
      if (used >= limits.perClient) return { ok: false, retryAfterSeconds, scope: 'client' };
      if (total >= limits.total) return { ok: false, retryAfterSeconds, scope: 'total' };
      clients.set(client, used + 1);
      total += 1;
      return { ok: true };
    },
  };
}
