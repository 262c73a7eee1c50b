/**
 * Paid upvotes: a reader who has paid to read an article can upvote it by paying an amount they
 * choose, at least `upvoteMinSat`. Every upvote is its own Payment (purpose 'upvote') going through
 * the same states as a view: pending_invoice -> pending_payment -> complete (or error), with the
 * same invoice steps, the same watcher (applyInvoiceUpdate is purpose-agnostic) and the same news.
 * Like the payments service it returns domain results and never throws HTTP errors.
 */
import { mayUpvote, type PayableArticle } from './payable-article';
import type { Payment, PaymentsRepo } from './payments-repo';
import type { User } from '../accounts/users-repo';
import type { Logger } from '../lib/logger';
import type { LightningNode } from '../lightning/types';
import type { PaymentEvents } from './payment-events';
import { createInvoiceSteps } from './invoice-steps';
import { invoiceMemo } from './payments-service';
import type { CreateCappedUpvote } from './upvote-caps';

export interface UpvotesServiceDeps {
  repo: PaymentsRepo;
  node: LightningNode;
  events: PaymentEvents;
  logger: Logger;
  siteName: string;
  invoiceExpirySeconds: number;
  upvoteMinSat: number;
  /** Upper bound of one upvote, so a typo cannot ask for a fortune. */
  upvoteMaxSat?: number;
  /** Creates the upvote payment within the caps on open invoices (upvote-caps.ts); uncapped when omitted. */
  createUpvote?: CreateCappedUpvote;
  now?: () => Date;
}

export type StartUpvote =
  | { kind: 'created'; payment: Payment }
  /** Only readers with a complete view payment upvote (authors and admins who read free have not paid). */
  | { kind: 'not-paid' }
  | { kind: 'bad-amount'; min: number; max: number }
  /** The reader (or the article) already has as many unpaid upvote invoices as allowed. */
  | { kind: 'too-many-open'; scope: 'reader' | 'article'; limit: number };

export interface UpvotesService {
  readonly minSat: number;
  readonly maxSat: number;
  /** A new upvote payment with its invoice. Throws LightningUnavailableError when the node is down. */
  start(user: User, article: PayableArticle, amountSat: number): Promise<StartUpvote>;
  /**
   * The reader's own upvote payment, or null (someone else's, not an upvote, or missing). With
   * `check`, or once its invoice has expired, asks the node and applies what it says.
   */
  status(user: User, article: PayableArticle, paymentId: number, options?: { check?: boolean }): Promise<Payment | null>;
}

export function createUpvotesService(deps: UpvotesServiceDeps): UpvotesService {
  const now = deps.now ?? (() => new Date());
  const { repo, events, logger } = deps;
  const maxSat = deps.upvoteMaxSat ?? 10_000_000;
  const steps = createInvoiceSteps({ repo, node: deps.node, logger, invoiceExpirySeconds: deps.invoiceExpirySeconds, events, now });
  const memoFor = (article: PayableArticle, user: User) => invoiceMemo(deps.siteName, article, user.username, 'upvote of article');

  async function canUpvote(user: User, article: PayableArticle): Promise<boolean> {
    // The rule is mayUpvote's; the query is spared for an article that is not published.
    return mayUpvote(article, article.status === 'published' ? await repo.find(user.id, article.id, 'view') : null);
  }

  return {
    minSat: deps.upvoteMinSat,
    maxSat,
    async start(user, article, amountSat) {
      if (!Number.isSafeInteger(amountSat) || amountSat < deps.upvoteMinSat || amountSat > maxSat) {
        return { kind: 'bad-amount', min: deps.upvoteMinSat, max: maxSat };
      }
      if (!(await canUpvote(user, article))) return { kind: 'not-paid' };
      const input = { userId: user.id, articleId: article.id, amountSat };
      const capped = deps.createUpvote
        ? await deps.createUpvote(input)
        : { kind: 'created' as const, payment: await repo.createUpvote(input) };
      if (capped.kind !== 'created') return capped;
      const created = capped.payment;
      logger.info('upvote started', { paymentId: created.id, articleId: article.id, amountSat });
      // If the node is down the payment stays pending_invoice; opening its page later issues the invoice.
      const payment = await steps.issueInvoice(created, memoFor(article, user));
      return { kind: 'created', payment };
    },
    async status(user, article, paymentId, options = {}) {
      let payment = await repo.findById(paymentId);
      if (!payment || payment.userId !== user.id || payment.articleId !== article.id || payment.purpose !== 'upvote') return null;
      payment = await steps.advance(payment, memoFor(article, user), options);
      return payment;
    },
  };
}
