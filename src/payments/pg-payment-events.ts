/**
 * PaymentEvents shared by every process on one database, over PostgreSQL LISTEN/NOTIFY: a payment
 * completed by one worker (its watcher, a sweep or a reader's Complete) unlocks the pages open in
 * every worker. Delivery in this process is immediate and does not depend on the database; other
 * processes hear it through NOTIFY (and skip their own echo). If the listening connection drops it
 * reconnects with backoff; a page that misses news meanwhile still sees the payment when its
 * event stream reconnects, because the stream looks at the database when it opens.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../logger';
import { createReconnectTimer } from './reconnect-timer';
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
  return typeof e === 'object' && e !== null && Number.isSafeInteger(e.paymentId) && Number.isSafeInteger(e.userId) && Number.isSafeInteger(e.articleId) && (e.purpose === 'view' || e.purpose === 'upvote') && typeof e.origin === 'string';
}

export function createPgPaymentEvents(options: { connectionString: string; logger: Logger; reconnectMs?: number }): SharedPaymentEvents {
  const local = createPaymentEvents();
  const origin = crypto.randomBytes(8).toString('hex');
  const { logger } = options;
  // A small pool for NOTIFY; a single dedicated client for LISTEN.
  const notifier = new pg.Pool({ connectionString: options.connectionString, max: 2 });
  notifier.on('error', (err) => logger.warn('notify connection lost', { error: err }));
  let listener: pg.Client | null = null;
  let stopped = true;
  const retry = createReconnectTimer({ initialMs: options.reconnectMs ?? 500, maxMs: 10_000, reconnect: () => void connect() });

  function scheduleReconnect(reason: unknown) {
    listener = null;
    if (stopped) return;
    const delay = retry.schedule();
    if (delay === null) return;
    logger.warn('payment events: LISTEN connection lost; reconnecting', { inMs: delay, error: reason });
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on('error', (err) => {
      void client.end().catch(() => undefined);
      if (listener === client) scheduleReconnect(err);
    });
    client.on('end', () => {
      if (listener === client) scheduleReconnect(null);
    });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      let event: unknown;
      try {
        event = JSON.parse(msg.payload);
      } catch {
        return;
      }
      if (!isEvent(event) || event.origin === origin) return;
      const { origin: _sender, ...completed } = event;
      local.completed(completed);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      if (stopped) {
        await client.end();
        return;
      }
      listener = client;
      retry.succeeded();
      logger.info('payment events: listening');
    } catch (err) {
      void client.end().catch(() => undefined);
      scheduleReconnect(err);
    }
  }

  return {
    completed(event) {
      local.completed(event);
      const payload = JSON.stringify({ ...event, origin });
      notifier.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]).catch((err) => {
        logger.warn('payment events: NOTIFY failed; other workers learn it when their pages reconnect', { paymentId: event.paymentId, error: err });
      });
    },
    onCompleted: (userId, listener) => local.onCompleted(userId, listener),
    listenerCount: () => local.listenerCount(),
    listening: () => listener !== null,
    async start() {
      if (!stopped) return;
      stopped = false;
      await connect();
    },
    async stop() {
      stopped = true;
      retry.cancel();
      const c = listener;
      listener = null;
      await c?.end().catch(() => undefined);
      await notifier.end().catch(() => undefined);
    },
  };
}
