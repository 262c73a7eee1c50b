/**
 * A whole site for integration tests: a real database (tests/helpers/db.ts), the devnet over real
 * gRPC with TLS and macaroons, our LND client, and the app from createApp(deps). Nothing is mocked.
 */
import request from 'supertest';
import type { Knex } from 'knex';
import type { Express } from 'express';
import { composeSite, type Site, type SiteInputs } from '../../src/compose';
import { createPasswordHasher, type PasswordHasher } from '../../src/accounts/passwords';
import { DEFAULT_LIMITS, type SiteLimits } from '../../src/accounts/limits';
import type { AppDeps } from '../../src/app';
import type { PaymentsService } from '../../src/payments/payments-service';
import type { PaymentEvents } from '../../src/payments/payment-events';
import type { InvoiceWatcher } from '../../src/payments/invoice-watcher';
import { createLndClient } from '../../src/lightning/lnd-grpc-client';
import { createLndMessageVerifier } from '../../src/lightning/message-verifier';
import type { AttemptThrottle } from '../../src/accounts/attempt-throttle';
import { loadNodeConfig } from '../../src/lightning/load-node-config';
import type { LightningNode } from '../../src/lightning/types';
import type { Metrics } from '../../src/ops/metrics';
import { createLogger, type Logger } from '../../src/lib/logger';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevnet, type Devnet, type DevnetNodeInfo, type DevnetOptions } from '../../src/devnet';
import type { NodeControl } from '../../src/devnet/lnd-behaviours';
import { createTestDatabase, type TestDatabase } from './db';
import { clientFor, type TestClient } from './devnet';
import { eventually } from './http';
import type { PgListener } from '../../src/db/pg-listener';
import type { ArticleCache } from '../../src/articles/article-cache';
import { createLndRouterClient } from '../../src/lightning/lnd-router-client';
import type { PayoutConfig } from '../../src/payouts/payout-config';
import type { PayoutsService } from '../../src/payouts/payouts-service';
import type { PayoutWorker } from '../../src/payouts/payout-worker';
import { connectNodeOverview } from '../../src/lightning/connect-node-overview';
import type { NodeOverviewClient } from '../../src/lightning/node-overview-client';
import type { PriceFeed } from '../../src/prices/price-feed';

/** The public URL the test site builds absolute links (feed, sitemap, canonical) from. */
export const TEST_PUBLIC_URL = 'http://reads.test';

export interface TestSite {
  app: Express;
  /** What the app was built from: a test builds a variant with createApp({ ...site.appDeps, ... }). */
  appDeps: AppDeps;
  knex: Knex;
  db: TestDatabase;
  devnet: SiteDevnet;
  node: LightningNode;
  payments: PaymentsService;
  events: PaymentEvents;
  /** The article page cache (live while `listener` is up). */
  articleCache: ArticleCache;
  /** The JSON API with L402 (src/api/). */
  machineApi: Site['machineApi'];
  /** The site's invoice watcher, running when the site was started with `watcher`; null otherwise. */
  watcher: InvoiceWatcher | null;
  listener: PgListener;
  /** With `payouts`: the service and its worker (not ticking by itself). */
  payouts: PayoutsService | null;
  payoutWorker: PayoutWorker | null;
  /** The publish worker of scheduled articles (its timer runs too; tests call runOnce()). */
  scheduledPublisher: Site['scheduledPublisher'];
  logs: string[];
  /** The logger whose lines land in `logs`. */
  logger: Logger;
  close(): Promise<void>;
}

/** The site's devnet, which a test can stop and start again (same dir and ports, state kept). */
export interface SiteDevnet {
  dir: string;
  nodes: Record<'site' | 'alice' | 'bob', DevnetNodeInfo>;
  running(): boolean;
  /** The running devnet (null while stopped): Lightning Addresses, holding payments in flight. */
  current(): Devnet | null;
  stopNodes(): Promise<void>;
  /** Starts the nodes again; `behaviours` for this start (e.g. `{ site: { resetInvoices: true } }`), the first start's otherwise. */
  startNodes(behaviours?: DevnetOptions['behaviours']): Promise<void>;
  /** Changes a running node's LND behaviour (lock it, unlock it...). */
  control(name: 'site' | 'alice' | 'bob'): NodeControl;
}

