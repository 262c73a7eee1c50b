/**
 * The end of a soak run: every withdrawal is checked against the database and against both nodes.
 * - database: nothing left open; each withdrawal debited once, and either succeeded (no refund of the
 *   amount, the unused reserve back once) or failed (amount + reserve back exactly once); the sats
 *   restored equal the failed withdrawals' debits; the books balance;
 * - payee node: each submitted invoice is settled at most once, for its amount, by one HTLC, and is
 *   settled exactly when its withdrawal succeeded (a settled invoice without a succeeded withdrawal is
 *   a lost payment, the other way round is a payment recorded but never made);
 * - site node: each succeeded withdrawal is one SUCCEEDED payment there, whose fee is the one recorded.
 */
import type { Knex } from 'knex';
import { createLedgerRepo, type Books } from '../../src/payouts/ledger-repo';
import type { Rpc, RpcReply, Submitted } from './withdrawals';

export interface WithdrawalAudit {
  submitted: number;
  withdrawals: number;
  succeeded: number;
  failed: number;
  stillOpen: number;
  withdrawnSat: number;
  routingFeesSat: number;
  failedDebitsSat: number;
  restoredSat: number;
  /** Withdrawals whose ledger entries are not one debit plus the one right refund. */
  badEntries: number;
  unknownHashes: number;
  paidButNotSucceeded: number;
  succeededButNotPaid: number;
  paidTwice: number;
  siteNodeMismatch: number;
  books: Books;
  ok: boolean;
}

interface Row {
  id: string;
  payment_hash: string;
  status: string;
  amount_sat: string;
  fee_reserve_sat: string;
  fee_sat: string | null;
}

/** Waits (bounded) until no withdrawal is open: a send lease left by a killed process runs out first. */
export async function waitForWithdrawals(knex: Knex, waitMs: number): Promise<number> {
  const until = Date.now() + waitMs;
  for (;;) {
    const open = Number((await knex('withdrawals').whereIn('status', ['requested', 'in_flight']).count('* as n').first())?.n);
    if (open === 0 || Date.now() > until) return open;
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function auditWithdrawals(knex: Knex, rpc: Rpc, submitted: Submitted[]): Promise<WithdrawalAudit> {
  const rows = (await knex('withdrawals').select('id', 'payment_hash', 'status', 'amount_sat', 'fee_reserve_sat', 'fee_sat')) as Row[];
  const byHash = new Map(rows.map((r) => [r.payment_hash, r]));
  const entries = (await knex('ledger_entries')
    .whereNotNull('withdrawal_id')
    .select('withdrawal_id', 'kind')
    .count('* as n')
    .sum('amount_sat as s')
    .groupBy('withdrawal_id', 'kind')) as Array<{ withdrawal_id: string; kind: string; n: string; s: string }>;
  const entry = (id: string, kind: string) => {
    const e = entries.find((x) => x.withdrawal_id === id && x.kind === kind);
    return { n: Number(e?.n ?? 0), s: Number(e?.s ?? 0) };
  };
  const a = {
    submitted: submitted.length,
    withdrawals: rows.length,
    succeeded: 0,
    failed: 0,
    stillOpen: 0,
    withdrawnSat: 0,
    routingFeesSat: 0,
    failedDebitsSat: 0,
    restoredSat: 0,
    badEntries: 0,
    unknownHashes: 0,
    paidButNotSucceeded: 0,
    succeededButNotPaid: 0,
    paidTwice: 0,
    siteNodeMismatch: 0,
  };
  const submittedHashes = new Set(submitted.map((s) => s.paymentHash));
  for (const r of rows) {
    const debit = Number(r.amount_sat) + Number(r.fee_reserve_sat);
    const d = entry(r.id, 'withdrawal');
    const refund = entry(r.id, 'withdrawal_refund');
    const reserveBack = entry(r.id, 'fee_reserve_refund');
    a.restoredSat += refund.s;
    if (!submittedHashes.has(r.payment_hash)) a.unknownHashes += 1;
    let good = d.n === 1 && d.s === -debit;
    if (r.status === 'succeeded') {
      a.succeeded += 1;
      a.withdrawnSat += Number(r.amount_sat);
      a.routingFeesSat += Number(r.fee_sat);
      good &&= refund.n === 0 && reserveBack.n <= 1 && reserveBack.s === Number(r.fee_reserve_sat) - Number(r.fee_sat);
      const updates = await rpc('site', 'router', 'TrackPaymentV2', {
        payment_hash: Buffer.from(r.payment_hash, 'hex'),
        no_inflight_updates: true,
      });
      const p = updates[updates.length - 1] as RpcReply | undefined;
      const settledHtlcs = ((p?.htlcs ?? []) as RpcReply[]).filter((h) => h.status === 'SUCCEEDED').length;
      const feeSat = Math.ceil(Number(p?.fee_msat ?? 0) / 1000);
      if (p?.status !== 'SUCCEEDED' || settledHtlcs !== 1 || feeSat !== Number(r.fee_sat)) a.siteNodeMismatch += 1;
    } else if (r.status === 'failed') {
      a.failed += 1;
      a.failedDebitsSat += debit;
      good &&= refund.n === 1 && refund.s === debit && reserveBack.n === 0;
    } else {
      a.stillOpen += 1;
    }
    if (!good) a.badEntries += 1;
  }
  for (const s of submitted) {
    const [inv] = await rpc(s.wallet, 'lightning', 'LookupInvoice', { r_hash: Buffer.from(s.paymentHash, 'hex') });
    const paid = inv.state === 'SETTLED';
    const settledHtlcs = ((inv.htlcs ?? []) as RpcReply[]).filter((h) => h.state === 'SETTLED').length;
    if (paid && (Number(inv.amt_paid_sat) !== s.amountSat || settledHtlcs !== 1)) a.paidTwice += 1;
    const row = byHash.get(s.paymentHash);
    if (paid && row?.status !== 'succeeded') a.paidButNotSucceeded += 1;
    if (!paid && row?.status === 'succeeded') a.succeededButNotPaid += 1;
  }
  const books = await createLedgerRepo(knex).books();
  const ok =
    a.stillOpen === 0 &&
    a.badEntries === 0 &&
    a.unknownHashes === 0 &&
    a.paidButNotSucceeded === 0 &&
    a.succeededButNotPaid === 0 &&
    a.paidTwice === 0 &&
    a.siteNodeMismatch === 0 &&
    a.restoredSat === a.failedDebitsSat &&
    books.balanced &&
    books.withdrawnSat === a.withdrawnSat;
  return { ...a, books, ok };
}
