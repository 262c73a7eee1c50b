/**
 * Paid upvotes (a zap), paid inline on the article page. POST /articles/:id/upvote with an amount
 * starts one (an upvote payment with its invoice, the same Payment states, watcher and ledger as a
 * view) and sends the reader back to the same article page, which shows the invoice panel where
 * the upvote form was (upvote-panel.ts). public/js/paywall.js makes the same POST with fetch and
 * swaps the panel in without leaving the page; without JavaScript the redirect does it.
 * GET /articles/:id/upvotes/:paymentId was the upvote's own invoice page: kept as a permanent
 * redirect to the article page, for links already out there.
 */
import type { Request, RequestHandler } from 'express';
import type { Article, ArticlesRepo } from './articles-repo';
import type { User } from '../accounts/users-repo';
import type { UpvotesService } from '../payments/upvotes-service';
import { currentUser } from '../accounts/guards';
import { NotFoundError } from '../web/errors';
import { loadOr404, parseId } from '../web/params';
import { setFlash } from '../web/flash';
import { isOut } from './schedule';
import { upvotePanelUrl } from './upvote-panel';

export interface UpvotePagesDeps {
  articles: ArticlesRepo;
  upvotes: UpvotesService;
}

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** Back to the article page with a one-line notice, kept in the session (never in the URL: see web/flash.ts). */
export const backToArticle = (req: Request, article: Article, notice: string) => {
  setFlash(req, notice);
  return `/articles/${article.id}`;
};

/** Back to the article's upvote form, with why the upvote was refused shown next to it. */
const backToUpvoteForm = (req: Request, article: Article, notice: string) => {
  setFlash(req, notice, 'upvoteNotice');
  return `/articles/${article.id}#upvote`;
};

/** The published article named by the URL's :id (out already: not a scheduled one), or a 404. */
export function publishedArticle(articles: ArticlesRepo, req: Request): Promise<Article> {
  return loadOr404(req.params.id, articles.findById, (a) => isOut(a));
}

export interface UpvotePages {
  start: RequestHandler;
  /** The old upvote page's address: a permanent redirect to the article page with that upvote's panel. */
  legacyRedirect: RequestHandler;
}

export function createUpvotePages(deps: UpvotePagesDeps): UpvotePages {
  const { upvotes } = deps;

  const start: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const article = await publishedArticle(deps.articles, req);
    // A quick-pick button sends amountSat; the "other amount" field sends customSat.
    const raw = field(req.body, 'amountSat') || field(req.body, 'customSat');
    const amount = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
    // The node being down (LightningUnavailableError) is the error handler's 503 page (src/web/node-down.ts).
    const result = await upvotes.start(user, article, amount);
    if (result.kind === 'not-paid')
      return res.redirect(303, backToArticle(req, article, 'Only readers who have paid for an article can upvote it.'));
    if (result.kind === 'bad-amount') {
      const range = `${result.min.toLocaleString('en-US')} to ${result.max.toLocaleString('en-US')}`;
      return res.redirect(303, backToUpvoteForm(req, article, `An upvote is a whole number of sats from ${range}.`));
    }
    if (result.kind === 'too-many-open') {
      const who =
        result.scope === 'reader'
          ? `You already have ${result.limit} unpaid upvotes`
          : `This article already has ${result.limit} unpaid upvotes`;
      return res.redirect(303, backToUpvoteForm(req, article, `${who} waiting: pay or let them expire before starting another.`));
    }
    res.redirect(303, upvotePanelUrl(article.id, result.payment.id));
  };

  const legacyRedirect: RequestHandler = (req, res) => {
    const articleId = parseId(req.params.id);
    const paymentId = parseId(req.params.paymentId);
    if (articleId === null || paymentId === null) throw new NotFoundError();
    res.redirect(301, upvotePanelUrl(articleId, paymentId, req.query.check === 'true'));
  };

  return { start, legacyRedirect };
}
