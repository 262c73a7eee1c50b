/**
 * The composition root: the one function that builds the site from its infrastructure (a
 * database, a Lightning node, a logger) and what config says. server.ts and the test site both
 * call it, so the tests run the wiring production runs; nothing else creates a service, a repo,
 * the payment news or the invoice watcher. No I/O until start().
 */
import pg from 'pg';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { createApp } from './app';
import type { Pages } from './routes';
import type { Logger } from './lib/logger';
import type { LightningNode } from './lightning/types';
import { createPgListener, type PgListener } from './db/pg-listener';
import { createUsersRepo } from './accounts/users-repo';
import { createPassport } from './accounts/passport';
import type { PasswordHasher } from './accounts/passwords';
import { createSessionStore } from './accounts/session-store';
import { createMemoryLoginThrottle, createPgLoginThrottle } from './accounts/login-throttle';
import { createLoginPages } from './accounts/login-pages';
import { createArticlesRepo } from './articles/articles-repo';
import { createArticleCache, followArticleChanges, type ArticleCache } from './articles/article-cache';
import { createArticlePage } from './articles/article-page';
import { createHomePage } from './articles/home-page';
import { createFeeds } from './articles/feeds';
import { createWriterPages } from './articles/writer-pages';
import { createUpvotePages } from './articles/upvote-pages';
import { createPaymentNewsStream } from './articles/payment-news-stream';
import { createPaymentsRepo, createWatcherStateRepo, type PaymentsRepo } from './payments/payments-repo';
import { createPaymentsService, type PaymentsService } from './payments/payments-service';
import { createUpvotesService } from './payments/upvotes-service';
import { createPaymentEvents, type PaymentEvents } from './payments/payment-events';
import { createPgPaymentEvents } from './payments/pg-payment-events';
import { createInvoiceWatcher, type InvoiceWatcher } from './payments/invoice-watcher';
import { createModerationRepo } from './moderation/moderation-repo';
import { createDashboardRepo } from './moderation/dashboard-repo';
import { createFlagPage } from './moderation/flag-page';
import { createModerationPages } from './moderation/moderation-pages';
import { createAdminPages } from './moderation/admin-pages';
import { createReadiness } from './ops/readiness';
import { createOpsPages } from './ops/ops-routes';
import type { Metrics } from './ops/metrics';
import { siteSettings, type SiteSettings } from './web/site-settings';
import { createDiscoveryRepo } from './articles/discovery-repo';
import { createDiscoveryPages } from './articles/discovery-pages';
import { createImagesRepo } from './images/images-repo';
import { createUnlockedAmong } from './articles/unlocked';
import { createImagePages } from './images/image-pages';

export interface SiteInputs {
  knex: Knex;
  /** The same database as `knex`: the session pool and the LISTEN connection open their own. */
  databaseUrl: string;
  node: LightningNode;
  logger: Logger;
  hasher: PasswordHasher;
  sessionSecret: string;
  siteName: string;
  invoiceExpirySeconds: number;
  settings: SiteSettings;
  /** Secure cookies and HSTS (HTTPS only): true in production. */
  secureCookies: boolean;
  /** Compile each view once instead of on every render. */
  viewCache: boolean;
  /** Prometheus metrics; null: /metrics is absent. */
  metrics: Metrics | null;
  metricsAccess: { public: boolean; token: string | null };
  /** Origins (besides the request's own host) allowed to post forms, e.g. PUBLIC_URL's. */
  allowedOrigins: string[];
  /**
   * 'shared': payment news and failed-login counts in PostgreSQL, seen by every process on the
   * database (a cluster); 'process': in this process's memory (one process, tests).
   */
  sharing: 'shared' | 'process';
  /** Run the invoice watcher in this process (start() starts it), with its reconnect backoff. */
  watcher: { backoff?: { initialMs: number; maxMs: number } } | null;
  sessionPoolSize: number;
  /** First reconnect delay of the LISTEN connection, in ms. */
  listenerReconnectMs?: number;
  /** Each readiness check's deadline, in ms. */
  readinessDeadlineMs?: number;
}

export interface Site {
  app: Express;
  payments: PaymentsService;
  paymentsRepo: PaymentsRepo;
  events: PaymentEvents;
  /** null when this process runs no watcher. */
  watcher: InvoiceWatcher | null;
  /** The article page cache, live while `listener` hears the database's change notices. */
  articleCache: ArticleCache;
  listener: PgListener;
  /** Starts LISTEN, then the watcher. */
  start(): Promise<void>;
  /** Stops what start() started and closes the session pool, newest first. */
  stop(): Promise<void>;
}

