/**
 * The machine-facing API's handlers, built by the composition root (src/compose.ts): the JSON API
 * with L402, /llms.txt and the /me/tokens pages. The route table (src/routes.ts) says which URL goes
 * where. No I/O here.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Knex } from 'knex';
import type { ArticlePageReads } from '../articles/article-cache';
import type { ArticlesRepo } from '../articles/articles-repo';
import type { PaymentsRepo } from '../payments/payments-repo';
import type { UsersRepo } from '../accounts/users-repo';
import type { LightningNode } from '../lightning/types';
import type { Logger } from '../lib/logger';
import type { PgListener } from '../db/pg-listener';
import type { PaymentEvents } from '../payments/payment-events';
import type { PaymentsService } from '../payments/payments-service';
import { createApiReadsRepo } from './api-reads-repo';
import { createApiBasics } from './api-router';
import { createContentEndpoint } from './content-route';
import { createLlmsTxt } from './llms-txt';
import { createPublicReads, type PublicReads } from './public-routes';
import { createChallengeLimiter, type ChallengeLimits } from './l402/challenge-limiter';
import { createL402Service } from './l402/l402-service';
import { createL402TokensRepo } from './l402/tokens-repo';
import { createApiTokensRepo } from './personal-tokens/api-tokens-repo';
import { createTokenPages, type TokenPages } from './personal-tokens/tokens-pages';

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

export interface ApiPages extends PublicReads {
  cors: RequestHandler;
  index: RequestHandler;
  openapi: RequestHandler;
  /** The paid article over L402 or a personal API token. */
  content: RequestHandler;
  llmsTxt: RequestHandler;
  methodNotAllowed: RequestHandler;
  notFound: RequestHandler;
}

export interface MachineApi {
  api: ApiPages;
  /** Problem JSON for every error under /api and /llms.txt (createApiRoutes in src/routes.ts hands errors to it). */
  errorHandler: ErrorRequestHandler;
  /** /me/tokens, behind the session. */
  tokens: TokenPages;
  /** Housekeeping of challenges nobody paid (also run every 100th challenge). */
  pruneUnpaid(limit?: number): Promise<number>;
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
  /** The database's change notices: revoked L402 credentials are forgotten when announced. */
  notices: Pick<PgListener, 'on' | 'onState' | 'listening'>;
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
    settings: {
      siteName: settings.siteName,
      credentialTtlSeconds: settings.credentialTtlSeconds,
      invoiceExpirySeconds: settings.invoiceExpirySeconds,
    },
    notices: deps.notices,
    now: deps.now,
  });
  const { errorHandler, ...basics } = createApiBasics({ publicUrl, siteName: settings.siteName, logger });
  return {
    api: {
      ...basics,
      ...createPublicReads({ articlePages: deps.articlePages, articles: deps.articles, reads: createApiReadsRepo(deps.knex), publicUrl }),
      content: createContentEndpoint({
        articlePages: deps.articlePages,
        users: deps.users,
        paymentsRepo: deps.paymentsRepo,
        apiTokens,
        l402,
        limiter: createChallengeLimiter(deps.knex, settings.limits, deps.now),
        logger,
        publicUrl,
      }),
      llmsTxt: createLlmsTxt({
        articlePages: deps.articlePages,
        publicUrl,
        siteName: settings.siteName,
        credentialDays: Math.round(settings.credentialTtlSeconds / 86400),
      }),
    },
    errorHandler,
    tokens: createTokenPages({ apiTokens, logger }),
    pruneUnpaid: (limit) => l402.pruneUnpaid(limit),
  };
}
