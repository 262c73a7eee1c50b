/** POST /articles/:id/flag: a logged-in reader reports a published article with a short reason. */
import type { RequestHandler } from 'express';
import type { ArticlesRepo } from '../articles/articles-repo';
import type { User } from '../accounts/users-repo';
import type { Logger } from '../lib/logger';
import { currentUser } from '../accounts/guards';
import { backToArticle, publishedArticle } from '../articles/upvote-pages';
import type { ModerationRepo } from './moderation-repo';

export const FLAG_REASON_MAX = 200;

export interface FlagPage {
  flag: RequestHandler;
}

export function createFlagPage(deps: { articles: ArticlesRepo; moderation: ModerationRepo; logger: Logger }): FlagPage {
  const flag: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const article = await publishedArticle(deps.articles, req);
    const raw = (req.body as Record<string, unknown> | undefined)?.reason;
    const reason = (typeof raw === 'string' ? raw.trim() : '').replace(/\s+/g, ' ');
    if (!reason || reason.length > FLAG_REASON_MAX) {
      return res.redirect(
        303,
        backToArticle(req, article, `Say in a few words (at most ${FLAG_REASON_MAX} characters) what is wrong with this article.`),
      );
    }
    await deps.moderation.flag(article.id, user.id, reason);
    deps.logger.info('article flagged', { articleId: article.id, userId: user.id });
    res.redirect(303, backToArticle(req, article, 'Thank you: an admin will look at this article.'));
  };
  return { flag };
}
