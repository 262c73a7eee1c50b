/**
 * The composition root: the one function that builds the site from its infrastructure (a
 * database, a Lightning node, a logger) and what config says. server.ts and the test site both
 * call it, so the tests run the wiring production runs; nothing else creates a service, a repo,
 * the payment news or the invoice watcher. No I/O until start().
 */
import pg from 'pg';
import type { Express } from 'express';
import { createApp, type AppDeps } from './app';
import { composePages } from './compose-pages';
import type { SiteInputs } from './compose-inputs';
import { createPgListener, type PgListener } from './db/pg-listener';
import { createUsersRepo } from './accounts/users-repo';
import { createPassport } from './accounts/passport';
import { createSessionStore } from './accounts/session-store';
import { createMemoryAttemptThrottle, createPgAttemptThrottle } from './accounts/attempt-throttle';
import { createBoundedHasher } from './accounts/bounded-hasher';
import { createMarkdownPool } from './articles/markdown-pool';
import { createCappedUpvotes } from './payments/upvote-caps';
import { createArticlesRepo } from './articles/articles-repo';
import { createArticleCache, followArticleChanges, type ArticleCache } from './articles/article-cache';
import { createPaymentsRepo, type PaymentsRepo } from './payments/payments-repo';
import { createWatcherStateRepo } from './payments/watcher-state-repo';
import { createPaymentsService, type PaymentsService } from './payments/payments-service';
import { createUpvotesService } from './payments/upvotes-service';
import { createPaymentEvents, type PaymentEvents } from './payments/payment-events';
import { createPgPaymentEvents } from './payments/pg-payment-events';
import { createInvoiceWatcher, type InvoiceWatcher } from './payments/invoice-watcher';
import { createModerationRepo } from './moderation/moderation-repo';
import { createDashboardRepo } from './moderation/dashboard-repo';
import { createReadiness } from './ops/readiness';
import { createOpsPages } from './ops/ops-routes';
import { siteSettings } from './web/site-settings';
import { createPayoutsService, type PayoutsService } from './payouts/payouts-service';
import { createPayoutWorker, type PayoutWorker } from './payouts/payout-worker';
import { withdrawalWebhooks } from './payouts/withdrawal-webhooks';
import { createNodeMonitor } from './ops/node-monitor';
import { createWebhookDelivery } from './webhooks/start-delivery';
import type { WebhookWorker } from './webhooks/delivery-worker';
import { createInvoicePricing } from './prices/invoice-pricing';
import { createMachineApi, DEFAULT_MACHINE_API_SETTINGS, type MachineApi } from './api';
import { createImagesRepo } from './images/images-repo';
import { createProfileRepo } from './accounts/profile/profile-repo';
import { createScheduledPublisher, type ScheduledPublisher } from './articles/scheduled-publisher';
import { createUnlockedAmong } from './articles/unlocked';

export type { SiteInputs } from './compose-inputs';

export interface Site {
  app: Express;
  /** What `app` was built from: a variant (another trust proxy setting...) is createApp({ ...appDeps, ... }). */
  appDeps: AppDeps;
  payments: PaymentsService;
  paymentsRepo: PaymentsRepo;
  events: PaymentEvents;
  /** null when this process runs no watcher. */
  watcher: InvoiceWatcher | null;
  /** The article page cache, live while `listener` hears the database's change notices. */
  articleCache: ArticleCache;
  listener: PgListener;
  /** null when composed without payouts. */
  payouts: PayoutsService | null;
  payoutWorker: PayoutWorker | null;
  /** null when this process delivers no webhooks. */
  webhookWorker: WebhookWorker | null;
  /** The JSON API with L402 (src/api/). */
  machineApi: MachineApi;
  /** Announces scheduled articles when their time comes (src/articles/scheduled-publisher.ts). */
  scheduledPublisher: ScheduledPublisher;
  /** Starts LISTEN, then the watcher. */
  start(): Promise<void>;
  /** Stops what start() started and closes the session pool, newest first. */
  stop(): Promise<void>;
}

