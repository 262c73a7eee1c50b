/**
 * The one place that reads config, opens the database, starts the Lightning client (and the devnet
 * in development), listens, and shuts everything down again.
 *
 * With WEB_CONCURRENCY=N (N > 1) this process becomes a node:cluster primary: it owns the embedded
 * PostgreSQL and the devnet, migrates and seeds once, then runs N workers that each serve the site
 * on the shared port against the one database (sessions, login counts and payment news are in
 * PostgreSQL, so any worker can serve any request).
 */
import { connectNodeOverview } from './lightning/connect-node-overview';
import { startPriceFeed } from './prices/start-price-feed';
import cluster from 'node:cluster';
import v8 from 'node:v8';
import type { Server } from 'node:http';
import { loadConfig, ConfigError, type Config, type LightningConfig } from './config';
import { createLogger, type Logger } from './lib/logger';
import { prettyLogsWanted } from './lib/log-pretty';
import { createKnex } from './db/knex';
import { migrateLatest } from './db/migrate';
import { startEmbeddedPostgres } from './db/embedded-postgres';
import { createPasswordHasher } from './accounts/passwords';
import { createLndClient } from './lightning/lnd-grpc-client';
import { createLndMessageVerifier, type MessageVerifier } from './lightning/message-verifier';
import { loadNodeConfig, type NodeConnection } from './lightning/load-node-config';
import { withCircuitBreaker } from './lightning/circuit-breaker';
import { createMetrics } from './ops/metrics';
import { trackRequests, type GracefulCloser } from './web/graceful-close';
import { startWorkers, type WorkerPool } from './ops/cluster-workers';
import { answerClusterMetrics, clusterMetricsReader } from './ops/metrics-cluster';
import type { LightningNode } from './lightning/types';
import { startDevnet } from './devnet';
import { developmentSessionSecret } from './accounts/session-secret';
import { composeSite } from './compose';
import { seedDemoData, DEMO_USERS } from '../seeds/demo';
import { createLndRouterClient } from './lightning/lnd-router-client';
import { loadPayoutConfig } from './payouts/payout-config';

type Closer = { name: string; close: () => Promise<void> | void };

/** What the site processes connect to: started here (embedded PostgreSQL, devnet) or configured. */
interface Infrastructure {
  databaseUrl: string;
  lightning: Exclude<LightningConfig, { kind: 'devnet' }>;
  devnet: boolean;
}

async function startInfrastructure(config: Config, logger: Logger, closers: Closer[]): Promise<Infrastructure> {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, logger });
    closers.push({ name: 'embedded PostgreSQL', close: () => embedded.stop() });
    databaseUrl = embedded.url;
  }
  const ln = config.lightning;
  if (ln.kind !== 'devnet') return { databaseUrl, lightning: ln, devnet: false };
  const devnet = await startDevnet({ dir: ln.dir, ports: ln.ports, logger: logger.child({ component: 'devnet' }) });
  closers.push({ name: 'devnet', close: () => devnet.stop() });
  const site = devnet.nodes.site;
  return {
    databaseUrl,
    lightning: { kind: 'lnd', grpcHost: site.grpcHost, tlsCertPath: site.tlsCertPath, macaroonPath: site.macaroonPath },
    devnet: true,
  };
}

async function prepareDatabase(config: Config, databaseUrl: string, logger: Logger): Promise<void> {
  const knex = createKnex(databaseUrl, { max: 2, logger });
  try {
    const ran = await migrateLatest(knex);
    logger.info('database migrated', { ran });
    if (config.seedDemoData) {
      const seeded = await seedDemoData(knex, createPasswordHasher(config.bcryptCost).hash);
      logger.info('demo data ready', seeded);
    }
  } finally {
    await knex.destroy();
  }
}

function nodeConnection(ln: Infrastructure['lightning']): NodeConnection {
  return ln.kind === 'lndconnect'
    ? loadNodeConfig({ connectUri: ln.connectUri })
    : loadNodeConfig({ grpcHost: ln.grpcHost, tlsCertPath: ln.tlsCertPath, macaroonPath: ln.macaroonPath });
}

