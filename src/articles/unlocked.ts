/**
 * Which of a list's articles the reader has paid for (the "Unlocked" mark on cards): one indexed
 * query per list page, for signed-in readers only; anonymous visitors cost nothing. The article
 * page itself already knows (its access check), so the hot path asks nothing more.
 */
import type { Pool } from 'pg';

export type UnlockedAmong = (readerId: number | null | undefined, articleIds: number[]) => Promise<Set<number>>;

const UNLOCKED_AMONG = `SELECT article_id FROM payments
  WHERE user_id = $1 AND purpose = 'view' AND status = 'complete' AND article_id = ANY($2::bigint[])`;

/**
 * `pool` is the one the session is read from (src/compose.ts): like that read, this query runs on
 * every page of a signed-in reader's lists, so it is a named statement that each connection parses
 * and plans once, with the page's ids as one array parameter.
 */
export function createUnlockedAmong(pool: Pick<Pool, 'query'>): UnlockedAmong {
  return async (readerId, articleIds) => {
    if (!readerId || articleIds.length === 0) return new Set();
    const { rows } = await pool.query<{ article_id: string }>({
      name: 'paywall-unlocked-among',
      text: UNLOCKED_AMONG,
      values: [readerId, articleIds],
    });
    return new Set(rows.map((r) => Number(r.article_id)));
  };
}
