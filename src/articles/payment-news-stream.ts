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
import { openEventStream } from '../web/event-stream';
import { isOut } from './schedule';

export interface PaymentNewsDeps {
  articles: ArticlesRepo;
  paymentsRepo: PaymentsRepo;
  events: PaymentEvents;
  /** Open streams allowed per user and in this process (each holds a connection and a listener). */
  limits: { streamsPerUser: number; streamsTotal: number };
}

/** Open streams per user and in total, counted when a stream opens and once when it closes. */
export function createStreamCounter(limits: { streamsPerUser: number; streamsTotal: number }) {
  const perUser = new Map<number, number>();
  let total = 0;
  return {
    /** A release function, or why the stream is refused. */
    open(userId: number): (() => void) | 'user' | 'total' {
      const mine = perUser.get(userId) ?? 0;
      if (mine >= limits.streamsPerUser) return 'user';
      if (total >= limits.streamsTotal) return 'total';
      perUser.set(userId, mine + 1);
      total += 1;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        total -= 1;
        const left = (perUser.get(userId) ?? 1) - 1;
        if (left > 0) perUser.set(userId, left);
        else perUser.delete(userId);
      };
    },
    total: () => total,
  };
}

export interface PaymentNewsStream {
  stream: RequestHandler;
}

export function createPaymentNewsStream(deps: PaymentNewsDeps): PaymentNewsStream {
  const streams = createStreamCounter(deps.limits);
  const stream: RequestHandler = async (req, res) => {
    const user = currentUser(req);
    if (!user) {
      res.status(401).type('text/plain').send('Log in to follow a payment.');
      return;
    }
    const article = await loadOr404(req.params.id, deps.articles.findById, (a) => isOut(a));
    const release = streams.open(user.id);
    if (typeof release === 'string') {
      // Refused before the stream starts: a browser's EventSource does not retry a non-200 answer,
      // and the page still offers its Complete button.
      res.set('Retry-After', '30');
      res
        .status(release === 'user' ? 429 : 503)
        .type('text/plain')
        .send(
          release === 'user'
            ? 'Too many live updates open: close other tabs of this site and reload.'
            : 'Live updates are busy; press Complete on the page instead.',
        );
      return;
    }

    const stream = openEventStream(req, res);
    stream.onClose(release);
    const send = (paymentId: number) => stream.send('complete', { articleId: article.id, paymentId });
    // Listen first, then look: a completion in between is caught by one or the other.
    const followed = typeof req.query.payment === 'string' ? parseId(req.query.payment) : null;
    stream.onClose(
      deps.events.onCompleted(user.id, (e) => {
        if (e.articleId !== article.id) return;
        if (followed !== null ? e.paymentId === followed : e.purpose === 'view') send(e.paymentId);
      }),
    );
    // After a gap in the database notifications (the LISTEN connection dropped and came back), news
    // of this payment may be lost: look at the database again.
    const stopResync = deps.events.onResync?.(() => void lookAtDatabase().catch(() => undefined));
    if (stopResync) stream.onClose(stopResync);

    async function lookAtDatabase(): Promise<void> {
      if (stream.closed || !user || !article) return;
      const payment =
        followed !== null ? await deps.paymentsRepo.findById(followed) : await deps.paymentsRepo.find(user.id, article.id, 'view');
      if (payment?.status === 'complete' && payment.userId === user.id && payment.articleId === article.id) send(payment.id);
    }
    await lookAtDatabase();
  };
  return { stream };
}
