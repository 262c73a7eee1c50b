/**
 * The Payment state machine: which transitions exist, and what an invoice the node reports means
 * for a payment. Pure functions, so the rules are tested without a database or a node. The
 * payments repo (payments-repo.ts) builds every compare-and-set it writes from transition(), so
 * this table is the one the database writes obey: a move not listed here throws at start-up.
 *
 *   (none) -> pending_invoice            a logged-in reader opens an article they have not paid for
 *   pending_invoice -> pending_payment   the node returned an invoice
 *   pending_payment -> complete          the node reports it SETTLED with at least the price paid
 *   pending_payment -> pending_payment   the invoice expired unpaid and a fresh one replaces it
 *   any -> error                         something that needs a person
 */
import type { Invoice } from '../lightning/types';

export type PaymentStatus = 'pending_invoice' | 'pending_payment' | 'complete' | 'error';

const TRANSITIONS: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  pending_invoice: ['pending_payment', 'error'],
  pending_payment: ['complete', 'pending_payment', 'error'],
  complete: ['error'],
  error: [],
};

export function canTransition(from: PaymentStatus, to: PaymentStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** A move of the table, for a compare-and-set `WHERE status = from` / `SET status = to`; throws if the table has no such move. */
export function transition<F extends PaymentStatus, T extends PaymentStatus>(from: F, to: T): { readonly from: F; readonly to: T } {
  if (!canTransition(from, to)) throw new Error(`the payment state machine has no move ${from} -> ${to}`);
  return { from, to };
}

export type InvoiceVerdict =
  | { kind: 'settled'; amountPaidSat: number; settledAt: Date }
  | { kind: 'underpaid'; amountPaidSat: number }
  | { kind: 'open' }
  /** Unpaid and past its expiry (LND cancels it): a fresh invoice should replace it. */
  | { kind: 'expired' }
  /** Canceled before expiry, by someone on the node: needs a person to look. */
  | { kind: 'canceled' };

/**
 * What the node's view of an invoice means for a payment of `priceSat`. Only SETTLED with at
 * least the price counts as paid; an invoice still OPEN past its expiry is treated as expired
 * (the node's expiry watcher may not have run yet), and ACCEPTED (a held HTLC) is still open.
 */
export function judgeInvoice(invoice: Invoice, priceSat: number, now: Date): InvoiceVerdict {
  switch (invoice.state) {
    case 'SETTLED':
      if (invoice.amtPaidSat >= priceSat) {
        return { kind: 'settled', amountPaidSat: invoice.amtPaidSat, settledAt: invoice.settledAt ?? now };
      }
      return { kind: 'underpaid', amountPaidSat: invoice.amtPaidSat };
    case 'CANCELED':
      return invoice.expiresAt.getTime() <= now.getTime() ? { kind: 'expired' } : { kind: 'canceled' };
    case 'OPEN':
      return invoice.expiresAt.getTime() <= now.getTime() ? { kind: 'expired' } : { kind: 'open' };
    case 'ACCEPTED':
      return { kind: 'open' };
  }
}
