/**
 * GET /articles/:id[?check=true]. Title and teaser for everyone; the body only when the payments
 * service says this reader has access. The node being down is a 503 page, never a stack trace.
 */
import type { Request, RequestHandler } from 'express';
import type { Article } from './articles-repo';
import type { ArticlePageReads } from './article-cache';
import type { PaymentsService } from '../payments/payments-service';
import { isLightningError, NodeNotReadyError } from '../lightning/types';
import { currentUser } from '../accounts/guards';
import { NotFoundError } from '../web/errors';
import { parseId } from '../web/params';
import type { Logger } from '../lib/logger';
import { invoiceQrSvg } from '../payments/invoice-qr';
import { mayUpvote } from '../payments/payable-article';
import type { User } from '../accounts/users-repo';
import type { Payment } from '../payments/payments-repo';
import type { SiteSettings } from '../web/site-settings';
import { teaserDescription } from './markdown';
import { takeFlash } from '../web/flash';
import { isOut } from './schedule';
import type { UpvotesService } from '../payments/upvotes-service';
import { upvotePanelFor } from './upvote-panel';

export interface ArticlePageDeps {
  /** The repository, or the cache in front of it (src/articles/article-cache.ts). */
  articlePages: ArticlePageReads;
  payments: PaymentsService;
  logger: Logger;
  settings: SiteSettings;
  /** Upvotes (a zap): their bounds for the form, and the inline panel of one (upvote-panel.ts). */
  upvotes: UpvotesService;
  /**
   * The article from the database, past the page cache: a page confirming an upvote shows the
   * counters that upvote just moved (the cache hears of the change a moment after the commit).
   */
  freshArticle: (id: number) => Promise<Article | null>;
}

/**
 * Who may open an article at all: published ones, everyone; a draft or a scheduled one (not out
 * yet), its author only (404 for
 * everyone else, admins included); a hidden one, admins and its author (who sees why).
 */
export function canSee(article: Article, user: User | null): boolean {
  if (isOut(article)) return true;
  if (!user) return false;
  if (article.authorId === user.id) return true;
  return article.status === 'deleted by admin' && user.role === 'admin';
}

/** Title, description, canonical URL and Open Graph tags for the page head. */
export function articleMeta(article: Article, publicUrl: string) {
  const url = `${publicUrl}/articles/${article.id}`;
  const description = teaserDescription(article.teaserHtml);
  return {
    title: article.title,
    description,
    canonicalUrl: url,
    og: { type: 'article', title: article.title, description, url },
  };
}

/**
 * The values of the article page: its meta, the article and what the route adds. Assigned one
 * by one: an object spread of these showed in the article page's profile (docs/benchmarks.md).
 */
function showPage(meta: ReturnType<typeof articleMeta>, article: Article, fields: Record<string, unknown>): Record<string, unknown> {
  fields.title = meta.title;
  fields.description = meta.description;
  fields.canonicalUrl = meta.canonicalUrl;
  fields.og = meta.og;
  fields.article = article;
  return fields;
}

export interface ArticlePage {
  show: RequestHandler;
}

export function createArticlePage(deps: ArticlePageDeps): ArticlePage {
  /** The article if this visitor may see it, with a logged-in reader's view payment loaded alongside. */
  async function visibleArticle(req: Request): Promise<{ article: Article; viewPayment: Payment | null }> {
    const id = parseId(String(req.params.id));
    const user = currentUser(req);
    const found =
      id === null
        ? null
        : user
          ? await deps.articlePages.findForReader(id, user.id)
          : await deps.articlePages.findById(id).then((article) => article && { article, viewPayment: null });
    if (!found || !canSee(found.article, user)) throw new NotFoundError();
    return found;
  }

  const show: RequestHandler = async (req, res) => {
    const found = await visibleArticle(req);
    const viewPayment = found.viewPayment;
    let article = found.article;
    const user = currentUser(req);
    const meta = articleMeta(article, deps.settings.publicUrl);
    const upvoteMinSat = deps.upvotes.minSat;
    const upvoteMaxSat = deps.upvotes.maxSat;
    const notice = user ? takeFlash(req) : null;
    if (!user) {
      return res.render(
        'articles/show',
        showPage(meta, article, {
          access: { kind: 'anonymous' },
          checked: false,
          unavailable: false,
          canUpvote: false,
          upvoteMinSat,
          upvoteMaxSat,
          upvote: null,
          upvoteNotice: null,
          notice,
        }),
      );
    }
    // With ?upvote=<id> the page shows that upvote's panel: ?check=true and ?paid=live are about it, not the view.
    const forUpvote = req.query.upvote !== undefined;
    const check = !forUpvote && req.query.check === 'true';
    const upvoteNotice = takeFlash(req, 'upvoteNotice');
    try {
      const access = await deps.payments.accessForView(user, article, { check, viewPayment: viewPayment ?? undefined });
      const qrSvg = access.kind === 'invoice' && access.payment.paymentRequest ? await invoiceQrSvg(access.payment.paymentRequest) : null;
      const canUpvote = mayUpvote(article, access.kind === 'paid' ? access.payment : null);
      const upvote = forUpvote && canUpvote ? await upvotePanelFor(deps.upvotes, req, user, article) : null;
      if (upvote?.payment.status === 'complete') article = (await deps.freshArticle(article.id)) ?? article;
      res.render(
        'articles/show',
        showPage(meta, article, {
          access,
          checked: check,
          paidLive: !forUpvote && req.query.paid === 'live',
          unavailable: false,
          qrSvg,
          canUpvote,
          upvoteMinSat,
          upvoteMaxSat,
          upvote,
          upvoteNotice,
          notice,
        }),
      );
    } catch (err) {
      // Anything the node says (down, locked, starting, a refused macaroon...) is "payments unavailable", never a 500.
      if (!isLightningError(err)) throw err;
      deps.logger.warn('lightning node unavailable', {
        articleId: article.id,
        reason: err instanceof NodeNotReadyError ? err.reason : undefined,
        error: err,
      });
      res.status(503).render(
        'articles/show',
        showPage(meta, article, {
          access: { kind: 'unavailable' },
          checked: check,
          unavailable: true,
          canUpvote: false,
          upvoteMinSat,
          upvoteMaxSat,
          upvote: null,
          upvoteNotice,
          notice,
        }),
      );
    }
  };

  return { show };
}
