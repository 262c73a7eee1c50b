/**
 * /admin/dashboard (totals, per-article numbers, sats per day as a server-rendered SVG chart),
 * /admin/audit (the moderation log) and /admin/users (every user, searched and paged; give or take
 * the admin role). Admins only.
 */
import type { RequestHandler } from 'express';
import { setFlash, takeFlash } from '../web/flash';
import type { Logger } from '../lib/logger';
import type { User } from '../accounts/users-repo';
import type { ModerationRepo } from './moderation-repo';
import type { DashboardRepo } from './dashboard-repo';
import { renderSatsChart } from './sats-chart';
import { moderationReason } from './moderation-pages';
import type { UsersDirectory } from './users-directory';

const USERS_PER_PAGE = 50;

/** The users page's search (at most 64 characters) and page (0-based, at most 100,000) from a query or a form. */
function usersListing(source: unknown): { query: string; page: number } {
  const s = (source ?? {}) as Record<string, unknown>;
  const query = typeof s.q === 'string' ? s.q.trim().slice(0, 64) : '';
  const page = typeof s.page === 'string' && /^\d{1,6}$/.test(s.page) ? Math.min(Number(s.page), 100_000) : 1;
  return { query, page: Math.max(1, page) };
}

/** The users page's address for a search and a page (1-based). */
export function usersHref(query: string, page: number): string {
  const params = new URLSearchParams();
  if (query) params.set('q', query);
  if (page > 1) params.set('page', String(page));
  const qs = params.toString();
  return qs ? `/admin/users?${qs}` : '/admin/users';
}

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
export function createAdminPages(deps: {
  logger: Logger;
  moderation: ModerationRepo;
  dashboard: DashboardRepo;
  users: UsersDirectory;
}): AdminPages {
  const { dashboard, moderation } = deps;

  const dashboardPage: RequestHandler = async (_req, res) => {
    const [totals, articles, days] = await Promise.all([dashboard.totals(), dashboard.topArticles(100), dashboard.satsPerDay(30)]);
    res.render('admin/dashboard', {
      title: 'Dashboard',
      totals,
      articles,
      days,
      chartSvg: renderSatsChart(days) + renderSatsChart(days, { narrow: true, id: 'sats-chart-narrow' }),
    });
  };

  const audit: RequestHandler = async (_req, res) => {
    res.render('admin/audit', { title: 'Audit log', entries: await moderation.auditLog(200) });
  };

  const users: RequestHandler = async (req, res) => {
    const notice = takeFlash(req);
    const { query, page } = usersListing(req.query);
    const found = await deps.users.search({ query, page: page - 1, pageSize: USERS_PER_PAGE });
    const pages = Math.max(1, Math.ceil(found.total / USERS_PER_PAGE));
    res.render('admin/users', {
      title: 'Users',
      users: found.users,
      total: found.total,
      query,
      page,
      first: found.total === 0 ? 0 : (page - 1) * USERS_PER_PAGE + 1,
      last: (page - 1) * USERS_PER_PAGE + found.users.length,
      newerHref: page > 1 ? usersHref(query, Math.min(page - 1, pages)) : null,
      olderHref: page < pages ? usersHref(query, page + 1) : null,
      notice,
    });
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
    // Back to the listing the admin acted from (its search and page ride along in the form).
    const back = usersListing(req.body);
    res.redirect(usersHref(back.query, back.page));
  };

  return { dashboard: dashboardPage, audit, users, setRole };
}
