/**
 * GET /articles/:id/events: Server-Sent Events for the logged-in reader's own payment for this
 * article. Sends `complete` once the payment is complete (at once if it already is), so the page
 * can show the article without a reload or a click. With `?payment=ID` it follows that one payment
 * of the reader's instead (an upvote), and sends `complete` when that payment completes.
 */
import type { RequestHandler } from 'express';
import type { ArticlesRepo } from './articles-repo';
import type { PaymentsRepo } from '../payments/payments-repo';
import type { PaymentEvents } from '../payments/payment-events';
import { currentUser } from '../accounts/guards';
import { loadOr404, parseId } from '../web/params';

export interface PaymentNewsDeps {
  articles: ArticlesRepo;
  paymentsRepo: PaymentsRepo;
  events: PaymentEvents;
  heartbeatMs?: number;
}

export interface PaymentNewsStream {
  stream: RequestHandler;
}

export function createPaymentNewsStream(deps: PaymentNewsDeps): PaymentNewsStream {
  const stream: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    if (!user) {
      res.status(401).type('text/plain').send('Log in to follow a payment.');
      return;
    }
    const article = await loadOr404(req.params.id, deps.articles.findById, (a) => a.status === 'published');

    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');

    let closed = false;
    const send = (paymentId: number) => {
      if (closed) return;
      res.write(`event: complete\ndata: ${JSON.stringify({ articleId: article.id, paymentId })}\n\n`);
    };
    // Listen first, then look: a completion in between is caught by one or the other.
    const followed = typeof req.query.payment === 'string' ? parseId(req.query.payment) : null;
    const unsubscribe = deps.events.onCompleted(user.id, (e) => {
      if (e.articleId !== article.id) return;
      if (followed !== null ? e.paymentId === followed : e.purpose === 'view') send(e.paymentId);
    });
    const heartbeat = setInterval(() => !closed && res.write(': keep-alive\n\n'), deps.heartbeatMs ?? 25_000);
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.on('close', close);
    res.on('close', close);

    const payment = followed !== null ? await deps.paymentsRepo.findById(followed) : await deps.paymentsRepo.find(user.id, article.id, 'view');
    if (payment?.status === 'complete' && payment.userId === user.id && payment.articleId === article.id) send(payment.id);
  };
  return { stream };
}
