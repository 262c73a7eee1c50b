/**
 * Attempt throttling that holds under any concurrency: an attempt is *reserved* (counted) before
 * the expensive or guessable work it guards (a password check, a signup's bcrypt, a preview), in one
 * atomic step per key, so N parallel attempts against a limit of L get exactly L through.
 *
 * A reservation names one or more keys, each with its own limit and window; it succeeds only if
 * every key has room, and then counts against all of them (all or nothing: a refused attempt costs
 * no key anything). The caller reports a success with `succeeded()`, which gives the slots back
 * (and can clear keys entirely), so only failures keep counting.
 *
 * Reusable by any login method (password, Lightning signature...): build the keys with
 * src/accounts/login-limits.ts and call `reserve`.
 */
import type { Knex } from 'knex';

export interface AttemptKey {
  /** A namespaced key, e.g. `login:ip:1.2.3.4`. */
  key: string;
  /** Attempts allowed per window. */
  limit: number;
  windowMs: number;
}

export type Reservation =
  | {
      allowed: true;
      /** Attempts left on the tightest key after this one (0: this was the last). */
      remaining: number;
      /** The attempt succeeded: give its slots back and reset the keys in `clear`. */
      succeeded(options?: { clear?: string[] }): Promise<void>;
    }
  | { allowed: false; retryAfterSeconds: number; key: string };

export interface AttemptThrottle {
  reserve(keys: AttemptKey[]): Promise<Reservation>;
}

/** Keys in one order everywhere, so two reservations never wait on each other's rows in a cycle. */
const sorted = (keys: AttemptKey[]) =>
  [...new Map(keys.map((k) => [k.key, k])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** One process (tests, a single worker): JavaScript runs a reservation to the end before the next. */
export function createMemoryAttemptThrottle(now: () => number = Date.now): AttemptThrottle {
  const counts = new Map<string, { count: number; resetAt: number }>();
  const sweep = () => {
    if (counts.size > 100_000) for (const [k, v] of counts) if (v.resetAt <= now()) counts.delete(k);
  };
  const throttle: AttemptThrottle = {
    async reserve(keys) {
      const t = now();
      for (const k of sorted(keys)) {
        const c = counts.get(k.key);
        if (c && c.resetAt > t && c.count >= k.limit)
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((c.resetAt - t) / 1000)), key: k.key };
      }
      let remaining = Infinity;
      for (const k of sorted(keys)) {
        let c = counts.get(k.key);
        if (!c || c.resetAt <= t) counts.set(k.key, (c = { count: 0, resetAt: t + k.windowMs }));
        c.count += 1;
        remaining = Math.min(remaining, k.limit - c.count);
      }
      sweep();
      return {
        allowed: true,
        remaining,
        async succeeded(options = {}) {
          for (const k of keys) {
            const c = counts.get(k.key);
            if (c && c.count > 0) c.count -= 1;
          }
          for (const key of options.clear ?? []) counts.delete(key);
        },
      };
    },
  };
  return throttle;
}

/**
 * Every worker of a cluster shares the counts (table login_attempts). Each key is an upsert that
 * only counts while under the limit (`WHERE count < limit`, evaluated on the locked, latest row),
 * all keys in one transaction that is rolled back if any key is full.
 */
export function createPgAttemptThrottle(knex: Knex): AttemptThrottle {
  const take = (trx: Knex.Transaction, k: AttemptKey) =>
    trx.raw(
      `INSERT INTO login_attempts (key, count, reset_at) VALUES (?, 1, now() + ? * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN login_attempts.reset_at <= now() THEN 1 ELSE login_attempts.count + 1 END,
         reset_at = CASE WHEN login_attempts.reset_at <= now() THEN EXCLUDED.reset_at ELSE login_attempts.reset_at END
       WHERE login_attempts.reset_at <= now() OR login_attempts.count < ?
       RETURNING count`,
      [k.key, k.windowMs, k.limit],
    );

  class Full extends Error {
    constructor(readonly key: string) {
      super('full');
    }
  }

  return {
    async reserve(keys) {
      const ordered = sorted(keys);
      try {
        const remaining = await knex.transaction(async (trx) => {
          let left = Infinity;
          for (const k of ordered) {
            const { rows } = await take(trx, k);
            if (rows.length === 0) throw new Full(k.key);
            left = Math.min(left, k.limit - Number(rows[0].count));
          }
          return left;
        });
        return {
          allowed: true,
          remaining,
          async succeeded(options = {}) {
            const clear = options.clear ?? [];
            const giveBack = ordered.map((k) => k.key).filter((k) => !clear.includes(k));
            if (giveBack.length)
              await knex('login_attempts')
                .whereIn('key', giveBack)
                .where('count', '>', 0)
                .update({ count: knex.raw('count - 1') });
            if (clear.length) await knex('login_attempts').whereIn('key', clear).del();
          },
        };
      } catch (err) {
        if (!(err instanceof Full)) throw err;
        const row = await knex('login_attempts').where({ key: err.key }).first('reset_at');
        const wait = row ? Math.ceil((new Date(row.reset_at).getTime() - Date.now()) / 1000) : 1;
        return { allowed: false, retryAfterSeconds: Math.max(1, wait), key: err.key };
      }
    },
  };
}
