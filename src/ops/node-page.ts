/**
 * /admin/node (the node, its channels, liquidity, invoices and the watcher) and the low-inbound
 * banner every admin page shows (views/admin/nav.ejs), judged from the monitor's last reading so
 * no page waits for the node. Without a monitor there is no node page (404) and no banner.
 */
import type { RequestHandler } from 'express';
import type { NodeMonitor } from './node-monitor';

export interface NodePage {
  /** For every /admin page: sets res.locals.liquidityWarning. */
  banner: RequestHandler;
  show: RequestHandler;
}

export function createNodePage(deps: { monitor: NodeMonitor | null }): NodePage {
  const { monitor } = deps;
  return {
    banner(_req, res, next) {
      res.locals.liquidityWarning = monitor?.warning() ?? null;
      next();
    },
    async show(_req, res, next) {
      if (!monitor) return next(); // no node page: the site's 404
      const status = await monitor.read();
      res.locals.liquidityWarning = status.warning;
      res.render('admin/node', { title: 'Node', status });
    },
  };
}
