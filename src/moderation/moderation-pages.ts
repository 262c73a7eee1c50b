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

/** Reasons offered on the hide form; the first is the default, a free-text note can add detail. */
export const HIDE_REASONS = ['Breaks the site rules', 'Spam or advertising', 'Plagiarism', 'Illegal content', 'Harassment or hate'] as const;
export const REASON_MAX = 500;

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : '';
};

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
  dismissFlags: RequestHandler;
}

/** The moderation pages; the route table mounts them under /admin behind requireAdmin. */
export function createModerationPages(deps: { articles: ArticlesRepo; logger: Logger; moderation: ModerationRepo }): ModerationPages {
  const { moderation } = deps;

  const index: RequestHandler = async (req, res) => {
    const beforeId = typeof req.query.before === 'string' ? parseId(req.query.before) ?? undefined : undefined;
    const [articles, flagged] = await Promise.all([deps.articles.listAllWithRevenue({ limit: 100, beforeId }), moderation.flaggedArticles()]);
    const flagCounts = await moderation.openFlagCounts(articles.map((a) => a.id));
    const notice = typeof req.query.notice === 'string' ? req.query.notice.slice(0, 300) : null;
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
    (run: (articleId: number, adminId: number, reason: string) => Promise<boolean>, verb: string, fallback: string): RequestHandler =>
    async (req, res) => {
      const article = await loadOr404(req.params.id, deps.articles.findById);
      const adminId = (req.user as User).id;
      const changed = await run(article.id, adminId, moderationReason(req.body, fallback));
      if (changed) deps.logger.info(`article ${verb}`, { articleId: article.id, adminId });
      const notice = changed ? `“${article.title}” was ${verb}.` : `“${article.title}” was already ${verb}.`;
      res.redirect(`/admin?notice=${encodeURIComponent(notice)}`);
    };

  return {
    index,
    hide: act((a, u, r) => moderation.hide(a, u, r), 'hidden', HIDE_REASONS[0]),
    restore: act((a, u, r) => moderation.restore(a, u, r), 'restored', 'Reviewed and restored'),
    dismissFlags: act(async (a, u, r) => (await moderation.dismissFlags(a, u, r)) > 0, 'cleared of its flags', 'Flags reviewed, nothing wrong'),
  };
}
