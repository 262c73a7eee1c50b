import type { Knex } from 'knex';
import { transition, type PaymentStatus } from './state-machine';
import { toPayment, type AttachedInvoice, type Payment, type PaymentPurpose, type PaymentRow, type FiatQuote } from './payment-row';
import { enqueueWebhookEvent } from '../webhooks/outbox';

export { PAYMENT_COLUMNS, paymentFromPrefixedRow } from './payment-row';
export type { PaymentPurpose, Payment, FiatQuote, AttachedInvoice } from './payment-row';

export interface PaymentsRepo {
  /** The reader's view payment for an article (for 'upvote', the first of possibly many). */
  find(userId: number, articleId: number, purpose: PaymentPurpose): Promise<Payment | null>;
  findById(id: number): Promise<Payment | null>;
  /**
   * The reader's one view payment for this article, created as pending_invoice if there is none.
   * Insert-only, so concurrent first views meet at the partial unique index and all get the same row.
   */
  findOrCreate(input: { userId: number; articleId: number; purpose: 'view'; amountSat: number; fiat?: FiatQuote | null }): Promise<Payment>;
  /** A new upvote payment (pending_invoice): every upvote is its own payment. */
  createUpvote(input: { userId: number; articleId: number; amountSat: number }): Promise<Payment>;
  /** A new machine payment (pending_invoice, no user): every L402 challenge is its own payment. */
  createMachine(input: { articleId: number; amountSat: number }): Promise<Payment>;
  /**
   * Runs `fn` in a transaction holding the row lock on the payment, so only one request at a time
   * (in any process) talks to the node about it. Rolls back if `fn` throws.
   */
  withLock<T>(id: number, fn: (payment: Payment, repo: PaymentsRepo) => Promise<T>): Promise<T>;
  /** pending_invoice -> pending_payment, compare-and-set; the invoice joins the payment's history. */
  attachInvoice(id: number, invoice: AttachedInvoice): Promise<boolean>;
  /** pending_payment -> pending_payment with a fresh invoice, only if `oldHash` is still current. */
  replaceInvoice(id: number, oldHash: string, invoice: AttachedInvoice): Promise<boolean>;
  /**
   * Records that invoice `paymentHash` of payment `id` settled, and moves the payment
   * pending_payment -> complete if it is not complete yet. Any invoice in the payment's history
   * counts, so a late settlement of a replaced invoice is still credited. Returns whether the
   * payment changed state (false for a replayed event or a second invoice paid after the first).
   */
  markComplete(id: number, paymentHash: string, settlement: { amountPaidSat: number; settledAt: Date }): Promise<boolean>;
  /** from -> error with a reason for the person who looks at it. */
  markError(id: number, from: PaymentStatus, reason: string): Promise<boolean>;
  /** error -> pending_payment with a fresh invoice (a reader's next view or an admin's retry), compare-and-set. */
  reissueFromError(id: number, invoice: AttachedInvoice): Promise<boolean>;
  /** Payments in error, most recently changed first, with the reader's name and the article's title (for the admin). */
  listInError(limit: number): Promise<Array<Payment & { username: string; articleTitle: string }>>;
  /**
   * The payment an invoice belongs to (current or replaced) and what that invoice asked when it was
   * issued, or null for an invoice that is not ours.
   */
  findByInvoiceHash(paymentHash: string): Promise<{ payment: Payment; askedSat: number } | null>;
  /**
   * Unsettled invoices of pending payments that could still settle (not more than a day past
   * their expiry, since an HTLC accepted before expiry may settle after it), oldest first.
   */
  listOpenInvoices(limit: number): Promise<Array<{ paymentId: number; paymentHash: string; amountSat: number }>>;
}

/**
 * The invoice joins the payment's history with what it asks: the payment's amount and fiat quote,
 * just set from the invoice (invoiceColumns) or the payment's own when the invoice brought none.
 */
async function recordInvoice(trx: Knex.Transaction, paymentId: number, inv: AttachedInvoice): Promise<void> {
  await trx.raw(
    `INSERT INTO payment_invoices (payment_id, payment_hash, payment_request, expires_at, amount_sat, fiat_currency, fiat_minor, fiat_rate)
     SELECT id, ?, ?, ?, amount_sat, fiat_currency, fiat_minor, fiat_rate FROM payments WHERE id = ?`,
    [inv.paymentHash, inv.paymentRequest, inv.expiresAt, paymentId],
  );
}

