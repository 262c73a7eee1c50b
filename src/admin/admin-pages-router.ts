/**
 * /admin/dashboard (totals, per-article numbers, sats per day as a server-rendered SVG chart),
 * /admin/audit (the moderation log) and /admin/users (give or take the admin role). Admins only.
 */
import { Router } from 'express';
import { requireAdmin } from '../auth/guards';
import type { Logger } from '../logger';
import type { User } from '../db/users-repo';
import type { Publishing } from '../publishing';
import { renderSatsChart } from './sats-chart';
import { moderationReason } from './admin-router';
import { setFlash, takeFlash } from '../http/flash';

const ROLE_NOTICES = {
  changed: (name: string, role: string) => (role === 'admin' ? `${name} is now an admin.` : `${name} is no longer an admin.`),
  unchanged: (name: string, role: string) => `${name} already ${role === 'admin' ? 'is' : 'is not'} an admin.`,
  'last-admin': (name: string) => `${name} is the last admin: give someone else the admin role first.`,
  'not-found': (name: string) => `There is no user called “${name}”.`,
} as const;

export function createAdminPagesRouter(deps: { logger: Logger; publishing: Publishing }): Router {
  const router = Router();
  const { dashboard, moderation } = deps.publishing;
  router.use('/admin', requireAdmin);

  router.get('/admin/dashboard', async (_req, res) => {
    const [totals, articles, days] = await Promise.all([dashboard.totals(), dashboard.topArticles(100), dashboard.satsPerDay(30)]);
    res.render('admin/dashboard', { title: 'Dashboard', totals, articles, days, chartSvg: renderSatsChart(days) });
  });

  router.get('/admin/audit', async (_req, res) => {
    res.render('admin/audit', { title: 'Audit log', entries: await moderation.auditLog(200) });
  });

  router.get('/admin/users', async (req, res) => {
    const notice = takeFlash(req);
    res.render('admin/users', { title: 'Admins', admins: await moderation.listAdmins(), notice });
  });

  router.post('/admin/users/role', async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim().slice(0, 64) : '';
    const role = body.role === 'admin' ? 'admin' : 'reader';
    const actor = req.user as User;
    const result = username ? await moderation.setRole(actor.id, username, role, moderationReason(req.body, role === 'admin' ? 'Admin role given' : 'Admin role taken')) : 'not-found';
    if (result === 'changed') deps.logger.info('role changed', { adminId: actor.id, username, role });
    setFlash(req, ROLE_NOTICES[result](username, role));
    res.redirect('/admin/users');
  });

  return router;
}
