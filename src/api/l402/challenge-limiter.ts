/**
 * Every 402 costs the node an invoice, so challenges are limited per client address and in total,
 * in fixed windows, counted in PostgreSQL (l402_challenge_counts) so the limits hold across every
 * site process (WEB_CONCURRENCY workers, several hosts): one statement per challenge, an atomic
 * upsert of the client's row and then of the window's total row (client ''), each only while under
 * its limit. Row locks order concurrent challenges, so no window ever counts past a limit.
 *
 * A client refused for its own limit never counts toward the total (one address cannot use up
 * everyone's challenges); one refused for the total keeps the one it was counted (it could not have
 * had a challenge in this window anyway). Rows of past windows are deleted when a process first sees
 * a new window: the table holds about one window's addresses.
 */
import type { Knex } from 'knex';

export interface ChallengeLimits {
  perClient: number;
  total: number;
  windowSeconds: number;
}

export type ChallengeAllowance = { ok: true } | { ok: false; retryAfterSeconds: number; scope: 'client' | 'total' };

export interface ChallengeLimiter {
  /** Counts one challenge for `client`; when over a limit, says how many seconds to wait instead. */
  take(client: string): Promise<ChallengeAllowance>;
}

/** The window total's row; client addresses are never empty. */
const TOTAL = '';

export function createChallengeLimiter(knex: Knex, limits: ChallengeLimits, now: () => Date = () => new Date()): ChallengeLimiter {
  const windowMs = limits.windowSeconds * 1000;
  let pruned = -1;
  return {
    async take(client) {
      const t = now().getTime();
      const start = t - (t % windowMs);
      const retryAfterSeconds = Math.max(1, Math.ceil((start + windowMs - t) / 1000));
      const windowStart = new Date(start);
      if (pruned !== start) {
        pruned = start;
        await knex('l402_challenge_counts').where('window_start', '<', windowStart).del();
      }
      const who = client === TOTAL ? 'unknown' : client.slice(0, 100);
      const { rows } = await knex.raw<{ rows: Array<{ client_n: number | null; total_n: number | null; total_before: number | null }> }>(
        `WITH before AS (
           SELECT n FROM l402_challenge_counts WHERE window_start = :w AND client = :total_key
         ), counted AS (
           INSERT INTO l402_challenge_counts AS c (window_start, client, n)
           SELECT :w, :who, 1 WHERE coalesce((SELECT n FROM before), 0) < :total
           ON CONFLICT (window_start, client) DO UPDATE SET n = c.n + 1 WHERE c.n < :per_client
           RETURNING c.n
         ), total AS (
           INSERT INTO l402_challenge_counts AS c (window_start, client, n)
           SELECT :w, :total_key, 1 WHERE EXISTS (SELECT 1 FROM counted)
           ON CONFLICT (window_start, client) DO UPDATE SET n = c.n + 1 WHERE c.n < :total
           RETURNING c.n
         )
         SELECT (SELECT n FROM counted) AS client_n, (SELECT n FROM total) AS total_n, (SELECT n FROM before) AS total_before`,
        { w: windowStart, who, total_key: TOTAL, total: limits.total, per_client: limits.perClient },
      );
      const r = rows[0];
      if (r.client_n !== null && r.total_n !== null) return { ok: true };
      const scope = r.client_n === null && (r.total_before ?? 0) < limits.total ? 'client' : 'total';
      return { ok: false, retryAfterSeconds, scope };
    },
  };
}
