/**
 * /admin: moderation. Flagged articles first (they stand out), then every article with its status,
 * views, upvotes and revenue; hide with a reason, restore, dismiss flags. Admins only; every action
 * lands in the audit log (moderation-repo.ts) in the same transaction.
 */
import type { RequestHandler } from 'express';
import type { ArticlesRepo } from '../articles/articles-repo';
import { loadOr404, parseId } from '../web/params';
import type { Logger } from '../lib/logger';
import type { User } from '../accounts/users-repo';
import type { ModerationRepo } from './moderation-repo';
import { setFlash, takeFlash } from '../web/flash';
import { createRestoreReview } from './restore-review';

/** Reasons offered on the hide form; the first is the default, a free-text note can add detail. */
export const HIDE_REASONS = [
  'Breaks the site rules',
  'Spam or advertising',
  'Plagiarism',
  'Illegal content',
  'Harassment or hate',
] as const;
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

export interface ModerationPages {
  index: RequestHandler;
  hide: RequestHandler;
  restore: RequestHandler;
  /** GET: what the writer changed since the hide, and the form that restores that version. */
  restoreReview: RequestHandler;
  dismissFlags: RequestHandler;
}

/** The moderation pages; the route table mounts them under /admin behind requireAdmin. */
export function createModerationPages(deps: { articles: ArticlesRepo; logger: Logger; moderation: ModerationRepo }): ModerationPages {
  const { moderation } = deps;

  const index: RequestHandler = async (req, res) => {
    const beforeId = typeof req.query.before === 'string' ? (parseId(req.query.before) ?? undefined) : undefined;
    const [articles, flagged] = await Promise.all([
      deps.articles.listAllWithRevenue({ limit: 100, beforeId }),
      moderation.flaggedArticles(),
    ]);
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
  };

  const act =
    (
      run: (articleId: number, adminId: number, reason: string, body: unknown) => Promise<boolean | 'needs-review'>,
      verb: string,
      fallback: string,
    ): RequestHandler =>
    async (req, res) => {
      // A draft is its writer's alone, admins included: not even its title shows in a notice.
      const article = await loadOr404(req.params.id, deps.articles.findById, (a) => a.status !== 'draft');
      const adminId = (req.user as User).id;
      const changed = await run(article.id, adminId, moderationReason(req.body, fallback), req.body);
      // The writer changed it since the hide: the moderator sees what changed before it goes back up.
      if (changed === 'needs-review') return res.redirect(303, `/admin/articles/${article.id}/restore`);
      if (changed) deps.logger.info(`article ${verb}`, { articleId: article.id, adminId });
      setFlash(req, changed ? `“${article.title}” was ${verb}.` : `“${article.title}” was already ${verb}.`);
      res.redirect('/admin');
    };

  return {
    index,
    hide: act((a, u, r) => moderation.hide(a, u, r), 'hidden', HIDE_REASONS[0]),
    restore: act((a, u, r, body) => moderation.restore(a, u, r, reviewedRevision(body)), 'restored', 'Reviewed and restored'),
    restoreReview: createRestoreReview(deps),
    dismissFlags: act(
      async (a, u, r) => (await moderation.dismissFlags(a, u, r)) > 0,
      'cleared of its flags',
      'Flags reviewed, nothing wrong',
    ),
  };
}
