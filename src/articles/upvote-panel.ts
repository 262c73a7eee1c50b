/**
 * The upvote (a zap) paid inline on the article page: `GET /articles/:id?upvote=<paymentId>` shows
 * that upvote's invoice panel where the upvote form was (`&check=true` asks the node, as "I've paid
 * – check" does; paywall.js re-renders it with `&paid=live` once the payment news said complete). The
 * payment is the reader's own upvote of this article or nothing: any other id shows the plain page.
 */
import type { Request } from 'express';
import type { User } from '../accounts/users-repo';
import type { PayableArticle } from '../payments/payable-article';
import type { Payment } from '../payments/payments-repo';
import type { UpvotesService } from '../payments/upvotes-service';
import { invoiceQrSvg } from '../payments/invoice-qr';
import { parseId } from '../web/params';

export interface UpvotePanel {
  payment: Payment;
  /** The reader pressed "I've paid – check". */
  checked: boolean;
  qrSvg: string | null;
}

/** The upvote the URL names, when the query has `upvote`; null otherwise (no query, or not this reader's). */
export async function upvotePanelFor(
  upvotes: UpvotesService,
  req: Request,
  user: User,
  article: PayableArticle,
): Promise<UpvotePanel | null> {
  const raw = req.query.upvote;
  const id = typeof raw === 'string' ? parseId(raw) : null;
  if (id === null) return null;
  const checked = req.query.check === 'true';
  const payment = await upvotes.status(user, article, id, { check: checked });
  if (!payment) return null;
  const qrSvg = payment.status === 'pending_payment' && payment.paymentRequest ? await invoiceQrSvg(payment.paymentRequest) : null;
  return { payment, checked, qrSvg };
}

/** The article page's address showing upvote `paymentId` (where the form and the old upvote page send the reader). */
export const upvotePanelUrl = (articleId: number, paymentId: number, check = false) =>
  `/articles/${articleId}?upvote=${paymentId}${check ? '&check=true' : ''}#upvote`;
