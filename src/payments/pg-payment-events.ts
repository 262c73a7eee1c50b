/**
 * PaymentEvents shared by every process on one database, over PostgreSQL LISTEN/NOTIFY: a payment
 * completed by one worker (its watcher, a sweep or a reader's Complete) unlocks the pages open in
 * every worker. Delivery in this process is immediate and does not depend on the database; other
 * processes hear it through NOTIFY (and skip their own echo). The LISTEN connection is the
 * process's PgListener (src/db/pg-listener.ts), which reconnects by itself; a page that misses news
 * meanwhile still sees the payment when its event stream reconnects, because the stream looks at
 * the database when it opens.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../lib/logger';
import { createPgListener, type PgListener } from '../db/pg-listener';
import { createPaymentEvents, type PaymentCompleted, type PaymentEvents } from './payment-events';

export const CHANNEL = 'paywall_payment_completed';

export interface SharedPaymentEvents extends PaymentEvents {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether the LISTEN connection is up (for readiness and tests). */
  listening(): boolean;
}

function isEvent(v: unknown): v is PaymentCompleted & { origin: string } {
  const e = v as Record<string, unknown>;
  return (
    typeof e === 'object' &&
    e !== null &&
    Number.isSafeInteger(e.paymentId) &&
    Number.isSafeInteger(e.userId) &&
    Number.isSafeInteger(e.articleId) &&
    (e.purpose === 'view' || e.purpose === 'upvote') &&
    typeof e.origin === 'string'
  );
}

/**
 * With `listener`, the events share that connection (its owner starts and stops it); without, they
 * open one of their own.
 */
export function createPgPaymentEvents(options: { connectionString: string; logger: Logger; listener?: PgListener }): SharedPaymentEvents {
  const local = createPaymentEvents();
  const origin = crypto.randomBytes(8).toString('hex');
  const { logger } = options;
  const ownListener = !options.listener;
  const listener = options.listener ?? createPgListener({ connectionString: options.connectionString, logger });
  // A small pool for NOTIFY; the LISTEN connection is the listener's.
  const notifier = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  notifier.on('error', (err) => logger.warn('notify connection lost', { error: err }));

  // A NOTIFY sent while the LISTEN connection was down is lost for good: when it is back, every
  // open page of this process looks at the database again (article-events.ts).
  let wasDown = false;
  listener.onState((up) => {
    if (!up) wasDown = true;
    else if (wasDown) {
      wasDown = false;
      logger.info('LISTEN connection back: open pages re-check their payments');
      local.resync?.();
    }
  });

  listener.on(CHANNEL, (payload) => {
    let event: unknown;
    try {
      event = JSON.parse(payload);
    } catch {
      return;
    }
    if (!isEvent(event) || event.origin === origin) return;
    const { origin: _sender, ...completed } = event;
    local.completed(completed);
  });

  return {
    completed(event) {
      local.completed(event);
      const payload = JSON.stringify({ ...event, origin });
      notifier.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((err) => {
        logger.warn('payment events: NOTIFY failed; other workers learn it when their pages reconnect', {
          paymentId: event.paymentId,
          error: err,
        });
      });
    },
    onCompleted: (userId, l) => local.onCompleted(userId, l),
    listenerCount: () => local.listenerCount(),
    onResync: (l) => (local.onResync ? local.onResync(l) : () => undefined),
    resync: () => local.resync?.(),
    listening: () => listener.listening(),
    async start() {
      if (ownListener) await listener.start();
    },
    async stop() {
      if (ownListener) await listener.stop();
      await notifier.end().catch(() => undefined);
    },
  };
}
