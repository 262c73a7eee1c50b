/**
 * Payout pages (their URLs and guards are in src/routes.ts). /me/payouts: balance, every ledger
 * entry, withdrawals, and the forms (paste a BOLT 11 invoice, or an amount to a Lightning Address; a
 * saved address with an automatic-withdrawal threshold). /admin/payouts: open and failed withdrawals,
 * totals, the books, the pause switch. dashboardBooks hands the books' verdict to /admin/dashboard.
 */
import type { Request, RequestHandler, Response } from 'express';
import { currentUser } from '../accounts/guards';
import type { User } from '../accounts/users-repo';
import type { Logger } from '../lib/logger';
import type { PayoutsService, WithdrawResult } from './payouts-service';
import { parseLightningAddress } from './lightning-address';

export interface PayoutPagesDeps {
  payouts: PayoutsService;
  logger: Logger;
}

export interface PayoutPages {
  mine: RequestHandler;
  withdrawInvoice: RequestHandler;
  withdrawAddress: RequestHandler;
  saveSettings: RequestHandler;
  admin: RequestHandler;
  pause: RequestHandler;
  /** Before /admin/dashboard: puts the books in res.locals for its view. */
  dashboardBooks: RequestHandler;
}

const field = (req: Request, name: string): string => {
  const v = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v.trim() : '';
};

export function createPayoutPages(deps: PayoutPagesDeps): PayoutPages {
  const { payouts } = deps;
  const { config } = payouts;

  async function renderMine(
    req: Request,
    res: Response,
    status: number,
    extra: { error?: string; notice?: string; form?: Record<string, string> } = {},
  ) {
    const user = currentUser(req) as User;
    const [balance, entries, withdrawals, settings, paused] = await Promise.all([
      payouts.ledger.balance(user.id),
      payouts.ledger.entries(user.id, 200),
      payouts.withdrawals.listForUser(user.id, 100),
      payouts.ledger.settingsOf(user.id),
      payouts.ledger.paused(),
    ]);
    const noticeParam =
      typeof req.query.withdrawal === 'string' && /^\d+$/.test(req.query.withdrawal)
        ? 'Withdrawal requested: it is on its way. Its status is below.'
        : null;
    res.status(status).render('payouts/mine', {
      title: 'Your balance and payouts',
      balance,
      entries,
      withdrawals,
      settings,
      paused: paused.paused,
      limits: config,
      error: extra.error ?? null,
      notice: extra.notice ?? noticeParam,
      form: extra.form ?? {},
    });
  }

  const answer = async (req: Request, res: Response, r: WithdrawResult, form: Record<string, string>) => {
    if (r.kind === 'ok') return res.redirect(303, `/me/payouts?withdrawal=${r.withdrawal.id}`);
    return renderMine(req, res, 422, { error: r.message, form });
  };

  const mine: RequestHandler = (req, res) => renderMine(req, res, 200);

  const withdrawInvoice: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const invoice = field(req, 'invoice');
    await answer(req, res, await payouts.withdrawInvoice(user.id, invoice), { invoice: invoice.slice(0, 8000) });
  };

  const withdrawAddress: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const address = field(req, 'address');
    const amountText = field(req, 'amount');
    const form = { address: address.slice(0, 300), amount: amountText.slice(0, 20) };
    if (!/^\d{1,15}$/.test(amountText)) return renderMine(req, res, 422, { error: 'Enter the amount as a whole number of sats.', form });
    await answer(req, res, await payouts.withdrawToAddress(user.id, address, Number(amountText)), form);
  };

  const saveSettings: RequestHandler = async (req, res) => {
    const user = currentUser(req) as User;
    const address = field(req, 'saved_address');
    const threshold = field(req, 'threshold');
    const form = { saved_address: address.slice(0, 300), threshold: threshold.slice(0, 20) };
    if (address !== '' && !parseLightningAddress(address))
      return renderMine(req, res, 422, { error: 'That is not a Lightning Address: it looks like name@example.com.', form });
    if (threshold !== '' && (!/^\d{1,15}$/.test(threshold) || Number(threshold) < config.minSat + config.feeReserveMinSat)) {
      return renderMine(req, res, 422, {
        error: `The threshold must be a whole number of sats, at least ${config.minSat + config.feeReserveMinSat}.`,
        form,
      });
    }
    if (threshold !== '' && address === '')
      return renderMine(req, res, 422, { error: 'Automatic withdrawal needs a saved Lightning Address.', form });
    await payouts.ledger.saveSettings(user.id, {
      lightningAddress: address === '' ? null : address.toLowerCase(),
      autoWithdrawThresholdSat: threshold === '' ? null : Number(threshold),
    });
    deps.logger.info('payout settings saved', { userId: user.id, automatic: threshold !== '' });
    return renderMine(req, res, 200, { notice: 'Payout settings saved.' });
  };

  const dashboardBooks: RequestHandler = async (_req, res, next) => {
    res.locals.books = await payouts.ledger.books();
    next();
  };

  async function renderAdmin(res: Response, status: number, error: string | null) {
    const [books, open, recent, paused] = await Promise.all([
      payouts.ledger.books(),
      payouts.withdrawals.listOpen(),
      payouts.withdrawals.listRecentFailed(100),
      payouts.ledger.paused(),
    ]);
    res.status(status).render('payouts/admin', { title: 'Payouts', books, open, failed: recent, paused, error });
  }

  const admin: RequestHandler = (_req, res) => renderAdmin(res, 200, null);

  const pause: RequestHandler = async (req, res) => {
    const admin = currentUser(req) as User;
    const pause = field(req, 'paused') === 'true';
    const reason = field(req, 'reason').slice(0, 200);
    if (pause && reason === '') return renderAdmin(res, 422, 'Say why payouts are paused (writers see it).');
    await payouts.ledger.setPaused(pause, reason, admin.id);
    deps.logger.warn(pause ? 'payouts paused' : 'payouts resumed', { adminId: admin.id, reason });
    res.redirect(303, '/admin/payouts');
  };

  return { mine, withdrawInvoice, withdrawAddress, saveSettings, admin, pause, dashboardBooks };
}
