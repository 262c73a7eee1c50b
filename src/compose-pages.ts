/**
 * The site's pages, one entry per feature of the route table (src/routes.ts), built from the
 * services and repos the composition root (src/compose.ts) made. Nothing is created here but pages.
 */
import type { Knex } from 'knex';
import type { Pages } from './routes';
import type { Logger } from './lib/logger';
import type { LightningNode } from './lightning/types';
import type { MessageVerifier } from './lightning/message-verifier';
import type { PgListener } from './db/pg-listener';
import type { PasswordHasher } from './accounts/passwords';
import type { AttemptThrottle } from './accounts/attempt-throttle';
import type { SiteLimits } from './accounts/limits';
import type { createPassport } from './accounts/passport';
import type { createUsersRepo } from './accounts/users-repo';
import type { createProfileRepo } from './accounts/profile/profile-repo';
import { createLoginPages } from './accounts/login-pages';
import { createLightningAccountPages } from './accounts/lightning-account-pages';
import type { ArticleCache } from './articles/article-cache';
import type { createArticlesRepo } from './articles/articles-repo';
import type { createMarkdownPool } from './articles/markdown-pool';
import type { createUnlockedAmong } from './articles/unlocked';
import { createArticlePage } from './articles/article-page';
import { createHomePage } from './articles/home-page';
import { createFeeds } from './articles/feeds';
import { createWriterPages } from './articles/writer-pages';
import { createUpvotePages } from './articles/upvote-pages';
import { createPaymentNewsStream } from './articles/payment-news-stream';
import { createDiscoveryRepo } from './articles/discovery-repo';
import { createDiscoveryPages } from './articles/discovery-pages';
import type { PaymentsRepo } from './payments/payments-repo';
import type { PaymentsService } from './payments/payments-service';
import type { createUpvotesService } from './payments/upvotes-service';
import type { PaymentEvents } from './payments/payment-events';
import type { createModerationRepo } from './moderation/moderation-repo';
import type { createDashboardRepo } from './moderation/dashboard-repo';
import { createFlagPage } from './moderation/flag-page';
import { createModerationPages } from './moderation/moderation-pages';
import { createAdminPages } from './moderation/admin-pages';
import { createUsersDirectory } from './moderation/users-directory';
import { createPaymentRetryPages } from './moderation/payment-retry-pages';
import type { PayoutsService } from './payouts/payouts-service';
import { createPayoutPages } from './payouts/payout-pages';
import type { createNodeMonitor } from './ops/node-monitor';
import { createNodePage } from './ops/node-page';
import { createWebhookPages } from './webhooks/webhook-pages';
import { createWebhookEndpointsRepo } from './webhooks/endpoints-repo';
import type { WebhookWorker } from './webhooks/delivery-worker';
import type { PriceFeed } from './prices/price-feed';
import type { MachineApi } from './api';
import type { createImagesRepo } from './images/images-repo';
import { createImagePages } from './images/image-pages';
import type { SiteSettings } from './web/site-settings';

export interface PageParts {
  knex: Knex;
  node: LightningNode;
  /** The http component's logger. */
  logger: Logger;
  settings: SiteSettings;
  siteName: string;
  limits: SiteLimits;
  articleCache: ArticleCache;
  articles: ReturnType<typeof createArticlesRepo>;
  users: ReturnType<typeof createUsersRepo>;
  payments: PaymentsService;
  paymentsRepo: PaymentsRepo;
  upvotes: ReturnType<typeof createUpvotesService>;
  events: PaymentEvents;
  moderation: ReturnType<typeof createModerationRepo>;
  dashboard: ReturnType<typeof createDashboardRepo>;
  images: ReturnType<typeof createImagesRepo>;
  profiles: ReturnType<typeof createProfileRepo>;
  unlockedAmong: ReturnType<typeof createUnlockedAmong>;
  markdown: ReturnType<typeof createMarkdownPool>;
  attempts: AttemptThrottle;
  /** The bounded queue every password hash goes through. */
  hasher: PasswordHasher;
  /** The hasher itself (the Lightning accounts' own use). */
  passwordHasher: PasswordHasher;
  passport: ReturnType<typeof createPassport>;
  payouts: PayoutsService | null;
  monitor: ReturnType<typeof createNodeMonitor> | null;
  webhookWorker: WebhookWorker | null;
  machineApi: MachineApi;
  listener: PgListener;
  prices: PriceFeed | null;
  messageVerifier: MessageVerifier;
  sessionSecret: string;
  secureCookies: boolean;
}

export function composePages(p: PageParts): Pages {
  const { knex, node, logger: httpLogger, settings, siteName, limits, articleCache, articles, users, payments, paymentsRepo } = p;
  const { upvotes, events, moderation, dashboard, images, profiles, unlockedAmong, markdown, attempts, hasher, passwordHasher } = p;
  const { passport, payouts, monitor, webhookWorker, machineApi, listener, prices, messageVerifier, sessionSecret, secureCookies } = p;
  return {
    article: createArticlePage({
      articlePages: articleCache,
      payments,
      logger: httpLogger,
      settings,
      upvotes,
      freshArticle: articles.findById,
    }),
    home: createHomePage({ articlePages: articleCache, settings, unlockedAmong }),
    feeds: createFeeds({ articles, settings, siteName }),
    writer: createWriterPages({
      articles,
      users,
      logger: httpLogger,
      settings,
      markdown,
      throttle: attempts,
      limits,
      prices: prices,
      images,
      unlockedAmong,
      profiles,
    }),
    upvotes: createUpvotePages({ articles, upvotes }),
    paymentNews: createPaymentNewsStream({ articles, paymentsRepo, events, limits }),
    accounts: createLoginPages({
      users,
      hasher,
      passport,
      logger: httpLogger,
      throttle: attempts,
      limits,
      sessionSecret: sessionSecret,
      secureCookies: secureCookies,
    }),
    flags: createFlagPage({ articles, moderation, logger: httpLogger }),
    moderation: createModerationPages({ articles, moderation, logger: httpLogger }),
    admin: createAdminPages({ moderation, dashboard, logger: httpLogger, users: createUsersDirectory(knex) }),
    paymentRetry: createPaymentRetryPages({ payments, paymentsRepo, logger: httpLogger }),
    payouts: payouts ? createPayoutPages({ payouts, logger: httpLogger }) : null,
    node: createNodePage({ monitor }),
    webhooks: createWebhookPages({ webhooks: createWebhookEndpointsRepo(knex), logger: httpLogger, wake: () => webhookWorker?.wake() }),
    tokens: machineApi.tokens,
    lightning: createLightningAccountPages({
      knex,
      verifier: messageVerifier,
      node,
      hasher: passwordHasher,
      logger: httpLogger,
      throttle: attempts,
      limits,
      publicUrl: settings.publicUrl,
      listener,
      profiles,
    }),
    discovery: createDiscoveryPages({ discovery: createDiscoveryRepo(knex), settings, siteName, unlockedAmong }),
    images: createImagePages({ images, logger: httpLogger }),
  };
}
