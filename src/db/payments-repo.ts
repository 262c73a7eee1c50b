import type { Knex } from 'knex';
import type { PaymentStatus } from '../payments/state-machine';

export type PaymentPurpose = 'view';

export interface Payment {
  id: number;
  userId: number;
  articleId: number;
  purpose: PaymentPurpose;
  status: PaymentStatus;
  amountSat: number;
  paymentHash: string | null;
  paymentRequest: string | null;
  invoiceExpiresAt: Date | null;
  amountPaidSat: number | null;
  settledAt: Date | null;
  errorReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface PaymentRow {
  id: number;
  user_id: number;
  article_id: number;
  purpose: PaymentPurpose;
  status: PaymentStatus;
  amount_sat: number;
  payment_hash: string | null;
  payment_request: string | null;
  invoice_expires_at: Date | null;
  amount_paid_sat: number | null;
  settled_at: Date | null;
  error_reason: string | null;
  created_at: Date;
  updated_at: Date;
}

const toPayment = (r: PaymentRow): Payment => ({
  id: r.id,
  userId: r.user_id,
  articleId: r.article_id,
  purpose: r.purpose,
  status: r.status,
  amountSat: r.amount_sat,
  paymentHash: r.payment_hash,
  paymentRequest: r.payment_request,
  invoiceExpiresAt: r.invoice_expires_at,
  amountPaidSat: r.amount_paid_sat,
  settledAt: r.settled_at,
  errorReason: r.error_reason,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface AttachedInvoice {
  paymentHash: string;
  paymentRequest: string;
  expiresAt: Date;
}

export interface PaymentsRepo {
  find(userId: number, articleId: number, purpose: PaymentPurpose): Promise<Payment | null>;
  /**
   * The reader's one payment for this article and purpose, created as pending_invoice if there is
   * none. Insert-only, so concurrent first views meet at the unique index and all get the same row.
   */
  findOrCreate(input: { userId: number; articleId: number; purpose: PaymentPurpose; amountSat: number }): Promise<Payment>;
  /**
   * Runs `fn` in a transaction holding the row lock on the payment, so only one request at a time
   * (in any process) talks to the node about it. Rolls back if `fn` throws.
   */
  withLock<T>(id: number, fn: (payment: Payment, repo: PaymentsRepo) => Promise<T>): Promise<T>;
  /** pending_invoice -> pending_payment, compare-and-set. */
  attachInvoice(id: number, invoice: AttachedInvoice): Promise<boolean>;
  /** pending_payment -> pending_payment with a fresh invoice, only if `oldHash` is still current. */
  replaceInvoice(id: number, oldHash: string, invoice: AttachedInvoice): Promise<boolean>;
  /** pending_payment -> complete, only while `paymentHash` is the payment's invoice. */
  markComplete(id: number, paymentHash: string, settlement: { amountPaidSat: number; settledAt: Date }): Promise<boolean>;
  /** from -> error with a reason for the person who looks at it. */
  markError(id: number, from: PaymentStatus, reason: string): Promise<boolean>;
}

export function createPaymentsRepo(knex: Knex | Knex.Transaction): PaymentsRepo {
  const table = () => knex<PaymentRow>('payments');
  const cas = async (id: number, where: Partial<PaymentRow>, patch: Partial<PaymentRow>): Promise<boolean> => {
    const n = await table()
      .where({ id, ...where })
      .update({ ...patch, updated_at: knex.fn.now() as unknown as Date });
    return n === 1;
  };

  const repo: PaymentsRepo = {
    async find(userId, articleId, purpose) {
      const row = await table().where({ user_id: userId, article_id: articleId, purpose }).first();
      return row ? toPayment(row) : null;
    },
    async findOrCreate({ userId, articleId, purpose, amountSat }) {
      await knex.raw(
        `INSERT INTO payments (user_id, article_id, purpose, status, amount_sat)
         VALUES (?, ?, ?, 'pending_invoice', ?)
         ON CONFLICT (user_id, article_id, purpose) DO NOTHING`,
        [userId, articleId, purpose, amountSat],
      );
      const found = await repo.find(userId, articleId, purpose);
      if (!found) throw new Error('payment vanished right after insert');
      return found;
    },
    async withLock(id, fn) {
      const run = async (trx: Knex.Transaction) => {
        const row = await trx<PaymentRow>('payments').where({ id }).forUpdate().first();
        if (!row) throw new Error(`payment ${id} not found`);
        return fn(toPayment(row), createPaymentsRepo(trx));
      };
      return knex.isTransaction ? run(knex as Knex.Transaction) : (knex as Knex).transaction(run);
    },
    attachInvoice(id, inv) {
      return cas(
        id,
        { status: 'pending_invoice' },
        {
          status: 'pending_payment',
          payment_hash: inv.paymentHash,
          payment_request: inv.paymentRequest,
          invoice_expires_at: inv.expiresAt,
        },
      );
    },
    replaceInvoice(id, oldHash, inv) {
      return cas(
        id,
        { status: 'pending_payment', payment_hash: oldHash },
        { payment_hash: inv.paymentHash, payment_request: inv.paymentRequest, invoice_expires_at: inv.expiresAt },
      );
    },
    markComplete(id, paymentHash, s) {
      return cas(
        id,
        { status: 'pending_payment', payment_hash: paymentHash },
        { status: 'complete', amount_paid_sat: s.amountPaidSat, settled_at: s.settledAt },
      );
    },
    markError(id, from, reason) {
      return cas(id, { status: from }, { status: 'error', error_reason: reason });
    },
  };
  return repo;
}
