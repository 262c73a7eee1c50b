/**
 * What the composition root (src/compose.ts) is given: the infrastructure server.ts or the test
 * site opened, and the settings config.ts read.
 */
import type { Knex } from 'knex';
import type { Logger } from './lib/logger';
import type { LightningNode } from './lightning/types';
import type { PasswordHasher } from './accounts/passwords';
import type { AttemptThrottle } from './accounts/attempt-throttle';
import type { SiteLimits } from './accounts/limits';
import type { MessageVerifier } from './lightning/message-verifier';
import type { Metrics } from './ops/metrics';
import type { SiteSettings } from './web/site-settings';
import type { PaymentSender } from './lightning/lnd-router-client';
import type { PayoutConfig } from './payouts/payout-config';
import type { WithdrawalHooks } from './payouts/withdrawals-repo';
import type { NodeOverviewClient } from './lightning/node-overview-client';
import type { WebhookSettings } from './webhooks/start-delivery';
import type { PriceFeed } from './prices/price-feed';
import type { MachineApiSettings } from './api';

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
  /**
   * Balances and withdrawals: the payout settings and the node's Router client (SendPaymentV2).
   * start() writes the ledger settings and, unless `worker` is false, starts the payout worker.
   * null/absent: no payout pages and no worker.
   */
  payouts?: { config: PayoutConfig; sender: PaymentSender; hooks?: WithdrawalHooks; worker?: boolean } | null;
  /** Deliver webhooks from this process (start() starts the worker); null: none here (tests drive their own). */
  webhooks: WebhookSettings | null;
  /** The node's channels and permissions for /admin/node; null: no node page, no banner. */
  nodeOverview: NodeOverviewClient | null;
  /** Admin pages warn when inbound is below this many times the dearest article's price. */
  lowInboundArticlePrices: number;
  /** The fiat rate (FIAT_CURRENCY); null: sats only. */
  prices: PriceFeed | null;
  /** The L402 API: credential lifetime, challenge invoices and limits (defaults in src/api/index.ts), and a clock for tests. */
  machineApi?: Partial<Omit<MachineApiSettings, 'publicUrl' | 'siteName'>> & { now?: () => Date };
  /** What is limited against hostile use, and by how much (src/accounts/limits.ts). */
  limits: SiteLimits;
  /** Express's `trust proxy` (TRUST_PROXY): who the client is. */
  trustProxy: boolean | number | string[];
  /** Attempt counts of the caller's (a test's clock); otherwise chosen by `sharing`. */
  attemptThrottle?: AttemptThrottle;
  /** The site's node answering VerifyMessage (signed-message login and linking). */
  messageVerifier: MessageVerifier;
  /** How often the publish worker looks for scheduled articles whose time has come (5 s by default). */
  scheduledPublishIntervalMs?: number;
}
