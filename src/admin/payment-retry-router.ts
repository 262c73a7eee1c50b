/**
 * /admin/payments: the payments in `error` (an invoice settled for less than it asked, or anything
 * else that needed a person), with a "Retry" button that issues a fresh invoice (error ->
 * pending_payment, the one way out of error besides the reader's own next view). Admins only.
 */
import { Router } from 'express';
import { requireAdmin } from '../auth/guards';
import type { PaymentsRepo } from '../db/payments-repo';
import type { User } from '../db/users-repo';
import { isLightningError } from '../lightning/types';
import type { Logger } from '../logger';
import type { PaymentsService } from '../payments/payments-service';
import { parseId } from '../routes/articles';

export function createPaymentRetryRouter(deps: { payments: PaymentsService; paymentsRepo: PaymentsRepo; logger: Logger }): Router {
  const router = Router();
  router.use('/admin/payments', requireAdmin);

  router.get('/admin/payments', async (req, res) => {
    const notice = typeof req.query.notice === 'string' ? req.query.notice.slice(0, 300) : null;
    res.render('admin/payments', { title: 'Payments in error', payments: await deps.paymentsRepo.listInError(200), notice });
  });

  router.post('/admin/payments/:id/retry', async (req, res) => {
    const id = parseId(String(req.params.id));
    let notice: string;
    try {
      const retried = id !== null && (await deps.payments.retryErrored(id));
      if (retried) deps.logger.info('payment retried by an admin', { paymentId: id, adminId: (req.user as User).id });
      notice = retried ? `Payment #${id} has a fresh invoice; the reader sees it on their next visit.` : `Payment #${id ?? req.params.id} is not in error: nothing to retry.`;
    } catch (err) {
      if (!isLightningError(err)) throw err;
      deps.logger.warn('payment retry: lightning node unavailable', { paymentId: id, error: err });
      notice = `Payment #${id} was not retried: the Lightning node is unavailable (${err.message}). Try again later.`;
    }
    res.redirect(`/admin/payments?notice=${encodeURIComponent(notice)}`);
  });
  return router;
}
