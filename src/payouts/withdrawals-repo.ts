/**
 * Withdrawals and their ledger entries. Every transition is a compare-and-set guarded by the
 * states withdrawal-states.ts allows, and the balance moves in the same transaction as the entry
 * that explains it. `hooks` are told inside that transaction (the webhook outbox goes there).
 */
import type { Knex } from 'knex';
import { allowedFrom, OPEN_STATUSES, type WithdrawalStatus } from './withdrawal-states';

export interface Withdrawal {
  id: number;
  userId: number;
  status: WithdrawalStatus;
  via: 'bolt11' | 'lightning_address';
  lightningAddress: string | null;
  paymentRequest: string;
  paymentHash: string;
  amountSat: number;
  feeReserveSat: number;
  feeSat: number | null;
  failureReason: string | null;
  automatic: boolean;
  createdAt: Date;
  finishedAt: Date | null;
}

interface Row {
  id: string | number;
  user_id: string | number;
  status: WithdrawalStatus;
  via: 'bolt11' | 'lightning_address';
  lightning_address: string | null;
  payment_request: string;
  payment_hash: string;
  amount_sat: string | number;
  fee_reserve_sat: string | number;
  fee_sat: string | number | null;
  failure_reason: string | null;
  automatic: boolean;
  created_at: Date;
  finished_at: Date | null;
}

export const toWithdrawal = (r: Row): Withdrawal => ({
  id: Number(r.id),
  userId: Number(r.user_id),
  status: r.status,
  via: r.via,
  lightningAddress: r.lightning_address,
  paymentRequest: r.payment_request,
  paymentHash: r.payment_hash,
  amountSat: Number(r.amount_sat),
  feeReserveSat: Number(r.fee_reserve_sat),
  feeSat: r.fee_sat === null ? null : Number(r.fee_sat),
  failureReason: r.failure_reason,
  automatic: r.automatic,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
});

/** Transition points, called inside the transaction that made the change (issue 18: webhook outbox). */
export interface WithdrawalHooks {
  succeeded?(trx: Knex.Transaction, w: Withdrawal): Promise<void>;
  failed?(trx: Knex.Transaction, w: Withdrawal): Promise<void>;
}

export interface NewWithdrawal {
  userId: number;
  via: Withdrawal['via'];
  lightningAddress: string | null;
  paymentRequest: string;
  paymentHash: string;
  amountSat: number;
  feeReserveSat: number;
  automatic: boolean;
  limits: { dailyMaxSat: number; perHour: number };
  /** The creating process may send for this long before another one may (see claimSend). */
  sendLeaseSeconds: number;
  /** Auto-withdraw: refuse when the user already has a withdrawal open. */
  onlyIfNoneOpen?: boolean;
}

export type CreateResult =
  | { kind: 'created'; withdrawal: Withdrawal }
  | { kind: 'insufficient'; balanceSat: number }
  | { kind: 'daily-limit'; usedSat: number }
  | { kind: 'throttled' }
  | { kind: 'already-used' }
  | { kind: 'open-exists' };

class Refused extends Error {
  constructor(readonly result: CreateResult) {
    super(result.kind);
  }
}

export interface WithdrawalsRepo {
  /**
   * Checks and debits amount + reserve in ONE guarded statement (UPDATE balances ... WHERE balance >= ?),
   * which also locks the user's balance row, so the daily limit and the throttle read after it are exact
   * even with concurrent requests in several processes; then writes the row (requested) and the entry.
   */
  create(input: NewWithdrawal): Promise<CreateResult>;
  /**
   * Takes the right to call SendPaymentV2 for a requested withdrawal whose previous lease has run out.
   * LND starts a new attempt for a hash whose last attempt FAILED, so two senders racing (the creator,
   * slow, and a reconcile elsewhere) could pay after the other recorded a failure; the lease, longer
   * than a send's deadline, makes sure only one process sends at a time.
   */
  claimSend(id: number, leaseSeconds: number): Promise<boolean>;
  markInFlight(id: number): Promise<boolean>;
  /** requested|in_flight -> succeeded; the unused part of the reserve goes back. True if this call moved it. */
  markSucceeded(id: number, feeSat: number, preimage: string): Promise<boolean>;
  /** requested|in_flight -> failed; amount + reserve go back, exactly once. True if this call moved it. */
  markFailed(id: number, reason: string): Promise<boolean>;
  findById(id: number): Promise<Withdrawal | null>;
  listOpen(): Promise<Withdrawal[]>;
  listForUser(userId: number, limit: number): Promise<Withdrawal[]>;
  listRecentFailed(limit: number): Promise<Withdrawal[]>;
  isUsedHash(paymentHash: string): Promise<boolean>;
}

