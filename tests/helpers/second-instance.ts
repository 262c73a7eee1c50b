/**
 * One more app instance on a test site's database, as a second worker process has: its own machine
 * API, so its own L402 service (and credential memory) and challenge limiter, sharing only what
 * PostgreSQL and the node share.
 */
import type express from 'express';
import { createApp, type AppDeps } from '../../src/app';
import { createMachineApi, DEFAULT_MACHINE_API_SETTINGS } from '../../src/api';
import type { ChallengeLimits } from '../../src/api/l402/challenge-limiter';
import { createArticlesRepo } from '../../src/articles/articles-repo';
import { createPaymentsRepo } from '../../src/payments/payments-repo';
import { createUsersRepo } from '../../src/accounts/users-repo';
import { TEST_PUBLIC_URL, type TestSite } from './site';

export function secondAppInstance(
  site: TestSite,
  options: { limits: ChallengeLimits; now?: () => Date; trustProxy?: AppDeps['trustProxy'] },
): express.Express {
  const machineApi = createMachineApi({
    knex: site.knex,
    node: site.node,
    payments: site.payments,
    paymentsRepo: createPaymentsRepo(site.knex),
    events: site.events,
    users: createUsersRepo(site.knex),
    articles: createArticlesRepo(site.knex),
    articlePages: site.articleCache,
    logger: site.logger,
    settings: { ...DEFAULT_MACHINE_API_SETTINGS, limits: options.limits, publicUrl: TEST_PUBLIC_URL, siteName: 'Test Reads' },
    notices: site.listener,
    now: options.now,
  });
  return createApp({ ...site.appDeps, machineApi, ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}) });
}
