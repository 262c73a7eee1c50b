/**
 * One node's invoices: the add/settle indexes, the expiry timers that move OPEN invoices to
 * CANCELED (LND's InvoiceExpiryWatcher, on wall-clock time), and the event feed the two
 * subscription RPCs read. State changes are persisted before they are announced.
 */
import type { NodeState, StoredInvoice, StoredInvoiceHtlc } from './node-state';
import { unknownError } from './grpc-errors';

export type InvoiceEventKind = 'added' | 'settled' | 'canceled';
export type InvoiceListener = (invoice: StoredInvoice, kind: InvoiceEventKind) => void;

export interface InvoiceRegistry {
  add(invoice: Omit<StoredInvoice, 'addIndex'>): StoredInvoice;
  findByHash(hash: string): StoredInvoice | undefined;
  findByPaymentAddr(addr: string): StoredInvoice | undefined;
  /** All invoices in ascending add_index order. */
  all(): readonly StoredInvoice[];
  cancel(hash: string): StoredInvoice;
  /** Marks an invoice paid by one HTLC; the caller persists and then calls announce(). */
  markSettled(invoice: StoredInvoice, htlc: Omit<StoredInvoiceHtlc, 'htlcIndex' | 'state' | 'resolveTime'>): void;
  announce(invoice: StoredInvoice, kind: InvoiceEventKind): void;
  onEvent(listener: InvoiceListener): () => void;
  /** The node's clock in ms (the machine's, shifted by a configured offset). */
  now(): number;
  stop(): void;
}

export interface InvoiceRegistryOptions {
  /** The node's clock; Date.now by default. */
  now?: () => number;
  /** LND's gc-canceled-invoices-on-the-fly: a canceled or expired invoice is deleted. */
  gcCanceled?: () => boolean;
}

// setTimeout takes at most a signed 32-bit number of milliseconds; longer waits re-arm.
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createInvoiceRegistry(state: NodeState, persist: () => void, options: InvoiceRegistryOptions = {}): InvoiceRegistry {
  const now = options.now ?? Date.now;
  const byHash = new Map(state.invoices.map((i) => [i.rHash, i]));
  const listeners = new Set<InvoiceListener>();
  const timers = new Map<string, NodeJS.Timeout>();
  let stopped = false;

  const announce = (invoice: StoredInvoice, kind: InvoiceEventKind) => {
    for (const l of [...listeners]) l(invoice, kind);
  };

  /** CANCELED, and with gc-canceled-invoices-on-the-fly deleted at once (LND's DeleteCanceledInvoices). */
  const markCanceled = (invoice: StoredInvoice) => {
    invoice.state = 'CANCELED';
    if (options.gcCanceled?.()) {
      state.invoices = state.invoices.filter((i) => i !== invoice);
      byHash.delete(invoice.rHash);
    }
    persist();
    announce(invoice, 'canceled');
  };

  const expire = (invoice: StoredInvoice) => {
    timers.delete(invoice.rHash);
    if (invoice.state !== 'OPEN' || stopped) return;
    markCanceled(invoice);
  };

  const schedule = (invoice: StoredInvoice) => {
    if (invoice.state !== 'OPEN' || stopped) return;
    const wait = invoice.creationTimeMs + invoice.expiry * 1000 - now();
    if (wait <= 0) return expire(invoice);
    const timer = setTimeout(() => (wait > MAX_TIMER_MS ? schedule(invoice) : expire(invoice)), Math.min(wait, MAX_TIMER_MS));
    timer.unref();
    timers.set(invoice.rHash, timer);
  };

  const clearTimer = (hash: string) => {
    clearTimeout(timers.get(hash));
    timers.delete(hash);
  };

  for (const invoice of state.invoices) schedule(invoice);

  return {
    add(fields) {
      const last = Math.max(state.lastAddIndex ?? 0, state.invoices.length ? state.invoices[state.invoices.length - 1].addIndex : 0);
      const invoice: StoredInvoice = { ...fields, addIndex: last + 1 };
      state.lastAddIndex = invoice.addIndex;
      state.invoices.push(invoice);
      byHash.set(invoice.rHash, invoice);
      persist();
      schedule(invoice);
      announce(invoice, 'added');
      return invoice;
    },
    findByHash: (hash) => byHash.get(hash),
    findByPaymentAddr: (addr) => state.invoices.find((i) => i.paymentAddr === addr),
    all: () => state.invoices,
    cancel(hash) {
      const invoice = byHash.get(hash);
      if (!invoice) throw unknownError('unable to locate invoice');
      if (invoice.state === 'SETTLED') throw unknownError('invoice already settled');
      if (invoice.state === 'CANCELED') return invoice;
      clearTimer(hash);
      markCanceled(invoice);
      return invoice;
    },
    markSettled(invoice, htlc) {
      const nowSeconds = Math.floor(now() / 1000);
      clearTimer(invoice.rHash);
      state.lastSettleIndex += 1;
      state.lastHtlcIndex += 1;
      invoice.state = 'SETTLED';
      invoice.settleIndex = state.lastSettleIndex;
      invoice.settleDate = nowSeconds;
      invoice.amtPaidMsat = (BigInt(invoice.amtPaidMsat) + BigInt(htlc.amtMsat)).toString();
      invoice.htlcs.push({ ...htlc, htlcIndex: String(state.lastHtlcIndex - 1), state: 'SETTLED', resolveTime: nowSeconds });
    },
    announce,
    now,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
      listeners.clear();
    },
  };
}