/** The payment's columns that describe its current invoice. */
function invoiceColumns(inv: AttachedInvoice): Partial<PaymentRow> {
  const cols: Partial<PaymentRow> = {
    payment_hash: inv.paymentHash,
    payment_request: inv.paymentRequest,
    invoice_expires_at: inv.expiresAt,
  };
  if (inv.amountSat !== undefined) cols.amount_sat = inv.amountSat;
  if (inv.fiat !== undefined) {
    cols.fiat_currency = inv.fiat?.currency ?? null;
    cols.fiat_minor = inv.fiat?.minor ?? null;
    cols.fiat_rate = inv.fiat?.rate ?? null;
  }
  return cols;
}

// The compare-and-sets below, each a move of the state machine's table (checked when this module loads).
const ISSUE = transition('pending_invoice', 'pending_payment');
const REPLACE = transition('pending_payment', 'pending_payment');
const COMPLETE = transition('pending_payment', 'complete');
const REISSUE = transition('error', 'pending_payment');

/** Compare-and-set: updates the payment only while it still matches `where`; true if it did. */
async function casPayment(
  knex: Knex | Knex.Transaction,
  id: number,
  where: Partial<PaymentRow>,
  patch: Partial<PaymentRow>,
): Promise<boolean> {
  const n = await knex<PaymentRow>('payments')
    .where({ id, ...where })
    .update({ ...patch, updated_at: knex.fn.now() as unknown as Date });
  return n === 1;
}

