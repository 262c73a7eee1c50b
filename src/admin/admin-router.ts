/** /admin: every article with its status, views and revenue; hide and restore. Admins only. */
import { Router } from 'express';
import type { ArticlesRepo, ArticleStatus } from '../db/articles-repo';
import { requireAdmin } from '../auth/guards';
import { NotFoundError } from '../errors';
import { parseId } from '../routes/articles';
import type { Logger } from '../logger';
import type { User } from '../db/users-repo';

export function createAdminRouter(deps: { articles: ArticlesRepo; logger: Logger }): Router {
  const router = Router();
  router.use('/admin', requireAdmin);

  router.get('/admin', async (req, res) => {
    const articles = await deps.articles.listAllWithRevenue();
    const notice = typeof req.query.notice === 'string' ? req.query.notice : null;
    res.render('admin/index', { title: 'Moderation', articles, notice });
  });

  const moderate = (path: string, from: ArticleStatus, to: ArticleStatus, verb: string) =>
    router.post(path, async (req, res) => {
      const id = parseId(String(req.params.id));
      const article = id === null ? null : await deps.articles.findById(id);
      if (!article) throw new NotFoundError();
      const changed = await deps.articles.setStatus(article.id, from, to);
      if (changed) deps.logger.info(`article ${verb}`, { articleId: article.id, adminId: (req.user as User).id });
      const notice = changed ? `“${article.title}” was ${verb}.` : `“${article.title}” was already ${verb}.`;
      res.redirect(`/admin?notice=${encodeURIComponent(notice)}`);
    });

  moderate('/admin/articles/:id/hide', 'published', 'deleted by admin', 'hidden');
  moderate('/admin/articles/:id/restore', 'deleted by admin', 'published', 'restored');
  return router;
}
