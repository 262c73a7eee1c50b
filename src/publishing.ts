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
import { createDiscoveryRepo, type DiscoveryRepo } from './discovery/discovery-repo';
import { createImagesRepo, type ImagesRepo } from './images/images-repo';
import { createUpvotesService, type UpvotesService } from './payments/upvotes-service';

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
  /** Tags and search (src/discovery/). */
  discovery: DiscoveryRepo;
  /** Uploaded images (src/images/). */
  images: ImagesRepo;
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
}): Publishing {
  return {
    settings: Object.freeze({ ...deps.settings, publicUrl: deps.settings.publicUrl.replace(/\/+$/, '') }),
    moderation: createModerationRepo(deps.knex, deps.articleChanged),
    dashboard: createDashboardRepo(deps.knex),
    discovery: createDiscoveryRepo(deps.knex),
    images: createImagesRepo(deps.knex),
    upvotes: createUpvotesService({
      repo: deps.paymentsRepo,
      node: deps.node,
      events: deps.events,
      logger: deps.logger,
      siteName: deps.siteName,
      invoiceExpirySeconds: deps.invoiceExpirySeconds,
      upvoteMinSat: deps.settings.upvoteMinSat,
    }),
  };
}