export function composeSite(input: SiteInputs): Site {
  const { knex, node, logger, siteName, invoiceExpirySeconds } = input;
  const settings = siteSettings(input.settings);

  // Infrastructure of this process: one LISTEN connection, one session pool.
  const listener = createPgListener({ connectionString: input.databaseUrl, logger: logger.child({ component: 'listen' }), reconnectMs: input.listenerReconnectMs });
  const sessionPool = new pg.Pool({ connectionString: input.databaseUrl, max: input.sessionPoolSize });
  const sessionStore = createSessionStore(sessionPool);
  // An idle client whose server went away emits 'error'; without a listener that ends the process.
  sessionPool.on('error', (err) => logger.warn('session database connection lost', { error: err }));
  const shared = input.sharing === 'shared' ? createPgPaymentEvents({ connectionString: input.databaseUrl, logger: logger.child({ component: 'payment-events' }), listener }) : null;
  const news = shared ?? createPaymentEvents();
  const metrics = input.metrics;
  const events: PaymentEvents = metrics
    ? {
        ...news,
        completed(event) {
          metrics.paymentsCompleted.inc();
          news.completed(event);
        },
      }
    : news;

  // Data access.
  const users = createUsersRepo(knex);
  const paymentsRepo = createPaymentsRepo(knex);
  const articleChanged = (id: number) => articleCache.forget(id);
  const articles = createArticlesRepo(knex, articleChanged);
  const articleCache: ArticleCache = createArticleCache({ articles, payments: paymentsRepo, live: () => listener.listening() });
  followArticleChanges(listener, articleCache);
  const moderation = createModerationRepo(knex, articleChanged);
  const dashboard = createDashboardRepo(knex);
  const images = createImagesRepo(knex);
  const unlockedAmong = createUnlockedAmong(knex);

  // Services.
  const payments = createPaymentsService({ repo: paymentsRepo, node, logger: logger.child({ component: 'payments' }), siteName, invoiceExpirySeconds, events });
  const upvotes = createUpvotesService({
    repo: paymentsRepo,
    node,
    events,
    logger: logger.child({ component: 'publishing' }),
    siteName,
    invoiceExpirySeconds,
    upvoteMinSat: settings.upvoteMinSat,
  });
  const watcher = input.watcher
    ? createInvoiceWatcher({ node, payments, state: createWatcherStateRepo(knex), logger: logger.child({ component: 'watcher' }), backoff: input.watcher.backoff })
    : null;
  if (watcher && metrics) metrics.readWatcherReconnects(() => watcher.status().reconnects);
  const readiness = createReadiness({ knex, node, watcherConnected: watcher ? () => watcher.status().connected : null, deadlineMs: input.readinessDeadlineMs });

  // Pages.
  const passport = createPassport(users, input.hasher);
  const httpLogger = logger.child({ component: 'http' });
  const pages: Pages = {
    article: createArticlePage({ articlePages: articleCache, payments, logger: httpLogger, settings, upvoteMinSat: upvotes.minSat }),
    home: createHomePage({ articlePages: articleCache, settings, unlockedAmong }),
    feeds: createFeeds({ articles, settings, siteName }),
    writer: createWriterPages({ articles, users, logger: httpLogger, settings, images, unlockedAmong }),
    upvotes: createUpvotePages({ articles, upvotes, settings }),
    paymentNews: createPaymentNewsStream({ articles, paymentsRepo, events }),
    accounts: createLoginPages({
      users,
      hasher: input.hasher,
      passport,
      logger: httpLogger,
      throttle: input.sharing === 'shared' ? createPgLoginThrottle(knex) : createMemoryLoginThrottle(),
    }),
    flags: createFlagPage({ articles, moderation, logger: httpLogger }),
    moderation: createModerationPages({ articles, moderation, logger: httpLogger }),
    admin: createAdminPages({ moderation, dashboard, logger: httpLogger }),
    discovery: createDiscoveryPages({ discovery: createDiscoveryRepo(knex), settings, siteName, unlockedAmong }),
    images: createImagePages({ images, logger: httpLogger }),
  };
  const app = createApp({
    pages,
    ops: createOpsPages({ readiness, metrics, metricsAccess: input.metricsAccess }),
    passport,
    sessionStore,
    sessionSecret: input.sessionSecret,
    logger: httpLogger,
    metrics,
    siteName,
    secureCookies: input.secureCookies,
    viewCache: input.viewCache,
    allowedOrigins: input.allowedOrigins,
  });

  return {
    app,
    payments,
    paymentsRepo,
    events,
    watcher,
    articleCache,
    listener,
    async start() {
      // After every channel has its handler: LISTEN is sent for the channels known at connect.
      await listener.start();
      watcher?.start();
    },
    async stop() {
      await watcher?.stop();
      await shared?.stop();
      await listener.stop();
      await sessionStore.close();
      await sessionPool.end();
    },
  };
}
