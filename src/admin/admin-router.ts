/**
 * /admin: moderation. Flagged articles first (they stand out), then every article with its status,
 * views, upvotes and revenue; hide with a reason, restore, dismiss flags. Admins only; every action
 * lands in the audit log (moderation-repo.ts) in the same transaction.
 */
import { Router } from 'express';
import type { ArticlesRepo } from '../db/articles-repo';
import { requireAdmin } from '../auth/guards';
import { NotFoundError } from '../errors';
import { parseId } from '../routes/articles';
import type { Logger } from '../logger';
import type { User } from '../db/users-repo';
import type { Publishing } from '../publishing';
import { setFlash, takeFlash } from '../http/flash';

/** Reasons offered on the hide form; the first is the default, a free-text note can add detail. */
export const HIDE_REASONS = ['Breaks the site rules', 'Spam or advertising', 'Plagiarism', 'Illegal content', 'Harassment or hate'] as const;
export const REASON_MAX = 500;

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : '';
};

/** The revision id the moderator reviewed on the restore page, if the form carried one. */
const reviewedRevision = (body: unknown): number | null => parseId(field(body, 'reviewedRevision'));

/** The preset reason (or the default) plus the admin's note, if any. */
export function moderationReason(body: unknown, fallback: string): string {
  const preset = field(body, 'reason');
  const note = field(body, 'note');
  const reason = note ? `${preset || fallback}: ${note}` : preset || fallback;
  return reason.slice(0, REASON_MAX);
}

export function createAdminRouter(deps: { articles: ArticlesRepo; logger: Logger; publishing: Publishing }): Router {
  const router = Router();
  const { moderation } = deps.publishing;
  router.use('/admin', requireAdmin);

  router.get('/admin', async (req, res) => {
    const beforeId = typeof req.query.before === 'string' ? parseId(req.query.before) ?? undefined : undefined;
    const [articles, flagged] = await Promise.all([deps.articles.listAllWithRevenue({ limit: 100, beforeId }), moderation.flaggedArticles()]);
    const flagCounts = await moderation.openFlagCounts(articles.map((a) => a.id));
    const notice = takeFlash(req);
    const last = articles[articles.length - 1];
    res.render('admin/index', {
      title: 'Moderation',
      articles,
      flagged,
      flagCounts,
      notice,
      hideReasons: HIDE_REASONS,
      olderHref: articles.length === 100 && last ? `/admin?before=${last.id}` : null,
    });
  });

  const act = (path: string, run: (articleId: number, adminId: number, reason: string, body: unknown) => Promise<boolean | 'needs-review'>, verb: string, fallback: string) =>
    router.post(path, async (req, res) => {
      const id = parseId(String(req.params.id));
      const article = id === null ? null : await deps.articles.findById(id);
      // A draft is its writer's alone, admins included: not even its title shows in a notice.
      if (!article || article.status === 'draft') throw new NotFoundError();
      const adminId = (req.user as User).id;
      const changed = await run(article.id, adminId, moderationReason(req.body, fallback), req.body);
      // The writer changed it since the hide: the moderator sees what changed before it goes back up.
      if (changed === 'needs-review') return res.redirect(303, `/admin/articles/${article.id}/restore`);
      if (changed) deps.logger.info(`article ${verb}`, { articleId: article.id, adminId });
      const notice = changed ? `“${article.title}” was ${verb}.` : `“${article.title}” was already ${verb}.`;
      setFlash(req, notice);
      res.redirect('/admin');
    });

  act('/admin/articles/:id/hide', (a, u, r) => moderation.hide(a, u, r), 'hidden', HIDE_REASONS[0]);
  act('/admin/articles/:id/restore', (a, u, r, body) => moderation.restore(a, u, r, reviewedRevision(body)), 'restored', 'Reviewed and restored');
  act('/admin/articles/:id/dismiss-flags', async (a, u, r) => (await moderation.dismissFlags(a, u, r)) > 0, 'cleared of its flags', 'Flags reviewed, nothing wrong');
  return router;
}
