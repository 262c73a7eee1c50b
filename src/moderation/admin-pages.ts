/**
 * /admin/dashboard (totals, per-article numbers, sats per day as a server-rendered SVG chart),
 * /admin/audit (the moderation log) and /admin/users (give or take the admin role). Admins only.
 */
import type { RequestHandler } from 'express';
import { setFlash, takeFlash } from '../web/flash';
import type { Logger } from '../lib/logger';
import type { User } from '../accounts/users-repo';
import type { ModerationRepo } from './moderation-repo';
import type { DashboardRepo } from './dashboard-repo';
import { renderSatsChart } from './sats-chart';
import { moderationReason } from './moderation-pages';

const ROLE_NOTICES = {
  changed: (name: string, role: string) => (role === 'admin' ? `${name} is now an admin.` : `${name} is no longer an admin.`),
  unchanged: (name: string, role: string) => `${name} already ${role === 'admin' ? 'is' : 'is not'} an admin.`,
  'last-admin': (name: string) => `${name} is the last admin: give someone else the admin role first.`,
  'not-found': (name: string) => `There is no user called “${name}”.`,
} as const;

export interface AdminPages {
  dashboard: RequestHandler;
  audit: RequestHandler;
  users: RequestHandler;
  setRole: RequestHandler;
}

/** The route table mounts these under /admin behind requireAdmin. */
export function createAdminPages(deps: { logger: Logger; moderation: ModerationRepo; dashboard: DashboardRepo }): AdminPages {
  const { dashboard, moderation } = deps;

  const dashboardPage: RequestHandler = async (_req, res) => {
    const [totals, articles, days] = await Promise.all([dashboard.totals(), dashboard.topArticles(100), dashboard.satsPerDay(30)]);
    res.render('admin/dashboard', { title: 'Dashboard', totals, articles, days, chartSvg: renderSatsChart(days) });
  };

  const audit: RequestHandler = async (_req, res) => {
    res.render('admin/audit', { title: 'Audit log', entries: await moderation.auditLog(200) });
  };

  const users: RequestHandler = async (req, res) => {
    const notice = takeFlash(req);
    res.render('admin/users', { title: 'Admins', admins: await moderation.listAdmins(), notice });
  };

  const setRole: RequestHandler = async (req, res) => {
    const body = req.body as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.trim().slice(0, 64) : '';
    const role = body.role === 'admin' ? 'admin' : 'reader';
    const actor = req.user as User;
    const result = username
      ? await moderation.setRole(
          actor.id,
          username,
          role,
          moderationReason(req.body, role === 'admin' ? 'Admin role given' : 'Admin role taken'),
        )
      : 'not-found';
    if (result === 'changed') deps.logger.info('role changed', { adminId: actor.id, username, role });
    setFlash(req, ROLE_NOTICES[result](username, role));
    res.redirect('/admin/users');
  };

  return { dashboard: dashboardPage, audit, users, setRole };
}