export function composeSite(input: SiteInputs): Site {
  const { knex, node, logger, siteName, invoiceExpirySeconds, limits } = input;
  // Every password hash and check goes through one bounded queue (logins first).
  const hasher = createBoundedHasher(input.hasher, { concurrency: limits.bcryptConcurrency, queue: limits.bcryptQueue });
  // Logins, signups and previews are counted here: in PostgreSQL when several processes share the database.
  const attempts = input.attemptThrottle ?? (input.sharing === 'shared' ? createPgAttemptThrottle(knex) : createMemoryAttemptThrottle());
  // Markdown renders in worker threads (started at first use), never on the event loop.
  const markdown = createMarkdownPool({
    workers: limits.markdownWorkers,
    queue: limits.markdownQueue,
    timeoutMs: limits.markdownTimeoutMs,
  });
  const settings = siteSettings(input.settings);

  // Infrastructure of this process: one LISTEN connection, one session pool (it also serves the
  // Unlocked marks of a signed-in reader's lists, src/articles/unlocked.ts).
  const listener = createPgListener({
    connectionString: input.databaseUrl,
    logger: logger.child({ component: 'listen' }),
    reconnectMs: input.listenerReconnectMs,
  });
  const sessionPool = new pg.Pool({ connectionString: input.databaseUrl, max: input.sessionPoolSize });
  const sessionStore = createSessionStore(sessionPool);
  // An idle client whose server went away emits 'error'; without a listener that ends the process.
  sessionPool.on('error', (err) => logger.warn('session database connection lost', { error: err }));
  const shared =
    input.sharing === 'shared'
      ? createPgPaymentEvents({ connectionString: input.databaseUrl, logger: logger.child({ component: 'payment-events' }), listener })
      : null;
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
  const profiles = createProfileRepo(knex);
  const unlockedAmong = createUnlockedAmong(sessionPool);

  // Services.
  const payments = createPaymentsService({
    repo: paymentsRepo,
    node,
    logger: logger.child({ component: 'payments' }),
    siteName,
    invoiceExpirySeconds,
    events,
    priceFor: createInvoicePricing(input.prices),
  });
  const upvotes = createUpvotesService({
    repo: paymentsRepo,
    node,
    events,
    logger: logger.child({ component: 'publishing' }),
    siteName,
    invoiceExpirySeconds,
    upvoteMinSat: settings.upvoteMinSat,
    upvoteMaxSat: limits.upvoteMaxSat,
    createUpvote: createCappedUpvotes(knex, { perReader: limits.upvoteOpenPerReader, perArticle: limits.upvoteOpenPerArticle }),
  });
  const watcher = input.watcher
    ? createInvoiceWatcher({
        node,
        payments,
        state: createWatcherStateRepo(knex),
        logger: logger.child({ component: 'watcher' }),
        backoff: input.watcher.backoff,
      })
    : null;
  if (watcher && metrics) {
    metrics.readWatcherReconnects(() => watcher.status().reconnects);
    metrics.readUnreadableInvoices(() => watcher.status().unreadable);
  }
  const payoutsIn = input.payouts ?? null;
  const payouts = payoutsIn
    ? createPayoutsService({
        knex,
        node,
        sender: payoutsIn.sender,
        config: payoutsIn.config,
        logger: logger.child({ component: 'payouts' }),
        hooks: payoutsIn.hooks ?? withdrawalWebhooks,
      })
    : null;
  const payoutWorker = payouts
    ? createPayoutWorker({ payouts, logger: logger.child({ component: 'payouts' }), intervalMs: payouts.config.reconcileSeconds * 1000 })
    : null;
  // Every process delivers webhooks: claims are FOR UPDATE SKIP LOCKED, so none is sent twice at once.
  const webhookWorker = input.webhooks
    ? createWebhookDelivery({ knex, logger: logger.child({ component: 'webhooks' }), settings: input.webhooks, listener })
    : null;
  const scheduledPublisher = createScheduledPublisher({
    knex,
    logger: logger.child({ component: 'publishing' }),
    intervalMs: input.scheduledPublishIntervalMs ?? 5_000,
  });
  const monitor = input.nodeOverview
    ? createNodeMonitor({
        overview: input.nodeOverview,
        knex,
        logger: logger.child({ component: 'node-monitor' }),
        lowInboundArticlePrices: input.lowInboundArticlePrices,
        watcherStatus: () => watcher?.status(),
      })
    : null;
  const readiness = createReadiness({
    knex,
    node,
    watcherConnected: watcher ? () => watcher.status().connected : null,
    deadlineMs: input.readinessDeadlineMs,
  });

  const machineApi = createMachineApi({
    knex,
    node,
    payments,
    paymentsRepo,
    events,
    users,
    articles,
    articlePages: articleCache,
    logger: logger.child({ component: 'api' }),
    settings: { ...DEFAULT_MACHINE_API_SETTINGS, ...input.machineApi, publicUrl: settings.publicUrl, siteName },
    notices: listener,
    now: input.machineApi?.now,
  });

  // Pages (src/compose-pages.ts).
  const passport = createPassport(users, hasher);
  const httpLogger = logger.child({ component: 'http' });
  const pages = composePages({
    knex,
    node,
    logger: httpLogger,
    settings,
    siteName,
    limits,
    articleCache,
    articles,
    users,
    payments,
    paymentsRepo,
    upvotes,
    events,
    moderation,
    dashboard,
    images,
    profiles,
    unlockedAmong,
    markdown,
    attempts,
    hasher,
    passwordHasher: input.hasher,
    passport,
    payouts,
    monitor,
    webhookWorker,
    machineApi,
    listener,
    prices: input.prices,
    messageVerifier: input.messageVerifier,
    sessionSecret: input.sessionSecret,
    secureCookies: input.secureCookies,
  });
  const appDeps: AppDeps = {
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
    prices: input.prices,
    machineApi,
    trustProxy: input.trustProxy,
  };
  const app = createApp(appDeps);

  return {
    app,
    appDeps,
    payments,
    paymentsRepo,
    events,
    watcher,
    articleCache,
    listener,
    payouts,
    payoutWorker,
    webhookWorker,
    machineApi,
    scheduledPublisher,
    async start() {
      // After every channel has its handler: LISTEN is sent for the channels known at connect.
      await listener.start();
      watcher?.start();
      webhookWorker?.start();
      scheduledPublisher.start();
      if (payouts && payoutsIn) {
        // The database's credit function reads these: PLATFORM_FEE_PERCENT, UPVOTE_SPLIT.
        await payouts.ledger.writeLedgerSettings(payouts.config);
        if (payoutsIn.worker !== false) payoutWorker?.start();
      }
    },
    async stop() {
      // Payments still on their way are not waited for: they are open rows, tracked at the next start.
      await payoutWorker?.stop();
      payoutsIn?.sender.close();
      await scheduledPublisher.stop();
      await webhookWorker?.stop();
      await watcher?.stop();
      await shared?.stop();
      await listener.stop();
      await markdown.close();
      await sessionStore.close();
      await sessionPool.end();
    },
  };
}
