/**
 * /admin/node (the node, its channels, liquidity, invoices and the watcher) and the low-inbound
 * banner every admin page shows (views/admin/nav.ejs), judged from the monitor's last reading.
 */
import { Router } from 'express';
import { requireAdmin } from '../auth/guards';
import type { NodeMonitor } from './node-monitor';

export function createNodePageRouter(deps: { monitor: NodeMonitor }): Router {
  const router = Router();
  router.use('/admin', (_req, res, next) => {
    res.locals.liquidityWarning = deps.monitor.warning();
    next();
  });
  router.get('/admin/node', requireAdmin, async (_req, res) => {
    const status = await deps.monitor.read();
    res.locals.liquidityWarning = status.warning;
    res.render('admin/node', { title: 'Node', status });
  });
  return router;
}
