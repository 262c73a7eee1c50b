/**
 * Paid upvotes. POST /articles/:id/upvote with an amount starts one (an upvote payment with its
 * invoice) and sends the reader to GET /articles/:id/upvotes/:paymentId, which shows the same
 * invoice panel as the paywall (Complete is ?check=true there; the live unlock listens for this
 * payment). Flags: POST /articles/:id/flag with a short reason.
 */
import { Router, type Request } from 'express';
import type { Article, ArticlesRepo } from '../db/articles-repo';
import type { User } from '../db/users-repo';
import type { Logger } from '../logger';
import type { Publishing } from '../publishing';
import { LightningUnavailableError } from '../lightning/types';
import { currentUser, requireUser } from '../auth/guards';
import { HttpError, NotFoundError } from '../errors';
import { invoiceQrSvg } from '../payments/invoice-qr';
import { articleMeta, parseId } from './articles';
import { setFlash } from '../http/flash';

export interface UpvotesRouterDeps {
  articles: ArticlesRepo;
  logger: Logger;
  publishing: Publishing;
}

export const FLAG_REASON_MAX = 200;

const field = (body: unknown, name: string): string => {
  const v = (body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

/** Back to the article with a notice kept in the session (never in the URL: see http/flash.ts). */
const back = (req: Request, article: Article, notice: string) => {
  setFlash(req, notice);
  return `/articles/${article.id}`;
};

export function createUpvotesRouter(deps: UpvotesRouterDeps): Router {
  const router = Router();
  const { upvotes, moderation, settings } = deps.publishing;

  async function publishedArticle(req: Request): Promise<Article> {
    const id = parseId(String(req.params.id));
    const article = id === null ? null : await deps.articles.findById(id);
    if (!article || article.status !== 'published') throw new NotFoundError();
    return article;
  }

  const unavailable = () =>
    new HttpError(503, 'Payments unavailable', 'The payment service is unavailable: we could not reach our Lightning node. Nothing was charged. Please try again in a minute.');

  router.post('/articles/:id/upvote', requireUser, async (req, res) => {
    const user = currentUser(req) as User;
    const article = await publishedArticle(req);
    const raw = field(req.body, 'amountSat');
    const amount = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
    let result;
    try {
      result = await upvotes.start(user, article, amount);
    } catch (err) {
      if (err instanceof LightningUnavailableError) throw unavailable();
      throw err;
    }
    if (result.kind === 'not-paid') return res.redirect(303, back(req, article, 'Only readers who have paid for an article can upvote it.'));
    if (result.kind === 'bad-amount') {
      return res.redirect(303, back(req, article, `An upvote is a whole number of sats from ${result.min.toLocaleString('en-US')} to ${result.max.toLocaleString('en-US')}.`));
    }
    if (result.kind === 'too-many-open') {
      const who = result.scope === 'reader' ? `You already have ${result.limit} unpaid upvotes` : `This article already has ${result.limit} unpaid upvotes`;
      return res.redirect(303, back(req, article, `${who} waiting: pay or let them expire before starting another.`));
    }
    res.redirect(303, `/articles/${article.id}/upvotes/${result.payment.id}`);
  });

  router.get('/articles/:id/upvotes/:paymentId', requireUser, async (req, res) => {
    const user = currentUser(req) as User;
    const article = await publishedArticle(req);
    const paymentId = parseId(String(req.params.paymentId));
    const check = req.query.check === 'true';
    let payment;
    try {
      payment = paymentId === null ? null : await upvotes.status(user, article, paymentId, { check });
    } catch (err) {
      if (err instanceof LightningUnavailableError) throw unavailable();
      throw err;
    }
    if (!payment) throw new NotFoundError();
    const qrSvg = payment.status === 'pending_payment' && payment.paymentRequest ? await invoiceQrSvg(payment.paymentRequest) : null;
    const meta = articleMeta(article, settings.publicUrl);
    res.render('articles/upvote', { title: `Upvote “${article.title}”`, canonicalUrl: meta.canonicalUrl, article, payment, checked: check, qrSvg });
  });

  router.post('/articles/:id/flag', requireUser, async (req, res) => {
    const user = currentUser(req) as User;
    const article = await publishedArticle(req);
    const reason = field(req.body, 'reason').replace(/\s+/g, ' ');
    if (!reason || reason.length > FLAG_REASON_MAX) {
      return res.redirect(303, back(req, article, `Say in a few words (at most ${FLAG_REASON_MAX} characters) what is wrong with this article.`));
    }
    await moderation.flag(article.id, user.id, reason);
    deps.logger.info('article flagged', { articleId: article.id, userId: user.id });
    res.redirect(303, back(req, article, 'Thank you: an admin will look at this article.'));
  });

  return router;
}
