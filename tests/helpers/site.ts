/**
 * A whole site for integration tests: a real database (tests/helpers/db.ts), the devnet over real
 * gRPC with TLS and macaroons, our LND client, and the app from createApp(deps). Nothing is mocked.
 */
import request from 'supertest';
import type { Knex } from 'knex';
import type { Express } from 'express';
import { composeSite } from '../../src/compose';
import { createPasswordHasher } from '../../src/accounts/passwords';
import type { PaymentsService } from '../../src/payments/payments-service';
import type { PaymentEvents } from '../../src/payments/payment-events';
import type { InvoiceWatcher } from '../../src/payments/invoice-watcher';
import { createLndClient } from '../../src/lightning/lnd-grpc-client';
import { loadNodeConfig } from '../../src/lightning/load-node-config';
import type { LightningNode } from '../../src/lightning/types';
import type { Metrics } from '../../src/ops/metrics';
import { createLogger, type Logger } from '../../src/lib/logger';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevnet, type Devnet, type DevnetNodeInfo } from '../../src/devnet';
import { createTestDatabase, type TestDatabase } from './db';
import type { PgListener } from '../../src/db/pg-listener';
import type { ArticleCache } from '../../src/articles/article-cache';

/** The public URL the test site builds absolute links (feed, sitemap, canonical) from. */
export const TEST_PUBLIC_URL = 'http://reads.test';

export interface TestSite {
  app: Express;
  knex: Knex;
  db: TestDatabase;
  devnet: SiteDevnet;
  node: LightningNode;
  payments: PaymentsService;
  events: PaymentEvents;
  /** The article page cache (live while `listener` is up). */
  articleCache: ArticleCache;
  /** The site's invoice watcher, running when the site was started with `watcher`; null otherwise. */
  watcher: InvoiceWatcher | null;
  listener: PgListener;
  logs: string[];
  close(): Promise<void>;
}

/** The site's devnet, which a test can stop and start again (same dir and ports, state kept). */
export interface SiteDevnet {
  dir: string;
  nodes: Record<'site' | 'alice' | 'bob', DevnetNodeInfo>;
  running(): boolean;
  stopNodes(): Promise<void>;
  startNodes(): Promise<void>;
}

async function startSiteDevnet(): Promise<SiteDevnet & { destroy(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-devnet-'));
  let devnet: Devnet | null = await startDevnet({ dir, ports: { site: 0, alice: 0, bob: 0 } });
  const nodes = devnet.nodes;
  const ports = Object.fromEntries(Object.entries(nodes).map(([k, n]) => [k, Number(n.grpcHost.split(':')[1])]));
  return {
    dir,
    nodes,
    running: () => devnet !== null,
    async stopNodes() {
      await devnet?.stop();
      devnet = null;
    },
    async startNodes() {
      if (!devnet) devnet = await startDevnet({ dir, ports });
    },
    async destroy() {
      await devnet?.stop();
      devnet = null;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function nodeFor(devnet: { nodes: Record<'site' | 'alice' | 'bob', DevnetNodeInfo> }, name: 'site' | 'alice' | 'bob', logger: Logger): LightningNode {
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
  /** Run the site's invoice watcher (fast reconnects); without it, payments complete only by a page's check. */
  watcher?: boolean;
  /** 'shared': failed-login counts and payment news in PostgreSQL, as in production; in memory otherwise. */
  sharing?: 'shared' | 'process';
  metrics?: Metrics;
  metricsAccess?: { public: boolean; token: string | null };
  readinessDeadlineMs?: number;
  secureCookies?: boolean;
}

/** A whole site composed by src/compose.ts, as server.ts composes it, on test infrastructure. */
export async function startTestSite(options: TestSiteOptions = {}): Promise<TestSite> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  const db = options.db ?? (await createTestDatabase());
  const devnet = await startSiteDevnet();
  const rawNode = options.node ?? nodeFor(devnet, 'site', logger);
  const node = options.wrapNode ? options.wrapNode(rawNode) : rawNode;
  const site = composeSite({
    knex: db.knex,
    databaseUrl: db.url,
    node,
    logger,
    hasher: createPasswordHasher(4),
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
  });
  await site.start();
  return {
    app: site.app,
    knex: db.knex,
    db,
    devnet,
    node,
    payments: site.payments,
    events: site.events,
    logs,
    articleCache: site.articleCache,
    watcher: site.watcher,
    listener: site.listener,
    async close() {
      await site.stop();
      node.close();
      await devnet.destroy();
      await db.destroy();
    },
  };
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
  const res = await agent.post('/login').type('form').send({ username, password, _csrf: csrfFrom(page.text), next: '/' });
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
