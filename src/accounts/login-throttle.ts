/**
 * Login throttling: failed logins are counted per client IP and per username+IP in fixed windows.
 * Once a key is over its limit, further attempts are refused (429 with Retry-After) before the
 * password is even checked, so guessing continues to cost nothing but gains nothing. A successful
 * login clears the username+IP count. Two stores with one contract: in memory (one process, tests)
 * and PostgreSQL (every worker of a cluster sees the same counts).
 */
import type { Knex } from 'knex';

export interface ThrottleLimits {
  /** Failed attempts allowed per window from one IP (any usernames). */
  perIp: number;
  /** Failed attempts allowed per window for one username from one IP. */
  perUserIp: number;
  windowMs: number;
}

export const DEFAULT_LIMITS: ThrottleLimits = { perIp: 50, perUserIp: 5, windowMs: 15 * 60 * 1000 };

export interface LoginThrottle {
  /** null: go ahead; otherwise the seconds to wait. */
  blockedFor(ip: string, username: string): Promise<number | null>;
  recordFailure(ip: string, username: string): Promise<void>;
  recordSuccess(ip: string, username: string): Promise<void>;
}

const keys = (ip: string, username: string) => ({ ip: `ip:${ip}`, user: `user:${username.toLowerCase()}|ip:${ip}` });

/** Counts kept by a store: increment returns the count and when the window ends. */
interface CounterStore {
  peek(key: string): Promise<{ count: number; resetAt: number } | null>;
  increment(key: string, windowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
}

function throttleOver(store: CounterStore, limits: ThrottleLimits, now: () => number): LoginThrottle {
  return {
    async blockedFor(ip, username) {
      const k = keys(ip, username);
      let wait = 0;
      for (const [key, limit] of [[k.ip, limits.perIp], [k.user, limits.perUserIp]] as const) {
        const c = await store.peek(key);
        if (c && c.resetAt > now() && c.count >= limit) wait = Math.max(wait, Math.ceil((c.resetAt - now()) / 1000));
      }
      return wait > 0 ? wait : null;
    },
    async recordFailure(ip, username) {
      const k = keys(ip, username);
      await store.increment(k.ip, limits.windowMs);
      await store.increment(k.user, limits.windowMs);
    },
    async recordSuccess(ip, username) {
      await store.clear(keys(ip, username).user);
    },
  };
}

export function createMemoryLoginThrottle(limits: ThrottleLimits = DEFAULT_LIMITS, now: () => number = Date.now): LoginThrottle {
  const counts = new Map<string, { count: number; resetAt: number }>();
  return throttleOver(
    {
      async peek(key) {
        return counts.get(key) ?? null;
      },
      async increment(key, windowMs) {
        const c = counts.get(key);
        if (!c || c.resetAt <= now()) counts.set(key, { count: 1, resetAt: now() + windowMs });
        else c.count += 1;
        if (counts.size > 100_000) for (const [k, v] of counts) if (v.resetAt <= now()) counts.delete(k);
      },
      async clear(key) {
        counts.delete(key);
      },
    },
    limits,
    now,
  );
}

/** Table login_attempts (migration 20261121000020): one row per key and window. */
export function createPgLoginThrottle(knex: Knex, limits: ThrottleLimits = DEFAULT_LIMITS): LoginThrottle {
  return throttleOver(
    {
      async peek(key) {
        const row = await knex('login_attempts').where({ key }).first('count', 'reset_at');
        return row ? { count: row.count, resetAt: new Date(row.reset_at).getTime() } : null;
      },
      async increment(key, windowMs) {
        // One statement, so concurrent failures in several workers all count.
        await knex.raw(
          `INSERT INTO login_attempts (key, count, reset_at) VALUES (?, 1, now() + ? * interval '1 millisecond')
           ON CONFLICT (key) DO UPDATE SET
             count = CASE WHEN login_attempts.reset_at <= now() THEN 1 ELSE login_attempts.count + 1 END,
             reset_at = CASE WHEN login_attempts.reset_at <= now() THEN EXCLUDED.reset_at ELSE login_attempts.reset_at END`,
          [key, windowMs],
        );
      },
      async clear(key) {
        await knex('login_attempts').where({ key }).del();
      },
    },
    limits,
    Date.now,
  );
}
