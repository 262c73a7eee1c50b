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
import type { PgListener } from './db/pg-listener';
import { createArticleCache, followArticleChanges, type ArticleCache } from './articles/article-cache';
import { createAccounts } from './accounts/compose';
import type { MessageVerifier } from './lightning/message-verifier';

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
  /**
   * The process's LISTEN connection. With it, article pages are served from memory while it hears
   * the database's change notices (src/articles/article-cache.ts); without it, from the database.
   */
  listener?: PgListener;
  /** The site's node answering VerifyMessage: with it, Lightning logins and the account page are on. */
  messageVerifier?: MessageVerifier;
}

export interface SiteParts {
  payments: PaymentsService;
  paymentsRepo: PaymentsRepo;
  articleCache: ArticleCache | null;
  /** Everything createApp needs but the optional extras. */
  appDeps: AppDeps;
}

export function createSiteParts(deps: SitePartsDeps): SiteParts {
  const { knex, node, events, logger, hasher, siteName, invoiceExpirySeconds } = deps;
  const users = createUsersRepo(knex);
  const paymentsRepo = createPaymentsRepo(knex);
  let articleCache: ArticleCache | null = null;
  const articleChanged = (id: number) => articleCache?.forget(id);
  const articles = createArticlesRepo(knex, articleChanged);
  if (deps.listener) {
    const listener = deps.listener;
    articleCache = createArticleCache({ articles, payments: paymentsRepo, live: () => listener.listening() });
    followArticleChanges(listener, articleCache);
  }
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
    articleChanged,
  });
  return {
    payments,
    paymentsRepo,
    articleCache,
    appDeps: {
      users,
      publishing,
      articles,
      articlePages: articleCache ?? articles,
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
      accounts: deps.messageVerifier
        ? createAccounts({ knex, verifier: deps.messageVerifier, node, hasher, logger, publicUrl: deps.settings.publicUrl, listener: deps.listener })
        : undefined,
    },
  };
}
