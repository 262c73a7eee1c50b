/**
 * The publishing features (writers, moderation, dashboard, upvotes, feeds) built from what the
 * wiring place already has, so server.ts and the test site add them with one call. No I/O here.
 */
import type { Knex } from 'knex';
import type { PaymentsRepo } from './db/payments-repo';
import type { Logger } from './logger';
import type { LightningNode } from './lightning/types';
import type { PaymentEvents } from './payments/payment-events';
import { createModerationRepo, type ModerationRepo } from './admin/moderation-repo';
import { createDashboardRepo, type DashboardRepo } from './admin/dashboard-repo';
import { createUpvotesService, type UpvotesService } from './payments/upvotes-service';
import { createCappedUpvotes } from './payments/upvote-caps';
import { DEFAULT_LIMITS, type SiteLimits } from './accounts/limits';

export interface PublishingSettings {
  /** Absolute URL of the site, without a trailing slash: feeds, sitemap, canonical and Open Graph URLs. */
  publicUrl: string;
  articleMinPriceSat: number;
  articleMaxPriceSat: number;
  upvoteMinSat: number;
}

export interface Publishing {
  settings: PublishingSettings;
  moderation: ModerationRepo;
  dashboard: DashboardRepo;
  upvotes: UpvotesService;
}

export function createPublishing(deps: {
  knex: Knex;
  paymentsRepo: PaymentsRepo;
  node: LightningNode;
  events: PaymentEvents;
  logger: Logger;
  siteName: string;
  invoiceExpirySeconds: number;
  settings: PublishingSettings;
  /** Hears every article moderation changes (the article page cache forgets it). */
  articleChanged?: (id: number) => void;
  limits?: SiteLimits;
}): Publishing {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  return {
    settings: Object.freeze({ ...deps.settings, publicUrl: deps.settings.publicUrl.replace(/\/+$/, '') }),
    moderation: createModerationRepo(deps.knex, deps.articleChanged),
    dashboard: createDashboardRepo(deps.knex),
    upvotes: createUpvotesService({
      repo: deps.paymentsRepo,
      node: deps.node,
      events: deps.events,
      logger: deps.logger,
      siteName: deps.siteName,
      invoiceExpirySeconds: deps.invoiceExpirySeconds,
      upvoteMinSat: deps.settings.upvoteMinSat,
      upvoteMaxSat: limits.upvoteMaxSat,
      createUpvote: createCappedUpvotes(deps.knex, { perReader: limits.upvoteOpenPerReader, perArticle: limits.upvoteOpenPerArticle }),
    }),
  };
}
