/**
 * A payment as the code sees it, its row in the payments table, and the mapping between them
 * (also for other repositories that join a payment in).
 */
import type { PaymentStatus } from './state-machine';

/**
 * 'view' unlocks an article (one per reader, a partial unique index); 'upvote' is a paid vote (many);
 * 'machine' is an article bought over L402 by a client without an account (no user; src/api/).
 */
export type PaymentPurpose = 'view' | 'upvote' | 'machine';

export interface Payment {
  id: number;
  /** null only for machine payments. */
  userId: number | null;
  articleId: number;
  purpose: PaymentPurpose;
  status: PaymentStatus;
  amountSat: number;
  /**
   * The fiat price and rate `amountSat` was converted at (views of a fiat-priced article): the
   * current invoice's while pending, the paid invoice's once complete; null when priced in sats.
   */
  fiat: FiatQuote | null;
  paymentHash: string | null;
  paymentRequest: string | null;
  invoiceExpiresAt: Date | null;
  amountPaidSat: number | null;
  settledAt: Date | null;
  errorReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PaymentRow {
  id: number;
  user_id: number | null;
  article_id: number;
  purpose: PaymentPurpose;
  status: PaymentStatus;
  amount_sat: number;
  fiat_currency: string | null;
  fiat_minor: number | string | null;
  fiat_rate: number | string | null;
  payment_hash: string | null;
  payment_request: string | null;
  invoice_expires_at: Date | null;
  amount_paid_sat: number | null;
  settled_at: Date | null;
  error_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

/** The payments table's columns, for queries of other repositories that join a payment in. */
export const PAYMENT_COLUMNS: ReadonlyArray<keyof PaymentRow> = [
  'id',
  'user_id',
  'article_id',
  'purpose',
  'status',
  'amount_sat',
  'fiat_currency',
  'fiat_minor',
  'fiat_rate',
  'payment_hash',
  'payment_request',
  'invoice_expires_at',
  'amount_paid_sat',
  'settled_at',
  'error_reason',
  'created_at',
  'updated_at',
];

/** The payment selected as `<prefix><column>` in a joined row, or null when the join found none. */
export function paymentFromPrefixedRow(row: Record<string, unknown>, prefix: string): Payment | null {
  if (row[`${prefix}id`] === null || row[`${prefix}id`] === undefined) return null;
  const r = Object.fromEntries(PAYMENT_COLUMNS.map((c) => [c, row[`${prefix}${c}`]])) as unknown as PaymentRow;
  return toPayment(r);
}

export const toPayment = (r: PaymentRow): Payment => ({
  id: r.id,
  userId: r.user_id,
  articleId: r.article_id,
  purpose: r.purpose,
  status: r.status,
  amountSat: r.amount_sat,
  fiat:
    r.fiat_currency !== null && r.fiat_minor !== null && r.fiat_rate !== null
      ? { currency: r.fiat_currency, minor: Number(r.fiat_minor), rate: Number(r.fiat_rate) }
      : null,
  paymentHash: r.payment_hash,
  paymentRequest: r.payment_request,
  invoiceExpiresAt: r.invoice_expires_at,
  amountPaidSat: r.amount_paid_sat,
  settledAt: r.settled_at,
  errorReason: r.error_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** The fiat price a payment's sats were converted from, and the rate used (src/prices/). */
export interface FiatQuote {
  currency: string;
  minor: number;
  rate: number;
}

export interface AttachedInvoice {
  paymentHash: string;
  paymentRequest: string;
  expiresAt: Date;
  /** What this invoice asks; becomes the payment's amount too. The payment's amount when omitted. */
  amountSat?: number;
  /** The fiat price and rate `amountSat` was converted at (null: priced in sats); becomes the payment's too. The payment's when omitted. */
  fiat?: FiatQuote | null;
}
