/**
 * Which of a list's articles the reader has paid for (the "Unlocked" mark on cards): one indexed
 * query per list page, for signed-in readers only; anonymous visitors cost nothing. The article
 * page itself already knows (its access check), so the hot path asks nothing more.
 */
import type { Knex } from 'knex';

export type UnlockedAmong = (readerId: number | null | undefined, articleIds: number[]) => Promise<Set<number>>;

export function createUnlockedAmong(knex: Knex): UnlockedAmong {
  return async (readerId, articleIds) => {
    if (!readerId || articleIds.length === 0) return new Set();
    const rows = await knex('payments')
      .where({ user_id: readerId, purpose: 'view', status: 'complete' })
      .whereIn('article_id', articleIds)
      .select('article_id');
    return new Set(rows.map((r) => Number(r.article_id)));
  };
}