async function connectLightning(
  ln: Infrastructure['lightning'],
  logger: Logger,
  closers: Closer[],
  metrics: ReturnType<typeof createMetrics>,
): Promise<{ node: LightningNode & { circuit(): { state: string } }; verifier: MessageVerifier }> {
  const connection = nodeConnection(ln);
  const client = createLndClient({ ...connection, logger: logger.child({ component: 'lnd' }) });
  // VerifyMessage for the Lightning logins, over its own stub on the same connection settings.
  const verifier = createLndMessageVerifier({ ...connection, logger });
  closers.push({ name: 'lightning verifier', close: () => verifier.close() });
  // After repeated failures pages answer "payments unavailable" at once instead of each waiting
  // for the 5 s deadline; a call every 10 s probes whether the node is back.
  const node = withCircuitBreaker(client, {
    logger: logger.child({ component: 'lnd-circuit' }),
    onCall(method, outcome, seconds) {
      metrics.nodeCalls.inc({ method, outcome });
      if (outcome !== 'rejected') metrics.nodeCallDuration.observe({ method }, seconds);
      if (method === 'createInvoice' && outcome === 'ok') metrics.invoicesIssued.inc();
    },
  });
  closers.push({ name: 'lightning client', close: () => node.close() });
  try {
    const info = await node.getInfo();
    logger.info('lightning node connected', {
      host: connection.host,
      alias: info.alias,
      pubkey: info.identityPubkey,
      network: info.network,
      version: info.version,
    });
  } catch (err) {
    // The site still starts: pages that need no node work, and articles say payments are unavailable.
    logger.warn('lightning node not reachable yet; article pages will say payments are unavailable until it is', {
      host: connection.host,
      error: err,
    });
  }
  return { node, verifier };
}

