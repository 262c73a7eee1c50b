/**
 * GET /admin/articles/:id/restore: before a hidden article goes back up, the moderator sees what
 * its writer changed since the hide (title, price, teaser and body, line by line) and restores
 * exactly the version reviewed (the form carries its revision id; a newer save sends them back
 * here). Mounted behind requireAdmin; drafts are not found.
 */
import type { RequestHandler } from 'express';
import type { ArticlesRepo } from '../articles/articles-repo';
import { loadOr404 } from '../web/params';
import { lineDiff } from '../articles/line-diff';
import { setFlash } from '../web/flash';
import type { ModerationRepo } from './moderation-repo';

export function createRestoreReview(deps: { articles: ArticlesRepo; moderation: ModerationRepo }): RequestHandler {
  return async (req, res) => {
    const article = await loadOr404(req.params.id, deps.articles.findById, (a) => a.status !== 'draft');
    if (article.status !== 'deleted by admin') {
      setFlash(req, `“${article.title}” is not hidden.`);
      return res.redirect('/admin');
    }
    const { atHide, current, editsSince } = await deps.moderation.sinceHide(article.id);
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
  };
}
