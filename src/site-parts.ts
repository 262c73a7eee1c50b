/**
 * The site's services built from its infrastructure (database, node, payment news, session store).
 * server.ts and the integration tests both compose the site here, so the tests run the wiring that
 * production runs; each adds only what is its own (metrics, readiness, throttling, the watcher).
 */
import type { Knex } from 'knex';
import type { Store } from 'express-session';
import type { AppDeps } from './app';
import type { PasswordHasher } from './auth/passwords';
import { createPassport } from './auth/passport';
import { createArticlesRepo } from './db/articles-repo';
import { createPaymentsRepo, type PaymentsRepo } from './db/payments-repo';
import { createUsersRepo } from './db/users-repo';
import type { LightningNode } from './lightning/types';
import type { Logger } from './logger';
import type { PaymentEvents } from './payments/payment-events';
import { createPaymentsService, type PaymentsService } from './payments/payments-service';
import { createPublishing, type PublishingSettings } from './publishing';

export interface SitePartsDeps {
  knex: Knex;
  node: LightningNode;
  events: PaymentEvents;
  logger: Logger;
  hasher: PasswordHasher;
  sessionStore: Store;
  sessionSecret: string;
  siteName: string;
  invoiceExpirySeconds: number;
  settings: PublishingSettings;
  secureCookies: boolean;
}

export interface SiteParts {
  payments: PaymentsService;
  paymentsRepo: PaymentsRepo;
  /** Everything createApp needs but the optional extras. */
  appDeps: AppDeps;
}

export function createSiteParts(deps: SitePartsDeps): SiteParts {
  const { knex, node, events, logger, hasher, siteName, invoiceExpirySeconds } = deps;
  const users = createUsersRepo(knex);
  const paymentsRepo = createPaymentsRepo(knex);
  const payments = createPaymentsService({ repo: paymentsRepo, node, logger: logger.child({ component: 'payments' }), siteName, invoiceExpirySeconds, events });
  const publishing = createPublishing({
    knex,
    paymentsRepo,
    node,
    events,
    logger: logger.child({ component: 'publishing' }),
    siteName,
    invoiceExpirySeconds,
    settings: deps.settings,
  });
  return {
    payments,
    paymentsRepo,
    appDeps: {
      users,
      publishing,
      articles: createArticlesRepo(knex),
      payments,
      paymentsRepo,
      events,
      passport: createPassport(users, hasher),
      hasher,
      sessionStore: deps.sessionStore,
      sessionSecret: deps.sessionSecret,
      logger: logger.child({ component: 'http' }),
      siteName,
      secureCookies: deps.secureCookies,
    },
  };
}