async function startSiteDevnet(
  behaviours?: DevnetOptions['behaviours'],
  routingFee?: DevnetOptions['routingFee'],
): Promise<SiteDevnet & { destroy(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-devnet-'));
  let devnet: Devnet | null = await startDevnet({ dir, ports: { site: 0, alice: 0, bob: 0 }, behaviours, routingFee });
  const nodes = devnet.nodes;
  const ports = Object.fromEntries(Object.entries(nodes).map(([k, n]) => [k, Number(n.grpcHost.split(':')[1])]));
  const lnurlPort = devnet.lnurlPort;
  return {
    dir,
    nodes,
    running: () => devnet !== null,
    current: () => devnet,
    async stopNodes() {
      await devnet?.stop();
      devnet = null;
    },
    async startNodes(again) {
      if (!devnet) devnet = await startDevnet({ dir, ports, lnurlPort, behaviours: again ?? behaviours, routingFee });
    },
    control(name) {
      if (!devnet) throw new Error('the devnet is stopped');
      return devnet.control[name];
    },
    async destroy() {
      await devnet?.stop();
      devnet = null;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const siteConnection = (devnet: { nodes: Record<'site' | 'alice' | 'bob', DevnetNodeInfo> }) => {
  const n = devnet.nodes.site;
  return loadNodeConfig({ grpcHost: n.grpcHost, tlsCertPath: n.tlsCertPath, macaroonPath: n.macaroonPath });
};

export function nodeFor(
  devnet: { nodes: Record<'site' | 'alice' | 'bob', DevnetNodeInfo> },
  name: 'site' | 'alice' | 'bob',
  logger: Logger,
): LightningNode {
  const n = devnet.nodes[name];
  return createLndClient({ ...loadNodeConfig({ grpcHost: n.grpcHost, tlsCertPath: n.tlsCertPath, macaroonPath: n.macaroonPath }), logger });
}

export interface TestSiteOptions {
  node?: LightningNode;
  invoiceExpirySeconds?: number;
  /** Wraps the site's node (e.g. in a circuit breaker) before the payments service gets it. */
  wrapNode?: (node: LightningNode) => LightningNode;
  /** A database of the test's own (e.g. one it stops and starts); a clone of the template otherwise. */
  db?: TestDatabase;
  /** LND behaviours of the devnet's nodes (src/devnet/lnd-behaviours.ts): gc-canceled invoices, locked, clock offset... */
  devnetBehaviours?: DevnetOptions['behaviours'];
  /** The devnet's forwarding fee (src/devnet/routing-fee.ts); none by default. */
  devnetRoutingFee?: DevnetOptions['routingFee'];
  /** Run the site's invoice watcher (fast reconnects); without it, payments complete only by a page's check. */
  watcher?: boolean;
  /** 'shared': failed-login counts and payment news in PostgreSQL, as in production; in memory otherwise. */
  sharing?: 'shared' | 'process';
  metrics?: Metrics;
  metricsAccess?: { public: boolean; token: string | null };
  readinessDeadlineMs?: number;
  secureCookies?: boolean;
  /** Payouts with these settings, paying through the devnet's site node; the worker's timer is not started (tests tick it). */
  payouts?: PayoutConfig;
  /** Builds the node page and the low-inbound banner with this many article prices as the threshold. */
  lowInboundArticlePrices?: number;
  /** The fiat rate (tests build it against local price servers). */
  prices?: PriceFeed;
  /** The L402 API's settings and clock (src/api/). */
  machineApi?: SiteInputs['machineApi'];
  /** Limits other than the defaults (src/accounts/limits.ts). */
  limits?: Partial<SiteLimits>;
  /** Express's trust proxy (TRUST_PROXY); off by default. */
  trustProxy?: boolean | number | string[];
  /** Attempt counts of the test's own (e.g. with a clock it moves). */
  attemptThrottle?: AttemptThrottle;
  /** Wraps the bcrypt hasher (e.g. to count the password checks) before the site gets it. */
  wrapHasher?: (hasher: PasswordHasher) => PasswordHasher;
}

/** A whole site composed by src/compose.ts, as server.ts composes it, on test infrastructure. */
export async function startTestSite(options: TestSiteOptions = {}): Promise<TestSite> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const db = options.db ?? (await createTestDatabase());
  const devnet = await startSiteDevnet(options.devnetBehaviours, options.devnetRoutingFee);
  const rawNode = options.node ?? nodeFor(devnet, 'site', logger);
  const node = options.wrapNode ? options.wrapNode(rawNode) : rawNode;
  const n = devnet.nodes.site;
  const nodeOverview: NodeOverviewClient | null =
    options.lowInboundArticlePrices === undefined
      ? null
      : connectNodeOverview({ grpcHost: n.grpcHost, tlsCertPath: n.tlsCertPath, macaroonPath: n.macaroonPath }, logger);
  // The site's own node answers VerifyMessage for the Lightning logins, as in server.ts.
  const sn = devnet.nodes.site;
  const messageVerifier = createLndMessageVerifier({
    ...loadNodeConfig({ grpcHost: sn.grpcHost, tlsCertPath: sn.tlsCertPath, macaroonPath: sn.macaroonPath }),
    logger,
  });
  const site = composeSite({
    knex: db.knex,
    databaseUrl: db.url,
    node,
    messageVerifier,
    attemptThrottle: options.attemptThrottle,
    logger,
    hasher: options.wrapHasher ? options.wrapHasher(createPasswordHasher(4)) : createPasswordHasher(4),
    sessionSecret: 'test-secret-test-secret-test-secret-0123',
    siteName: 'Test Reads',
    invoiceExpirySeconds: options.invoiceExpirySeconds ?? 3600,
    settings: { publicUrl: TEST_PUBLIC_URL, articleMinPriceSat: 1, articleMaxPriceSat: 1_000_000, upvoteMinSat: 10 },
    secureCookies: options.secureCookies ?? false,
    viewCache: false,
    metrics: options.metrics ?? null,
    metricsAccess: options.metricsAccess ?? { public: false, token: null },
    allowedOrigins: [],
    sharing: options.sharing ?? 'process',
    watcher: options.watcher ? { backoff: { initialMs: 100, maxMs: 400 } } : null,
    sessionPoolSize: 4,
    listenerReconnectMs: 100,
    readinessDeadlineMs: options.readinessDeadlineMs,
    payouts: options.payouts
      ? { config: options.payouts, sender: createLndRouterClient({ ...siteConnection(devnet), logger }), worker: false }
      : null,
    // Webhook tests drive their own worker, with a clock they move.
    webhooks: null,
    nodeOverview,
    lowInboundArticlePrices: options.lowInboundArticlePrices ?? 10,
    prices: options.prices ?? null,
    machineApi: options.machineApi,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    trustProxy: options.trustProxy ?? false,
  });
  await site.start();
  return {
    app: site.app,
    appDeps: site.appDeps,
    knex: db.knex,
    db,
    devnet,
    node,
    payments: site.payments,
    events: site.events,
    logs,
    logger,
    articleCache: site.articleCache,
    machineApi: site.machineApi,
    watcher: site.watcher,
    listener: site.listener,
    payouts: site.payouts,
    payoutWorker: site.payoutWorker,
    scheduledPublisher: site.scheduledPublisher,
    async close() {
      await site.stop();
      nodeOverview?.close();
      node.close();
      messageVerifier.close();
      await devnet.destroy();
      await db.destroy();
    },
  };
}

/** A raw gRPC client (TLS + admin macaroon) of one of the site's devnet nodes, as any LND client talks to it. */
export function clientForSite(site: { devnet: SiteDevnet }, name: 'site' | 'alice' | 'bob' = 'site'): TestClient {
  return clientFor(site.devnet.nodes[name]);
}

/** The hidden _csrf value of the first form on a page. */
export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no _csrf field on the page');
  return m[1];
}

/** Logs `username` in on a fresh cookie-keeping agent, the way a browser does: GET the form, POST it. */
export async function loggedInAgent(app: Express, username: string, password = `${username}-password`) {
  const agent = request.agent(app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .type('form')
    .send({ username, password, _csrf: csrfFrom(page.text), next: '/' });
  if (res.status !== 302) throw new Error(`login as ${username} failed with ${res.status}`);
  return agent;
}

/** Text content of the article body, or null when the page does not show it. */
export function articleBody(html: string): string | null {
  const m = /<div class="article-body">([\s\S]*?)<\/div>/.exec(html);
  return m ? m[1] : null;
}

export function paymentRequestFrom(html: string): string {
  const m = /<textarea id="payment-request"[^>]*>(lnbcrt[0-9a-z]+)<\/textarea>/.exec(html);
  if (!m) throw new Error('no payment request on the page');
  return m[1];
}

/**
 * Starts a test site's nodes again and waits until the site's own node client answers: its channel
 * reconnects with a backoff, and the next steps of a test need the node.
 */
export async function startNodesAndWait(site: TestSite, behaviours?: DevnetOptions['behaviours']): Promise<void> {
  await site.devnet.startNodes(behaviours);
  await eventually(
    () =>
      site.node.getInfo().then(
        () => true,
        () => undefined,
      ),
    "the site's node client to reach its node again",
  );
}
