/**
 * Reads of the ledger (balances, entries), a user's payout settings, the admin pause switch, the
 * ledger's settings row (written at start from PLATFORM_FEE_PERCENT / UPVOTE_SPLIT), and the books.
 */
import type { Knex } from 'knex';

export interface LedgerEntry {
  id: number;
  kind: string;
  amountSat: number;
  feeSat: number;
  purpose: string | null;
  articleId: number | null;
  articleTitle: string | null;
  withdrawalId: number | null;
  createdAt: Date;
}

export interface Books {
  /** Everything readers (and machines) paid: complete payments' amounts. */
  receivedSat: number;
  feesKeptSat: number;
  /** The running balances' sum. */
  balancesOwedSat: number;
  /** The same, computed from the users' entries (must equal balancesOwedSat). */
  balancesFromEntriesSat: number;
  /** Debited from balances for withdrawals not finished yet (amount + reserve). */
  inFlightSat: number;
  withdrawnSat: number;
  routingFeesSat: number;
  /** Complete payments with no ledger credit, and users whose balance differs from their entries. */
  uncreditedPayments: number;
  mismatchedBalances: number;
  balanced: boolean;
}

export interface PayoutSettings {
  lightningAddress: string | null;
  autoWithdrawThresholdSat: number | null;
}

export interface LedgerRepo {
  balance(userId: number): Promise<number>;
  entries(userId: number, limit: number): Promise<LedgerEntry[]>;
  settingsOf(userId: number): Promise<PayoutSettings>;
  saveSettings(userId: number, s: PayoutSettings): Promise<void>;
  /** Users with a saved address whose balance reached their threshold and nothing open. */
  dueForAutoWithdraw(limit: number): Promise<Array<{ userId: number; address: string; balanceSat: number }>>;
  paused(): Promise<{ paused: boolean; reason: string }>;
  setPaused(paused: boolean, reason: string, by: number): Promise<void>;
  writeLedgerSettings(s: { platformFeePercent: number; upvoteSplit: string; upvoteSharePercent: number }): Promise<void>;
  books(): Promise<Books>;
}

const n = (v: unknown) => Number(v ?? 0);

