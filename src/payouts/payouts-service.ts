/**
 * Withdrawals: a writer (or, with UPVOTE_SPLIT=earlier-upvoters, a reader) moves their balance out
 * over Lightning. Order of events, so that no sat is lost or paid twice whatever fails and whenever:
 *   1. check everything that can be checked without spending (invoice, limits, pause switch);
 *   2. commit the row (requested, with the payment hash) and the debit of amount + fee reserve;
 *   3. only then call SendPaymentV2 (fee limit = reserve, timeout); IN_FLIGHT -> in_flight;
 *   4. SUCCEEDED -> succeeded and the unused reserve back; FAILED -> failed and everything back, once.
 * A crash, a lost connection or the node stopping between 2 and 4 leaves the row open; reconcile()
 * (at start and every few seconds) tracks it with TrackPaymentV2, and re-sends only a withdrawal
 * the node has never heard of (same payment hash, so the node itself refuses to pay it twice).
 * Returns domain results; never throws HTTP errors.
 */
import { writeSync } from 'node:fs';
import type { Knex } from 'knex';
import type { Logger } from '../lib/logger';
import { LightningUnavailableError, type LightningNode } from '../lightning/types';
import { PaymentAlreadyExistsError, PaymentNotFoundError, type PaymentSender, type PaymentUpdate } from '../lightning/lnd-router-client';
import { checkInvoice, type CheckedInvoice } from './invoice-check';
import { invoiceFromLightningAddress, parseLightningAddress } from './lightning-address';
import { feeReserve, largestWithdrawal, msatToSatCeil } from './fees';
import type { PayoutConfig } from './payout-config';
import { createLedgerRepo, type LedgerRepo } from './ledger-repo';
import {
  createWithdrawalsRepo,
  isSiteInvoice,
  type CreateResult,
  type Withdrawal,
  type WithdrawalHooks,
  type WithdrawalsRepo,
} from './withdrawals-repo';
import { failureText } from './failure-text';

export type WithdrawResult = { kind: 'ok'; withdrawal: Withdrawal } | { kind: 'refused'; message: string };

export interface PayoutsServiceDeps {
  knex: Knex;
  node: Pick<LightningNode, 'getInfo'>;
  sender: PaymentSender;
  config: PayoutConfig;
  logger: Logger;
  hooks?: WithdrawalHooks;
  now?: () => Date;
}

export interface PayoutsService {
  readonly config: PayoutConfig;
  readonly ledger: LedgerRepo;
  readonly withdrawals: WithdrawalsRepo;
  withdrawInvoice(userId: number, paymentRequest: string): Promise<WithdrawResult>;
  withdrawToAddress(userId: number, address: string, amountSat: number, automatic?: boolean): Promise<WithdrawResult>;
  /** Finishes every open withdrawal this process is not already following. */
  reconcile(): Promise<{ open: number }>;
  /** Withdraws for every user whose balance reached their threshold. */
  autoWithdraw(): Promise<number>;
  /** Resolves when the payments this process started have been recorded (or left for reconcile). */
  idle(): Promise<void>;
}

