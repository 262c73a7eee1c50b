/**
 * Every saved version of an article (table article_revisions): written in the same transaction as
 * the save, so the record cannot miss one. Moderation compares the version current at the hide
 * with the current one, so a restore never republishes text nobody reviewed.
 */
import type { Knex } from 'knex';

export interface Revision {
  id: number;
  title: string;
  teaser: string;
  body: string;
  priceSat: number;
  createdAt: Date;
}

/** What a revision keeps of a save (the writer's draft). */
export interface RevisedText {
  title: string;
  teaser: string;
  body: string;
  priceSat: number;
}

export async function recordRevision(trx: Knex.Transaction, articleId: number, draft: RevisedText): Promise<void> {
  await trx('article_revisions').insert({
    article_id: articleId,
    title: draft.title,
    teaser: draft.teaser,
    body: draft.body,
    price_sat: draft.priceSat,
  });
}

const COLUMNS = ['id', 'title', 'teaser', 'body', 'price_sat', 'created_at'];
const toRevision = (r: Record<string, unknown>): Revision => ({
  id: Number(r.id),
  title: String(r.title),
  teaser: String(r.teaser),
  body: String(r.body),
  priceSat: Number(r.price_sat),
  createdAt: r.created_at as Date,
});

export interface SinceHide {
  /** The version readers could see when it was hidden (null for an article hidden before revisions were kept). */
  atHide: Revision | null;
  /** The latest version (what a restore publishes). */
  current: Revision | null;
  /** Versions saved since the hide. */
  editsSince: number;
}

export async function revisionsSinceHide(knex: Knex, articleId: number): Promise<SinceHide> {
  const article = await knex('articles').where({ id: articleId }).first('hidden_revision_id');
  const hiddenId = article?.hidden_revision_id == null ? null : Number(article.hidden_revision_id);
  const current = await knex('article_revisions').where({ article_id: articleId }).orderBy('id', 'desc').first(COLUMNS);
  const atHide = hiddenId === null ? null : await knex('article_revisions').where({ id: hiddenId, article_id: articleId }).first(COLUMNS);
  const since =
    hiddenId === null
      ? 0
      : Number(
          (await knex('article_revisions').where({ article_id: articleId }).where('id', '>', hiddenId).count({ n: '*' }).first())?.n ?? 0,
        );
  return { atHide: atHide ? toRevision(atHide) : null, current: current ? toRevision(current) : null, editsSince: since };
}
