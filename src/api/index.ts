/**
 * The machine-facing API built from the site's parts (src/site-parts.ts): the /api router and its
 * error handler, /llms.txt, and the /me/tokens pages. No I/O here.
 */
import type { ErrorRequestHandler, Router } from 'express';
import type { Knex } from 'knex';
import type { ArticlePageReads } from '../articles/article-cache';
import type { ArticlesRepo } from '../db/articles-repo';
import type { PaymentsRepo } from '../db/payments-repo';
import type { UsersRepo } from '../db/users-repo';
import type { LightningNode } from '../lightning/types';
import type { Logger } from '../logger';
import type { PaymentEvents } from '../payments/payment-events';
import type { PaymentsService } from '../payments/payments-service';
import { createApiReadsRepo } from './api-reads-repo';
import { createApiRouter } from './api-router';
import { createContentRoute } from './content-route';
import { createLlmsTxtRoute } from './llms-txt';
import { createPublicRoutes } from './public-routes';
import { createChallengeLimiter, type ChallengeLimits } from './l402/challenge-limiter';
import { createL402Service } from './l402/l402-service';
import { createL402TokensRepo } from './l402/tokens-repo';
import { createApiTokensRepo } from './personal-tokens/api-tokens-repo';
import { createTokensPages } from './personal-tokens/tokens-pages';

export interface MachineApiSettings {
  publicUrl: string;
  siteName: string;
  /** L402_CREDENTIAL_TTL_SECONDS: how long one credential reads its article (30 days by default). */
  credentialTtlSeconds: number;
  /** L402_INVOICE_EXPIRY_SECONDS: expiry of a challenge's invoice (10 minutes by default). */
  invoiceExpirySeconds: number;
  /** L402_CHALLENGES_PER_CLIENT / L402_CHALLENGES_TOTAL per L402_CHALLENGE_WINDOW_SECONDS. */
  limits: ChallengeLimits;
}

export const DEFAULT_MACHINE_API_SETTINGS = {
  credentialTtlSeconds: 30 * 24 * 3600,
  invoiceExpirySeconds: 600,
  limits: { perClient: 30, total: 600, windowSeconds: 60 },
} as const;

export interface MachineApi {
  router: Router;
  errorHandler: ErrorRequestHandler;
  /** /me/tokens, behind the session (mounted with the site's pages). */
  pages: Router;
}

export interface MachineApiDeps {
  knex: Knex;
  node: LightningNode;
  payments: PaymentsService;
  paymentsRepo: PaymentsRepo;
  events: PaymentEvents;
  users: UsersRepo;
  articles: ArticlesRepo;
  articlePages: ArticlePageReads;
  logger: Logger;
  settings: MachineApiSettings;
  now?: () => Date;
}

export function createMachineApi(deps: MachineApiDeps): MachineApi {
  const { settings, logger } = deps;
  const publicUrl = settings.publicUrl.replace(/\/+$/, '');
  const apiTokens = createApiTokensRepo(deps.knex);
  const l402 = createL402Service({
    knex: deps.knex,
    tokens: createL402TokensRepo(deps.knex),
    node: deps.node,
    payments: deps.payments,
    events: deps.events,
    logger,
    settings: { siteName: settings.siteName, credentialTtlSeconds: settings.credentialTtlSeconds, invoiceExpirySeconds: settings.invoiceExpirySeconds },
    now: deps.now,
  });
  const { router, errorHandler } = createApiRouter({
    publicUrl,
    siteName: settings.siteName,
    logger,
    routes: [
      createContentRoute({
        articlePages: deps.articlePages,
        users: deps.users,
        paymentsRepo: deps.paymentsRepo,
        apiTokens,
        l402,
        limiter: createChallengeLimiter(settings.limits, deps.now),
        logger,
        publicUrl,
      }),
      createPublicRoutes({ articlePages: deps.articlePages, articles: deps.articles, reads: createApiReadsRepo(deps.knex), publicUrl }),
      createLlmsTxtRoute({ articlePages: deps.articlePages, publicUrl, siteName: settings.siteName, credentialDays: Math.round(settings.credentialTtlSeconds / 86400) }),
    ],
  });
  return { router, errorHandler, pages: createTokensPages({ apiTokens, logger }) };
}