export function createWithdrawalsRepo(knex: Knex, hooks: WithdrawalHooks = {}): WithdrawalsRepo {
  const setStatus = (trx: Knex.Transaction, id: number, to: WithdrawalStatus, patch: Record<string, unknown>) =>
    trx('withdrawals')
      .where({ id })
      .whereIn('status', allowedFrom(to))
      .update({ status: to, updated_at: trx.fn.now(), ...patch })
      .returning('*') as Promise<Row[]>;

  async function credit(trx: Knex.Transaction, w: Withdrawal, kind: 'withdrawal_refund' | 'fee_reserve_refund', amount: number) {
    if (amount <= 0) return;
    await trx('ledger_entries').insert({ user_id: w.userId, kind, amount_sat: amount, withdrawal_id: w.id });
    await trx.raw('UPDATE balances SET balance_sat = balance_sat + ?, updated_at = now() WHERE user_id = ?', [amount, w.userId]);
  }

  return {
    async create(input) {
      const debit = input.amountSat + input.feeReserveSat;
      try {
        return await knex.transaction(async (trx) => {
          const guarded = await trx.raw<{ rows: unknown[] }>(
            'UPDATE balances SET balance_sat = balance_sat - ?, updated_at = now() WHERE user_id = ? AND balance_sat >= ? RETURNING balance_sat',
            [debit, input.userId, debit],
          );
          if (guarded.rows.length !== 1) {
            const row = await trx('balances').where({ user_id: input.userId }).first('balance_sat');
            throw new Refused({ kind: 'insufficient', balanceSat: Number(row?.balance_sat ?? 0) });
          }
          // The balance row is locked by this transaction from here on: the reads below see every
          // other withdrawal of this user that committed before us.
          const recent = await trx('withdrawals')
            .where({ user_id: input.userId })
            .where('created_at', '>', trx.raw("now() - interval '1 day'"))
            .select(
              trx.raw("COALESCE(sum(amount_sat) FILTER (WHERE status <> 'failed'), 0) AS used"),
              trx.raw("count(*) FILTER (WHERE created_at > now() - interval '1 hour') AS last_hour"),
              trx.raw("count(*) FILTER (WHERE status IN ('requested', 'in_flight')) AS open"),
            )
            .first();
          if (input.onlyIfNoneOpen && Number(recent.open) > 0) throw new Refused({ kind: 'open-exists' });
          if (Number(recent.last_hour) >= input.limits.perHour) throw new Refused({ kind: 'throttled' });
          if (Number(recent.used) + input.amountSat > input.limits.dailyMaxSat)
            throw new Refused({ kind: 'daily-limit', usedSat: Number(recent.used) });
          const inserted = await trx.raw<{ rows: Row[] }>(
            `INSERT INTO withdrawals (user_id, status, via, lightning_address, payment_request, payment_hash, amount_sat, fee_reserve_sat, automatic, send_lease_until)
             VALUES (?, 'requested', ?, ?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?)) ON CONFLICT (payment_hash) DO NOTHING RETURNING *`,
            [
              input.userId,
              input.via,
              input.lightningAddress,
              input.paymentRequest,
              input.paymentHash,
              input.amountSat,
              input.feeReserveSat,
              input.automatic,
              input.sendLeaseSeconds,
            ],
          );
          if (inserted.rows.length !== 1) throw new Refused({ kind: 'already-used' });
          const w = toWithdrawal(inserted.rows[0]);
          await trx('ledger_entries').insert({ user_id: input.userId, kind: 'withdrawal', amount_sat: -debit, withdrawal_id: w.id });
          return { kind: 'created', withdrawal: w } as const;
        });
      } catch (err) {
        if (err instanceof Refused) return err.result;
        throw err;
      }
    },
    async claimSend(id, leaseSeconds) {
      const n = await knex('withdrawals')
        .where({ id, status: 'requested' })
        .where((q) => q.whereNull('send_lease_until').orWhere('send_lease_until', '<', knex.fn.now()))
        .update({ send_lease_until: knex.raw('now() + make_interval(secs => ?)', [leaseSeconds]), updated_at: knex.fn.now() });
      return n === 1;
    },
    async markInFlight(id) {
      return knex.transaction(async (trx) => (await setStatus(trx, id, 'in_flight', {})).length === 1);
    },
    async markSucceeded(id, feeSat, preimage) {
      return knex.transaction(async (trx) => {
        const rows = await setStatus(trx, id, 'succeeded', { fee_sat: feeSat, preimage, finished_at: trx.fn.now(), failure_reason: null });
        if (rows.length !== 1) return false;
        const w = toWithdrawal(rows[0]);
        await credit(trx, w, 'fee_reserve_refund', w.feeReserveSat - feeSat);
        await hooks.succeeded?.(trx, w);
        return true;
      });
    },
    async markFailed(id, reason) {
      return knex.transaction(async (trx) => {
        const rows = await setStatus(trx, id, 'failed', { failure_reason: reason, finished_at: trx.fn.now() });
        if (rows.length !== 1) return false;
        const w = toWithdrawal(rows[0]);
        await credit(trx, w, 'withdrawal_refund', w.amountSat + w.feeReserveSat);
        await hooks.failed?.(trx, w);
        return true;
      });
    },
    async findById(id) {
      const row = await knex('withdrawals').where({ id }).first();
      return row ? toWithdrawal(row) : null;
    },
    async listOpen() {
      return (
        await knex('withdrawals')
          .whereIn('status', OPEN_STATUSES as WithdrawalStatus[])
          .orderBy('id')
      ).map(toWithdrawal);
    },
    async listForUser(userId, limit) {
      return (await knex('withdrawals').where({ user_id: userId }).orderBy('id', 'desc').limit(limit)).map(toWithdrawal);
    },
    async listRecentFailed(limit) {
      return (await knex('withdrawals').where({ status: 'failed' }).orderBy('id', 'desc').limit(limit)).map(toWithdrawal);
    },
    async isUsedHash(paymentHash) {
      return (await knex('withdrawals').where({ payment_hash: paymentHash }).first('id')) !== undefined;
    },
  };
}

/** Whether a payment hash is one of the site's own invoices (a reader's payment): never paid out. */
export async function isSiteInvoice(knex: Knex, paymentHash: string): Promise<boolean> {
  return (await knex('payment_invoices').where({ payment_hash: paymentHash }).first('id')) !== undefined;
}
