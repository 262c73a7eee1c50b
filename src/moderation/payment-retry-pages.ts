/**
 * /admin/payments: the payments in `error` (an invoice settled for less than it asked, or anything
 * else that needed a person), with a "Retry" button that issues a fresh invoice (error ->
 * pending_payment, the one way out of error besides the reader's own next view). The route table
 * mounts these under /admin behind requireAdmin.
 */
import type { RequestHandler } from 'express';
import type { PaymentsRepo } from '../payments/payments-repo';
import type { User } from '../accounts/users-repo';
import { isLightningError } from '../lightning/types';
import type { Logger } from '../lib/logger';
import type { PaymentsService } from '../payments/payments-service';
import { parseId } from '../web/params';

export interface PaymentRetryPages {
  list: RequestHandler;
  retry: RequestHandler;
}

export function createPaymentRetryPages(deps: {
  payments: PaymentsService;
  paymentsRepo: PaymentsRepo;
  logger: Logger;
}): PaymentRetryPages {
  const list: RequestHandler = async (req, res) => {
    const notice = typeof req.query.notice === 'string' ? req.query.notice.slice(0, 300) : null;
    res.render('admin/payments', { title: 'Payments in error', payments: await deps.paymentsRepo.listInError(200), notice });
  };

  const retry: RequestHandler = async (req, res) => {
    const id = parseId(String(req.params.id));
    let notice: string;
    try {
      const retried = id !== null && (await deps.payments.retryErrored(id));
      if (retried) deps.logger.info('payment retried by an admin', { paymentId: id, adminId: (req.user as User).id });
      notice = retried
        ? `Payment #${id} has a fresh invoice; the reader sees it on their next visit.`
        : `Payment #${id ?? req.params.id} is not in error: nothing to retry.`;
    } catch (err) {
      if (!isLightningError(err)) throw err;
      deps.logger.warn('payment retry: lightning node unavailable', { paymentId: id, error: err });
      notice = `Payment #${id} was not retried: the Lightning node is unavailable (${err.message}). Try again later.`;
    }
    res.redirect(`/admin/payments?notice=${encodeURIComponent(notice)}`);
  };
  return { list, retry };
}
