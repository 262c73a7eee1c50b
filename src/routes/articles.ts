/**
 * GET /articles/:id[?check=true]. Title and teaser for everyone; the body only when the payments
 * service says this reader has access. The node being down is a 503 page, never a stack trace.
 */
import { Router, type Request } from 'express';
import type { Article, ArticlesRepo } from '../db/articles-repo';
import type { PaymentsService } from '../payments/payments-service';
import { LightningUnavailableError } from '../lightning/types';
import { currentUser } from '../auth/guards';
import { NotFoundError } from '../errors';
import type { Logger } from '../logger';
import { invoiceQrSvg } from '../payments/invoice-qr';

export interface ArticlesRouterDeps {
  articles: ArticlesRepo;
  payments: PaymentsService;
  logger: Logger;
}

/** Ids are positive integers that fit in Postgres' bigint; anything else is simply not found. */
export function parseId(raw: string): number | null {
  if (!/^[1-9]\d{0,15}$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
}

export function createArticlesRouter(deps: ArticlesRouterDeps): Router {
  const router = Router();

  async function visibleArticle(req: Request): Promise<Article> {
    const id = parseId(String(req.params.id));
    const article = id === null ? null : await deps.articles.findById(id);
    const user = currentUser(req);
    if (!article) throw new NotFoundError();
    if (article.status !== 'published' && user?.role !== 'admin') throw new NotFoundError();
    return article;
  }

  router.get('/articles/:id', async (req, res) => {
    const article = await visibleArticle(req);
    const user = currentUser(req);
    if (!user) {
      return res.render('articles/show', { title: article.title, article, access: { kind: 'anonymous' }, checked: false, unavailable: false });
    }
    const check = req.query.check === 'true';
    try {
      const access = await deps.payments.accessForView(user, article, { check });
      const qrSvg = access.kind === 'invoice' && access.payment.paymentRequest ? await invoiceQrSvg(access.payment.paymentRequest) : null;
      res.render('articles/show', { title: article.title, article, access, checked: check, unavailable: false, qrSvg });
    } catch (err) {
      if (!(err instanceof LightningUnavailableError)) throw err;
      deps.logger.warn('lightning node unavailable', { articleId: article.id, error: err });
      res.status(503).render('articles/show', { title: article.title, article, access: { kind: 'unavailable' }, checked: check, unavailable: true });
    }
  });

  return router;
}