/** The site itself (one process, or one cluster worker) on infrastructure that is already up. */
async function startSite(config: Config, infra: Infrastructure, logger: Logger, closers: Closer[]): Promise<Server> {
  const { databaseUrl } = infra;
  const knex = createKnex(databaseUrl, { logger: logger.child({ component: 'db' }) });
  closers.push({ name: 'database pool', close: () => knex.destroy() });
  const metrics = createMetrics();
  // A cluster worker answers /metrics with every worker's figures, gathered by the primary.
  if (cluster.isWorker) metrics.scrapeWith(clusterMetricsReader(metrics.registry));
  const ln = infra.lightning;
  const nodeOverview = connectNodeOverview(
    ln.kind === 'lndconnect'
      ? { connectUri: ln.connectUri }
      : { grpcHost: ln.grpcHost, tlsCertPath: ln.tlsCertPath, macaroonPath: ln.macaroonPath },
    logger.child({ component: 'node-overview' }),
  );
  closers.push({ name: 'node overview client', close: () => nodeOverview.close() });
  const prices = startPriceFeed(config.prices, logger.child({ component: 'prices' }));
  if (prices) closers.push({ name: 'price feed', close: () => prices.stop() });
  const { node, verifier } = await connectLightning(infra.lightning, logger, closers, metrics);
  const site = composeSite({
    knex,
    databaseUrl,
    node,
    messageVerifier: verifier,
    logger,
    hasher: createPasswordHasher(config.bcryptCost),
    sessionSecret: config.sessionSecret ?? developmentSessionSecret(config.dataDir),
    siteName: config.siteName,
    invoiceExpirySeconds: config.invoiceExpirySeconds,
    settings: {
      publicUrl: config.publicUrl,
      articleMinPriceSat: config.articleMinPriceSat,
      articleMaxPriceSat: config.articleMaxPriceSat,
      upvoteMinSat: config.upvoteMinSat,
    },
    secureCookies: config.nodeEnv === 'production',
    viewCache: config.viewCache,
    metrics,
    metricsAccess: { public: config.metricsPublic, token: config.metricsToken },
    allowedOrigins: [new URL(config.publicUrl).origin],
    // Sessions, login counts and payment news in PostgreSQL: any worker can serve any request.
    sharing: 'shared',
    // Every worker runs a watcher: applying a settlement is a compare-and-set, so two watchers never
    // double-apply, and the site keeps crediting payments while any one worker is alive.
    watcher: {},
    sessionPoolSize: 5,
    // Withdrawals go out through the same node, over its Router service (SendPaymentV2).
    payouts: {
      config: loadPayoutConfig(),
      sender: createLndRouterClient({ ...nodeConnection(infra.lightning), logger: logger.child({ component: 'lnd-router' }) }),
    },
    webhooks: config.webhooks,
    nodeOverview,
    lowInboundArticlePrices: config.lowInboundArticlePrices,
    prices,
    trustProxy: config.trustProxy,
    machineApi: config.machineApi,
    limits: config.limits,
  });
  closers.push({ name: 'site (watcher, payment news, LISTEN, session pool)', close: () => site.stop() });
  await site.start();
  const app = site.app;

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} is already in use: stop the other program or set PORT`) : err),
    );
  });
  // The heap limit (npm start sets --max-old-space-size): with none, V8 sizes the heap from the
  // machine's memory and lets garbage pile up to several times what the site really holds.
  logger.info('site listening', {
    url: config.publicUrl,
    port: config.port,
    heapLimitMb: Math.round(v8.getHeapStatistics().heap_size_limit / 1048576),
  });
  return server;
}

function printBanner(config: Config, devnet: boolean): void {
  // Bold at a terminal, so it stands out among the log lines.
  const bold = (t: string) => (process.stdout.isTTY ? `\x1b[1m${t}\x1b[0m` : t);
  const lines = [`\n  ${bold(`${config.siteName} is running at ${config.publicUrl}`)}\n`];
  if (config.webConcurrency > 1) lines.push(`  ${config.webConcurrency} worker processes`);
  if (config.seedDemoData) lines.push(`  Demo accounts: ${DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join(', ')}`);
  if (devnet) lines.push('  Pay an invoice from the devnet wallet:  npm run pay -- --from alice <payment_request>');
  process.stdout.write(lines.join('\n') + '\n\n');
}

async function closeAll(closers: Closer[], logger: Logger): Promise<void> {
  for (const c of [...closers].reverse()) {
    try {
      await c.close();
    } catch (err) {
      logger.warn(`closing ${c.name} failed`, { error: err });
    }
  }
}

/**
 * The cluster primary: starts the shared infrastructure, migrates and seeds once, then forks
 * workers that find it through their environment (DATABASE_URL, LND_*). On shutdown the workers
 * stop first (they finish their requests), then the devnet and the database.
 */
async function runPrimary(config: Config, logger: Logger, closers: Closer[], isStopping: () => boolean): Promise<WorkerPool> {
  const infra = await startInfrastructure(config, logger, closers);
  await prepareDatabase(config, infra.databaseUrl, logger);
  const env: Record<string, string> = {
    DATABASE_URL: infra.databaseUrl,
    SESSION_SECRET: config.sessionSecret ?? developmentSessionSecret(config.dataDir),
    DEMO_DATA: 'false',
  };
  if (infra.lightning.kind === 'lnd') {
    Object.assign(env, {
      LND_GRPC_HOST: infra.lightning.grpcHost,
      LND_TLS_CERT_PATH: infra.lightning.tlsCertPath,
      LND_MACAROON_PATH: infra.lightning.macaroonPath,
    });
  }
  answerClusterMetrics();
  return startWorkers({ count: config.webConcurrency, env, logger, isStopping, onAllListening: () => printBanner(config, infra.devnet) });
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const worker = cluster.isWorker;
  const pretty = prettyLogsWanted({ nodeEnv: config.nodeEnv, logFormat: process.env.LOG_FORMAT, isTTY: process.stdout.isTTY === true });
  const logger = createLogger({ level: config.logLevel, base: worker ? { worker: cluster.worker?.id } : {}, pretty });
  const closers: Closer[] = [];
  let server: GracefulCloser | null = null;
  let primary: WorkerPool | null = null;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000);
    force.unref();
    // In-flight requests get up to 8 s; open event streams are ended at once.
    if (server) await server.close(8_000);
    if (primary) await primary.stopWorkers();
    await closeAll(closers, logger);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    if (config.webConcurrency > 1 && cluster.isPrimary) {
      primary = await runPrimary(config, logger, closers, () => stopping);
      return;
    }
    const infra = await startInfrastructure(config, logger, closers);
    if (!worker) await prepareDatabase(config, infra.databaseUrl, logger);
    const http = await startSite(config, infra, logger, closers);
    server = trackRequests(http);
    if (!worker) printBanner(config, infra.devnet);
  } catch (err) {
    logger.error('start-up failed', { error: err });
    process.stderr.write(`\nThe site could not start: ${(err as Error).message ?? err}\n`);
    await closeAll(closers, logger);
    process.exit(1);
  }
}

void main();
