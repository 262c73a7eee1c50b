/**
 * GET /admin/articles/:id/restore: before a hidden article goes back up, the moderator sees what
 * its writer changed since the hide (title, price, teaser and body, line by line) and restores
 * exactly the version reviewed (the form carries its revision id; a newer save sends them back
 * here). Admins only; drafts are not found.
 */
import { Router } from 'express';
import type { ArticlesRepo } from '../db/articles-repo';
import { requireAdmin } from '../auth/guards';
import { NotFoundError } from '../errors';
import { parseId } from '../routes/articles';
import type { Publishing } from '../publishing';
import { lineDiff } from '../articles/line-diff';
import { setFlash } from '../http/flash';

export function createRestoreReviewRouter(deps: { articles: ArticlesRepo; publishing: Publishing }): Router {
  const router = Router();
  router.get('/admin/articles/:id/restore', requireAdmin, async (req, res) => {
    const id = parseId(String(req.params.id));
    const article = id === null ? null : await deps.articles.findById(id);
    if (!article || article.status === 'draft') throw new NotFoundError();
    if (article.status !== 'deleted by admin') {
      setFlash(req, `“${article.title}” is not hidden.`);
      return res.redirect('/admin');
    }
    const { atHide, current, editsSince } = await deps.publishing.moderation.sinceHide(article.id);
    const before = atHide ?? { title: '', teaser: '', body: '', priceSat: 0 };
    const after = current ?? { id: null, title: article.title, teaser: article.teaser, body: article.body, priceSat: article.priceSat };
    res.render('admin/restore', {
      title: `Restore “${article.title}”`,
      article,
      recordedAtHide: atHide !== null,
      editsSince,
      reviewedRevision: current?.id ?? '',
      changes: {
        title: before.title !== after.title ? { before: before.title, after: after.title } : null,
        price: before.priceSat !== after.priceSat ? { before: before.priceSat, after: after.priceSat } : null,
        teaser: before.teaser !== after.teaser ? lineDiff(before.teaser, after.teaser) : null,
        body: before.body !== after.body ? lineDiff(before.body, after.body) : null,
      },
    });
  });
  return router;
}
