/**
 * The invoice watcher: follows the node's SubscribeInvoices stream from the last add and settle
 * indexes it stored, completes payments as settlements arrive, and after every (re)connect sweeps
 * the pending payments with LookupInvoice, so a settlement made while the site or the stream was
 * down is still credited. Events are handled one at a time, and a position is stored only after
 * its event was applied: a crash replays, and a replay changes nothing (compare-and-set).
 */
import type { WatcherStateRepo } from './watcher-state-repo';
import type { Invoice, LightningNode, Subscription } from '../lightning/types';
import type { Logger } from '../lib/logger';
import type { PaymentsService } from './payments-service';
import { createReconnectTimer } from '../lib/reconnect-timer';

export interface InvoiceWatcherDeps {
  node: LightningNode;
  payments: PaymentsService;
  state: WatcherStateRepo;
  logger: Logger;
  /** First reconnect delay and the cap of its doubling, in ms. */
  backoff?: { initialMs: number; maxMs: number };
}

export interface WatcherStatus {
  connected: boolean;
  reconnects: number;
  lastError: string | null;
  nodeKey: string | null;
  /** Invoices skipped because they could not be read or applied (stream and sweeps). */
  unreadable: number;
}

export interface InvoiceWatcher {
  start(): void;
  stop(): Promise<void>;
  status(): WatcherStatus;
  /** Resolves when every event received so far has been handled (for tests and shutdown). */
  idle(): Promise<void>;
}

export function createInvoiceWatcher(deps: InvoiceWatcherDeps): InvoiceWatcher {
  const { node, payments, state, logger } = deps;
  const backoff = deps.backoff ?? { initialMs: 500, maxMs: 30_000 };
  let stopped = true;
  let subscription: Subscription | null = null;
  const retry = createReconnectTimer({ ...backoff, jitter: true, reconnect: () => void connect() });
  let queue: Promise<void> = Promise.resolve();
  const status: WatcherStatus = { connected: false, reconnects: 0, lastError: null, nodeKey: null, unreadable: 0 };

  function scheduleReconnect(reason: Error | null) {
    status.connected = false;
    subscription = null;
    if (stopped) return;
    const delay = retry.schedule();
    if (delay === null) return; // one reconnect at a time
    status.lastError = reason ? reason.message : 'stream ended by the node';
    status.reconnects += 1;
    logger.warn('invoice stream lost; reconnecting', { inMs: Math.round(delay), reason: status.lastError });
  }

  async function handle(invoice: Invoice, key: string) {
    try {
      await payments.applyInvoiceUpdate(invoice);
      await state.advance(key, { addIndex: invoice.addIndex, settleIndex: invoice.settleIndex });
      retry.succeeded();
    } catch (err) {
      // Not applied, so the position stays behind it: resubscribing replays it.
      logger.error('could not apply an invoice update; resubscribing', { paymentHash: invoice.paymentHash, error: err });
      subscription?.cancel();
      scheduleReconnect(err as Error);
    }
  }

  /**
   * The stored position, unless the node no longer has it. LND skips every event up to the indexes
   * a subscriber gives, so a position beyond the node's (its invoice database was restored empty
   * from seed, or one reply carried a bogus index) would silence the stream for everyone. A settle
   * index can never exceed the newest add index (settled invoices are never deleted), so either
   * index beyond it means: start again from what the node has; the sweep after subscribing credits
   * whatever settled meanwhile.
   */
  async function checkedPosition(key: string, from: { addIndex: number; settleIndex: number }) {
    if (!node.latestAddIndex || (from.addIndex === 0 && from.settleIndex === 0)) return from;
    const latest = await node.latestAddIndex();
    if (from.addIndex <= latest && from.settleIndex <= latest) return from;
    const position = { addIndex: latest, settleIndex: 0 };
    logger.warn(
      "stored invoice stream position is beyond the node's invoices (node reset or a bogus index); resubscribing from the node's",
      {
        stored: from,
        nodeLatestAddIndex: latest,
        position,
      },
    );
    await state.reset(key, position);
    return position;
  }

  async function connect(): Promise<void> {
    if (stopped) return;
    try {
      // Positions are per node, so pointing the site at another node starts that node from zero.
      const key = (await node.getInfo()).identityPubkey;
      status.nodeKey = key;
      const from = await checkedPosition(key, await state.get(key));
      if (stopped) return;
      subscription = node.subscribeInvoices(from, {
        onInvoice: (invoice) => {
          queue = queue.then(() => handle(invoice, key));
        },
        onEnd: (err) => scheduleReconnect(err),
        onUnreadable: (err) => {
          status.unreadable += 1;
          logger.error('invoice stream: skipped an invoice the site cannot read', { error: err });
        },
      });
      status.connected = true;
      logger.info('invoice stream subscribed', from);
      // Subscribe first, then sweep: a settlement in between is seen by one or the other.
      const swept = await payments.sweepPending();
      status.unreadable += swept.failed;
      if (swept.completed > 0 || swept.checked > 0) logger.info('pending payments swept', swept);
    } catch (err) {
      if (subscription) {
        subscription.cancel();
        subscription = null;
      }
      scheduleReconnect(err as Error);
    }
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      void connect();
    },
    async stop() {
      stopped = true;
      retry.cancel();
      subscription?.cancel();
      subscription = null;
      status.connected = false;
      await queue;
    },
    status: () => ({ ...status }),
    idle: () => queue,
  };
}
