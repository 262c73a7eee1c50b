/**
 * Paid upvotes. POST /articles/:id/upvote with an amount starts one (an upvote payment with its
 * invoice) and sends the reader to GET /articles/:id/upvotes/:paymentId, which shows the same
 * invoice panel as the paywall (Complete is ?check=true there; the live unlock listens for this
 * payment).
 */
import type { Request, RequestHandler } from 'express';
import type { Article, ArticlesRepo } from './articles-repo';
import type { User } from '../accounts/users-repo';
import type { UpvotesService } from '../payments/upvotes-service';
import type { SiteSettings } from '../web/site-settings';
import { currentUser } from '../accounts/guards';
import { NotFoundError } from '../web/errors';
import { invoiceQrSvg } from '../payments/invoice-qr';
import { articleMeta } from './article-page';
import { loadOr404, parseId } from '../web/params';
import { setFlash } from '../web/flash';
import { isOut } from './schedule';

export interface UpvotePagesDeps {
  articles: ArticlesRepo;
  upvotes: UpvotesService;
  settings: SiteSettings;
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

/** The published article named by the URL's :id (out already: not a scheduled one), or a 404. */
export function publishedArticle(articles: ArticlesRepo, req: Request): Promise<Article> {
  return loadOr404(req.params.id, articles.findById, (a) => isOut(a));
}

export interface UpvotePages {
  start: RequestHandler;
  show: RequestHandler;
}

export function createUpvotePages(deps: UpvotePagesDeps): UpvotePages {
  const { upvotes, settings } = deps;

  const start: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const article = await publishedArticle(deps.articles, req);
    const raw = field(req.body, 'amountSat');
    const amount = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
    // The node being down (LightningUnavailableError) is the error handler's 503 page (src/web/node-down.ts).
    const result = await upvotes.start(user, article, amount);
    if (result.kind === 'not-paid')
      return res.redirect(303, backToArticle(req, article, 'Only readers who have paid for an article can upvote it.'));
    if (result.kind === 'bad-amount') {
      return res.redirect(
        303,
        backToArticle(
          req,
          article,
          `An upvote is a whole number of sats from ${result.min.toLocaleString('en-US')} to ${result.max.toLocaleString('en-US')}.`,
        ),
      );
    }
    if (result.kind === 'too-many-open') {
      const who =
        result.scope === 'reader'
          ? `You already have ${result.limit} unpaid upvotes`
          : `This article already has ${result.limit} unpaid upvotes`;
      return res.redirect(303, backToArticle(req, article, `${who} waiting: pay or let them expire before starting another.`));
    }
    res.redirect(303, `/articles/${article.id}/upvotes/${result.payment.id}`);
  };

  const show: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const article = await publishedArticle(deps.articles, req);
    const paymentId = parseId(req.params.paymentId);
    const check = req.query.check === 'true';
    const payment = paymentId === null ? null : await upvotes.status(user, article, paymentId, { check });
    if (!payment) throw new NotFoundError();
    const qrSvg = payment.status === 'pending_payment' && payment.paymentRequest ? await invoiceQrSvg(payment.paymentRequest) : null;
    const meta = articleMeta(article, settings.publicUrl);
    res.render('articles/upvote', {
      title: `Upvote “${article.title}”`,
      canonicalUrl: meta.canonicalUrl,
      article,
      payment,
      checked: check,
      qrSvg,
    });
  };

  return { start, show };
}
