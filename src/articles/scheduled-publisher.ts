/**
 * The publish worker: what must happen when a scheduled article's time comes. Whether readers see
 * it needs no worker (every read asks `published_at <= now()`, schedule.ts); this sends the
 * article.published webhook event and makes every process's page cache forget its lists and the
 * article (the trigger's NOTIFY). Each due article is claimed FOR UPDATE SKIP LOCKED and its
 * `scheduled_publications` row deleted in the transaction that enqueues the event, so across
 * processes and restarts the event is sent exactly once; a worker that was down catches up at its
 * next tick. Runs in every process; ticks never overlap.
 */
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger';
import { createPeriodicTask } from '../lib/periodic-task';
import { announcePublished } from './articles-repo';
import { ARTICLE_CHANNEL } from './article-cache';
import { VISIBLE_SQL } from './schedule';

export interface ScheduledPublisher {
  start(): void;
  /** Publishes what is due now; returns how many articles. Tests call it instead of waiting. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Articles announced per transaction (a larger backlog takes several). */
const BATCH = 50;

export function createScheduledPublisher(deps: { knex: Knex; logger: Logger; intervalMs: number }): ScheduledPublisher {
  const { knex, logger } = deps;

  async function batch(): Promise<number> {
    return knex.transaction(async (trx) => {
      const { rows } = await trx.raw<{
        rows: Array<{ id: string; author_id: string | null; title: string; price_sat: number; published_at: Date }>;
      }>(
        `SELECT a.id, a.author_id, a.title, a.price_sat, a.published_at
         FROM scheduled_publications p JOIN articles a ON a.id = p.article_id
         WHERE ${VISIBLE_SQL}
         ORDER BY a.published_at, a.id LIMIT ?
         FOR UPDATE OF p SKIP LOCKED`,
        [BATCH],
      );
      for (const r of rows) {
        await announcePublished(trx, Number(r.id), Number(r.author_id), { title: r.title, priceSat: r.price_sat }, r.published_at);
        // Every process forgets the article and its lists at commit (the home page's first page is kept in memory).
        await trx.raw('SELECT pg_notify(?, ?)', [ARTICLE_CHANNEL, String(r.id)]);
      }
      if (rows.length > 0)
        await trx('scheduled_publications')
          .whereIn(
            'article_id',
            rows.map((r) => r.id),
          )
          .del();
      for (const r of rows) logger.info('scheduled article published', { articleId: Number(r.id), publishedAt: r.published_at });
      return rows.length;
    });
  }

  async function once(): Promise<number> {
    let total = 0;
    try {
      for (let n = await batch(); n > 0; n = n === BATCH ? await batch() : 0) total += n;
    } catch (err) {
      logger.warn('publishing scheduled articles failed; the next tick tries again', { error: err });
    }
    return total;
  }

  const task = createPeriodicTask(once, deps.intervalMs);
  return { start: task.start, runOnce: task.runOnce, stop: task.stop };
}