export function createLedgerRepo(knex: Knex): LedgerRepo {
  return {
    async balance(userId) {
      return n((await knex('balances').where({ user_id: userId }).first('balance_sat'))?.balance_sat);
    },
    async entries(userId, limit) {
      const rows = await knex('ledger_entries as e')
        .leftJoin('articles as a', 'a.id', 'e.article_id')
        .where('e.user_id', userId)
        .orderBy('e.id', 'desc')
        .limit(limit)
        .select('e.*', 'a.title as article_title');
      return rows.map((r) => ({
        id: n(r.id),
        kind: r.kind,
        amountSat: n(r.amount_sat),
        feeSat: n(r.fee_sat),
        purpose: r.purpose,
        articleId: r.article_id === null ? null : n(r.article_id),
        articleTitle: r.article_title ?? null,
        withdrawalId: r.withdrawal_id === null ? null : n(r.withdrawal_id),
        createdAt: r.created_at,
      }));
    },
    async settingsOf(userId) {
      const row = await knex('payout_settings').where({ user_id: userId }).first();
      return {
        lightningAddress: row?.lightning_address ?? null,
        autoWithdrawThresholdSat: row?.auto_withdraw_threshold_sat == null ? null : n(row.auto_withdraw_threshold_sat),
      };
    },
    async saveSettings(userId, s) {
      await knex('payout_settings')
        .insert({ user_id: userId, lightning_address: s.lightningAddress, auto_withdraw_threshold_sat: s.autoWithdrawThresholdSat })
        .onConflict('user_id')
        .merge({
          lightning_address: s.lightningAddress,
          auto_withdraw_threshold_sat: s.autoWithdrawThresholdSat,
          updated_at: knex.fn.now(),
        });
    },
    async dueForAutoWithdraw(limit) {
      const rows = await knex('payout_settings as s')
        .join('balances as b', 'b.user_id', 's.user_id')
        .whereNotNull('s.lightning_address')
        .whereNotNull('s.auto_withdraw_threshold_sat')
        .whereRaw('b.balance_sat >= s.auto_withdraw_threshold_sat')
        .whereNotExists(
          knex('withdrawals as w').select(knex.raw('1')).whereRaw('w.user_id = s.user_id').whereIn('w.status', ['requested', 'in_flight']),
        )
        .orderBy('s.user_id')
        .limit(limit)
        .select('s.user_id', 's.lightning_address', 'b.balance_sat');
      return rows.map((r) => ({ userId: n(r.user_id), address: r.lightning_address, balanceSat: n(r.balance_sat) }));
    },
    async paused() {
      const row = await knex('payout_controls').where({ id: 1 }).first();
      return { paused: row?.paused === true, reason: row?.reason ?? '' };
    },
    async setPaused(paused, reason, by) {
      await knex('payout_controls').where({ id: 1 }).update({ paused, reason, changed_by: by, updated_at: knex.fn.now() });
    },
    async writeLedgerSettings(s) {
      await knex('ledger_settings')
        .insert({
          id: 1,
          platform_fee_percent: s.platformFeePercent,
          upvote_split: s.upvoteSplit,
          upvote_share_percent: s.upvoteSharePercent,
        })
        .onConflict('id')
        .merge({
          platform_fee_percent: s.platformFeePercent,
          upvote_split: s.upvoteSplit,
          upvote_share_percent: s.upvoteSharePercent,
          updated_at: knex.fn.now(),
        });
    },
    async books() {
      // One statement, one snapshot: every figure describes the same moment.
      const { rows } = await knex.raw(`
        SELECT
          (SELECT COALESCE(sum(COALESCE(amount_paid_sat, amount_sat)), 0) FROM payments WHERE status = 'complete') AS received,
          (SELECT COALESCE(sum(amount_sat), 0) FROM ledger_entries WHERE kind = 'site_fee') AS fees,
          (SELECT COALESCE(sum(balance_sat), 0) FROM balances) AS owed,
          (SELECT COALESCE(sum(amount_sat), 0) FROM ledger_entries WHERE user_id IS NOT NULL) AS owed_entries,
          (SELECT COALESCE(sum(amount_sat + fee_reserve_sat), 0) FROM withdrawals WHERE status IN ('requested', 'in_flight')) AS in_flight,
          (SELECT COALESCE(sum(amount_sat), 0) FROM withdrawals WHERE status = 'succeeded') AS withdrawn,
          (SELECT COALESCE(sum(fee_sat), 0) FROM withdrawals WHERE status = 'succeeded') AS routing,
          (SELECT count(*) FROM payments p WHERE p.status = 'complete' AND NOT EXISTS (SELECT 1 FROM ledger_entries e WHERE e.payment_id = p.id)) AS uncredited,
          (SELECT count(*) FROM (
             SELECT COALESCE(b.user_id, e.user_id) FROM balances b
             FULL JOIN (SELECT user_id, sum(amount_sat) AS s FROM ledger_entries WHERE user_id IS NOT NULL GROUP BY user_id) e ON e.user_id = b.user_id
             WHERE COALESCE(b.balance_sat, 0) <> COALESCE(e.s, 0)) m) AS mismatched`);
      const r = rows[0];
      const books = {
        receivedSat: n(r.received),
        feesKeptSat: n(r.fees),
        balancesOwedSat: n(r.owed),
        balancesFromEntriesSat: n(r.owed_entries),
        inFlightSat: n(r.in_flight),
        withdrawnSat: n(r.withdrawn),
        routingFeesSat: n(r.routing),
        uncreditedPayments: n(r.uncredited),
        mismatchedBalances: n(r.mismatched),
      };
      const balanced =
        books.receivedSat === books.feesKeptSat + books.balancesOwedSat + books.inFlightSat + books.withdrawnSat + books.routingFeesSat &&
        books.balancesOwedSat === books.balancesFromEntriesSat &&
        books.uncreditedPayments === 0 &&
        books.mismatchedBalances === 0;
      return { ...books, balanced };
    },
  };
}