export function createPayoutsService(deps: PayoutsServiceDeps): PayoutsService {
  const { knex, sender, config, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const ledger = createLedgerRepo(knex);
  const withdrawals = createWithdrawalsRepo(knex, deps.hooks);
  const reserveRule = { percent: config.feeReservePercent, minSat: config.feeReserveMinSat };
  /** Longer than a send's own deadline (timeout + 30 s): once it ran out, that send can no longer reach the node. */
  const sendLeaseSeconds = config.timeoutSeconds + 60;
  /** Withdrawals this process is sending or tracking right now: one follower per withdrawal per process. */
  const following = new Map<number, Promise<void>>();
  let network: string | null = null;

  /** The node's network (asked once), or null when the node cannot tell us now. */
  async function nodeNetwork(): Promise<string | null> {
    if (network) return network;
    try {
      network = (await deps.node.getInfo()).network;
    } catch (err) {
      logger.warn('the node could not be asked for its network', { error: err });
      return null;
    }
    return network;
  }
  const NODE_DOWN = 'The site’s Lightning node cannot be reached right now. Nothing was changed; please try again in a minute.';

  function refusal(r: Exclude<CreateResult, { kind: 'created' }>, amountSat: number, reserve: number): string {
    switch (r.kind) {
      case 'insufficient':
        return `Your balance is ${r.balanceSat} sats; withdrawing ${amountSat} sats needs ${amountSat + reserve} (the amount plus up to ${reserve} sats held for the routing fee).`;
      case 'daily-limit':
        return `That would pass the daily limit of ${config.dailyMaxSat} sats (already ${r.usedSat} sats today).`;
      case 'throttled':
        return `At most ${config.perHour} withdrawals an hour: please wait a little.`;
      case 'already-used':
        return 'That invoice was already used for a withdrawal. Create a new one.';
      case 'open-exists':
        return 'A withdrawal is already on its way.';
    }
  }

  async function start(
    userId: number,
    inv: CheckedInvoice,
    via: Withdrawal['via'],
    address: string | null,
    automatic: boolean,
  ): Promise<WithdrawResult> {
    if (inv.amountSat < config.minSat || inv.amountSat > config.maxSat) {
      return {
        kind: 'refused',
        message: `A withdrawal must be from ${config.minSat} to ${config.maxSat} sats (this invoice asks ${inv.amountSat}).`,
      };
    }
    if ((await ledger.paused()).paused)
      return { kind: 'refused', message: 'Payouts are paused by the site for now. Your balance is safe; please try again later.' };
    if (await isSiteInvoice(knex, inv.paymentHash))
      return { kind: 'refused', message: 'That is one of this site’s own invoices; paste an invoice from your wallet.' };
    const reserve = feeReserve(inv.amountSat, reserveRule);
    const created = await withdrawals.create({
      userId,
      via,
      lightningAddress: address,
      paymentRequest: inv.paymentRequest,
      paymentHash: inv.paymentHash,
      amountSat: inv.amountSat,
      feeReserveSat: reserve,
      automatic,
      limits: { dailyMaxSat: config.dailyMaxSat, perHour: config.perHour },
      sendLeaseSeconds,
      onlyIfNoneOpen: automatic,
    });
    if (created.kind !== 'created') return { kind: 'refused', message: refusal(created, inv.amountSat, reserve) };
    logger.info('withdrawal requested', {
      withdrawalId: created.withdrawal.id,
      userId,
      amountSat: inv.amountSat,
      feeReserveSat: reserve,
      via,
      paymentHash: inv.paymentHash,
    });
    follow(created.withdrawal, 'send');
    return { kind: 'ok', withdrawal: created.withdrawal };
  }

  /** Records a final update; IN_FLIGHT moves requested -> in_flight. */
  async function record(w: Withdrawal, u: PaymentUpdate): Promise<void> {
    if (u.status === 'IN_FLIGHT') {
      if (await withdrawals.markInFlight(w.id)) logger.info('withdrawal in flight', { withdrawalId: w.id });
      return;
    }
    if (config.fault === 'kill-after-send') {
      // Test hook (refused in production): die with the node's answer in hand and nothing recorded.
      // Written synchronously: the logger buffers, and SIGKILL would lose the line.
      writeSync(2, `PAYOUT_FAULT: killing the process before recording the payment result (withdrawal ${w.id}, ${u.status})\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    if (u.status === 'SUCCEEDED') {
      let fee = msatToSatCeil(u.feeMsat);
      if (fee > w.feeReserveSat) {
        logger.error('routing fee above the fee limit; the site pays the difference', {
          withdrawalId: w.id,
          feeSat: fee,
          reserveSat: w.feeReserveSat,
        });
        fee = w.feeReserveSat;
      }
      if (await withdrawals.markSucceeded(w.id, fee, u.preimage))
        logger.info('withdrawal succeeded', { withdrawalId: w.id, amountSat: w.amountSat, feeSat: fee });
    } else if (await withdrawals.markFailed(w.id, failureText(u.failureReason))) {
      logger.warn('withdrawal failed; balance restored', { withdrawalId: w.id, reason: u.failureReason });
    }
  }

  async function track(w: Withdrawal): Promise<void> {
    const u = await sender.track(
      w.paymentHash,
      (update) => void (update.status === 'IN_FLIGHT' ? record(w, update).catch(() => undefined) : undefined),
    );
    await record(w, u);
  }

  async function send(w: Withdrawal): Promise<void> {
    let u: PaymentUpdate;
    try {
      u = await sender.send(
        { paymentRequest: w.paymentRequest, feeLimitSat: w.feeReserveSat, timeoutSeconds: config.timeoutSeconds },
        (update) => void (update.status === 'IN_FLIGHT' ? record(w, update).catch(() => undefined) : undefined),
      );
    } catch (err) {
      if (err instanceof PaymentAlreadyExistsError) return track(w); // in transition / already paid: never pay again
      if (err instanceof LightningUnavailableError) throw err; // unknown outcome: reconcile tracks it later
      // The node refused (expired, bad request...). It may still know the hash from an earlier send:
      // only TrackPaymentV2 saying "never initiated" lets us fail it and give the sats back.
      try {
        return await track(w);
      } catch (trackErr) {
        if (trackErr instanceof PaymentNotFoundError) {
          if (await withdrawals.markFailed(w.id, `the node refused the payment: ${(err as Error).message}`.slice(0, 300))) {
            logger.warn('withdrawal refused by the node; balance restored', { withdrawalId: w.id, error: (err as Error).message });
          }
          return;
        }
        throw trackErr;
      }
    }
    await record(w, u);
  }

  /**
   * A requested withdrawal found by reconcile: the node may have it (the creator sent it, then died or
   * lost the connection), so it is tracked first; only a payment the node never saw is sent, and only
   * by the process that holds the send lease.
   */
  async function resume(w: Withdrawal): Promise<void> {
    try {
      return await track(w);
    } catch (err) {
      if (!(err instanceof PaymentNotFoundError)) throw err;
    }
    if ((await ledger.paused()).paused) return;
    if (await withdrawals.claimSend(w.id, sendLeaseSeconds)) await send(w);
  }

  function follow(w: Withdrawal, how: 'send' | 'track' | 'resume'): Promise<void> {
    const existing = following.get(w.id);
    if (existing) return existing;
    const run = (how === 'send' ? send(w) : how === 'track' ? track(w) : resume(w))
      .catch((err) => {
        const level = err instanceof LightningUnavailableError ? 'warn' : 'error';
        logger[level]('withdrawal outcome not known yet; it will be tracked again', { withdrawalId: w.id, error: err });
      })
      .finally(() => following.delete(w.id));
    following.set(w.id, run);
    return run;
  }

  return {
    config,
    ledger,
    withdrawals,
    async withdrawInvoice(userId, paymentRequest) {
      const net = await nodeNetwork();
      if (!net) return { kind: 'refused', message: NODE_DOWN };
      const checked = checkInvoice(String(paymentRequest ?? ''), { network: net, now: now() });
      if (!checked.ok) return { kind: 'refused', message: checked.message };
      if (await withdrawals.isUsedHash(checked.invoice.paymentHash))
        return { kind: 'refused', message: 'That invoice was already used for a withdrawal. Create a new one.' };
      return start(userId, checked.invoice, 'bolt11', null, false);
    },
    async withdrawToAddress(userId, address, amountSat, automatic = false) {
      if (!parseLightningAddress(address))
        return { kind: 'refused', message: 'That is not a Lightning Address: it looks like name@example.com.' };
      if (!Number.isSafeInteger(amountSat) || amountSat < config.minSat || amountSat > config.maxSat) {
        return { kind: 'refused', message: `A withdrawal must be a whole number of sats from ${config.minSat} to ${config.maxSat}.` };
      }
      const balance = await ledger.balance(userId);
      const reserve = feeReserve(amountSat, reserveRule);
      if (balance < amountSat + reserve)
        return { kind: 'refused', message: refusal({ kind: 'insufficient', balanceSat: balance }, amountSat, reserve) };
      if ((await ledger.paused()).paused)
        return { kind: 'refused', message: 'Payouts are paused by the site for now. Your balance is safe; please try again later.' };
      const net = await nodeNetwork();
      if (!net) return { kind: 'refused', message: NODE_DOWN };
      const got = await invoiceFromLightningAddress(address, amountSat, {
        allowLoopbackHttp: config.allowLoopbackHttp,
        policy: config.addressPolicy,
        network: net,
        now: now(),
      });
      if (!got.ok) return { kind: 'refused', message: got.message };
      return start(userId, got.invoice, 'lightning_address', address.trim().toLowerCase(), automatic);
    },
    async reconcile() {
      const open = await withdrawals.listOpen();
      const paused = (await ledger.paused()).paused;
      for (const w of open) {
        if (following.has(w.id)) continue;
        // A requested withdrawal may never have reached the node: tracked, then sent under the send
        // lease if the node never saw it (same hash either way). While paused, nothing new is sent.
        if (w.status === 'requested' && paused) continue;
        void follow(w, w.status === 'requested' ? 'resume' : 'track').catch(() => undefined);
      }
      return { open: open.length };
    },
    async autoWithdraw() {
      if ((await ledger.paused()).paused) return 0;
      let started = 0;
      for (const due of await ledger.dueForAutoWithdraw(20)) {
        const amount = Math.min(config.maxSat, largestWithdrawal(due.balanceSat, reserveRule));
        if (amount < config.minSat) continue;
        const r = await this.withdrawToAddress(due.userId, due.address, amount, true);
        if (r.kind === 'ok') started += 1;
        else logger.warn('automatic withdrawal not started', { userId: due.userId, reason: r.message });
      }
      return started;
    },
    async idle() {
      while (following.size > 0) await Promise.allSettled([...following.values()]);
    },
  };
}