export function createPaymentsRepo(knex: Knex | Knex.Transaction): PaymentsRepo {
  const table = () => knex<PaymentRow>('payments');

  const inTransaction = <T>(fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> =>
    knex.isTransaction ? fn(knex as Knex.Transaction) : (knex as Knex).transaction(fn);

  const repo: PaymentsRepo = {
    async find(userId, articleId, purpose) {
      const row = await table().where({ user_id: userId, article_id: articleId, purpose }).first();
      return row ? toPayment(row) : null;
    },
    async findOrCreate({ userId, articleId, purpose, amountSat, fiat }) {
      // Look first: a returning reader (the most frequent request) costs one SELECT, no write.
      const existing = await repo.find(userId, articleId, purpose);
      if (existing) return existing;
      await knex.raw(
        `INSERT INTO payments (user_id, article_id, purpose, status, amount_sat, fiat_currency, fiat_minor, fiat_rate)
         VALUES (?, ?, ?, 'pending_invoice', ?, ?, ?, ?)
         ON CONFLICT (user_id, article_id) WHERE purpose = 'view' DO NOTHING`,
        [userId, articleId, purpose, amountSat, fiat?.currency ?? null, fiat?.minor ?? null, fiat?.rate ?? null],
      );
      const found = await repo.find(userId, articleId, purpose);
      if (!found) throw new Error('payment vanished right after insert');
      return found;
    },
    async findById(id) {
      const row = await table().where({ id }).first();
      return row ? toPayment(row) : null;
    },
    async createUpvote({ userId, articleId, amountSat }) {
      const [row] = await table()
        .insert({ user_id: userId, article_id: articleId, purpose: 'upvote', status: 'pending_invoice', amount_sat: amountSat })
        .returning('*');
      return toPayment(row as PaymentRow);
    },
    async createMachine({ articleId, amountSat }) {
      const [row] = await table()
        .insert({ user_id: null, article_id: articleId, purpose: 'machine', status: 'pending_invoice', amount_sat: amountSat })
        .returning('*');
      return toPayment(row as PaymentRow);
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
      return inTransaction(async (trx) => {
        const ok = await casPayment(trx, id, { status: ISSUE.from }, { status: ISSUE.to, ...invoiceColumns(inv) });
        if (ok) await recordInvoice(trx, id, inv);
        return ok;
      });
    },
    replaceInvoice(id, oldHash, inv) {
      return inTransaction(async (trx) => {
        const ok = await casPayment(
          trx,
          id,
          { status: REPLACE.from, payment_hash: oldHash },
          { status: REPLACE.to, ...invoiceColumns(inv) },
        );
        if (ok) await recordInvoice(trx, id, inv);
        return ok;
      });
    },
    markComplete(id, paymentHash, s) {
      return inTransaction(async (trx) => {
        await trx('payment_invoices')
          .where({ payment_id: id, payment_hash: paymentHash })
          .whereNull('settled_at')
          .update({ settled_at: s.settledAt, amount_paid_sat: s.amountPaidSat });
        // The payment takes what the paid invoice asked and the rate it was converted at (a
        // replaced invoice paid late included), so its books say what the reader was charged.
        const { rows: done } = await trx.raw(
          `UPDATE payments p
              SET status = ?, amount_paid_sat = ?, settled_at = ?, updated_at = now(),
                  amount_sat = i.amount_sat, fiat_currency = i.fiat_currency, fiat_minor = i.fiat_minor, fiat_rate = i.fiat_rate
             FROM payment_invoices i
            WHERE p.id = ? AND p.status = ? AND i.payment_id = p.id AND i.payment_hash = ?
        RETURNING p.article_id, p.purpose, p.user_id, p.amount_sat`,
          [COMPLETE.to, s.amountPaidSat, s.settledAt, id, COMPLETE.from, paymentHash],
        );
        if (done.length !== 1) return false;
        // Told to webhook endpoints by the outbox, in this transaction: no completion goes untold.
        await enqueueWebhookEvent(trx, 'payment.completed', {
          paymentId: id,
          purpose: done[0].purpose,
          articleId: done[0].article_id,
          userId: done[0].user_id,
          priceSat: done[0].amount_sat,
          amountPaidSat: s.amountPaidSat,
          paymentHash,
          settledAt: s.settledAt.toISOString(),
        });
        // Counters move in the same transaction as the payment, so they never disagree with it:
        // a view counts one view, an upvote one upvote and its sats, a machine read one machine
        // read; all count as revenue.
        const upvote = done[0].purpose === 'upvote';
        const machine = done[0].purpose === 'machine';
        await trx('articles')
          .where({ id: done[0].article_id })
          .update({
            views_count: trx.raw('views_count + ?', [upvote || machine ? 0 : 1]),
            machine_reads_count: trx.raw('machine_reads_count + ?', [machine ? 1 : 0]),
            upvotes_count: trx.raw('upvotes_count + ?', [upvote ? 1 : 0]),
            upvote_sats: trx.raw('upvote_sats + ?', [upvote ? s.amountPaidSat : 0]),
            revenue_sat: trx.raw('revenue_sat + ?', [s.amountPaidSat]),
          });
        await trx.raw(
          `INSERT INTO revenue_days (day, sats, payments) VALUES ((?::timestamptz AT TIME ZONE 'UTC')::date, ?, 1)
           ON CONFLICT (day) DO UPDATE SET sats = revenue_days.sats + EXCLUDED.sats, payments = revenue_days.payments + 1`,
          [s.settledAt, s.amountPaidSat],
        );
        return true;
      });
    },
    async findByInvoiceHash(paymentHash) {
      const row = await knex('payment_invoices as i')
        .join('payments as p', 'p.id', 'i.payment_id')
        .where('i.payment_hash', paymentHash)
        .first('p.*', 'i.amount_sat as asked_sat');
      return row ? { payment: toPayment(row as PaymentRow), askedSat: Number(row.asked_sat) } : null;
    },
    async listOpenInvoices(limit) {
      const rows = await knex('payment_invoices as i')
        .join('payments as p', 'p.id', 'i.payment_id')
        .where('p.status', 'pending_payment')
        .whereNull('i.settled_at')
        .where('i.expires_at', '>', knex.raw("now() - interval '1 day'"))
        .orderBy('i.id')
        .limit(limit)
        .select('i.payment_id', 'i.payment_hash', 'p.amount_sat');
      return rows.map((r) => ({ paymentId: r.payment_id, paymentHash: r.payment_hash, amountSat: r.amount_sat }));
    },
    markError(id, from, reason) {
      const move = transition(from, 'error');
      return casPayment(knex, id, { status: move.from }, { status: move.to, error_reason: reason });
    },
    reissueFromError(id, inv) {
      return inTransaction(async (trx) => {
        const ok = await casPayment(trx, id, { status: REISSUE.from }, { status: REISSUE.to, error_reason: null, ...invoiceColumns(inv) });
        if (ok) await recordInvoice(trx, id, inv);
        return ok;
      });
    },
    async listInError(limit) {
      const rows = await knex('payments as p')
        .join('users as u', 'u.id', 'p.user_id')
        .join('articles as a', 'a.id', 'p.article_id')
        .where('p.status', 'error')
        .orderBy('p.updated_at', 'desc')
        .limit(limit)
        .select('p.*', 'u.username as username', 'a.title as article_title');
      return rows.map((r) => ({ ...toPayment(r as PaymentRow), username: r.username, articleTitle: r.article_title }));
    },
  };
  return repo;
}
