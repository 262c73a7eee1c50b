/**
 * The one place that reads config, opens the database, starts the Lightning client (and the devnet
 * in development), listens, and shuts everything down again.
 */
import type { Server } from 'node:http';
import pg from 'pg';
import { loadConfig, ConfigError, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { createKnex } from './db/knex';
import { migrateLatest } from './db/migrate';
import { startEmbeddedPostgres } from './db/embedded-postgres';
import { createUsersRepo } from './db/users-repo';
import { createArticlesRepo } from './db/articles-repo';
import { createPaymentsRepo, createWatcherStateRepo } from './db/payments-repo';
import { createSessionStore } from './db/session-store';
import { createPasswordHasher } from './auth/passwords';
import { createPassport } from './auth/passport';
import { createPaymentsService } from './payments/payments-service';
import { createPaymentEvents } from './payments/payment-events';
import { createInvoiceWatcher } from './payments/invoice-watcher';
import { createLndClient } from './lightning/lnd-grpc-client';
import { loadNodeConfig, type NodeConnection } from './lightning/load-node-config';
import type { LightningNode } from './lightning/types';
import { startDevnet } from './devnet';
import { developmentSessionSecret } from './session-secret';
import { createApp } from './app';
import { seedDemoData, DEMO_USERS } from '../seeds/demo';

type Closer = { name: string; close: () => Promise<void> | void };

async function connectLightning(config: Config, logger: Logger, closers: Closer[]): Promise<{ node: LightningNode; devnet: boolean }> {
  let connection: NodeConnection;
  const ln = config.lightning;
  if (ln.kind === 'devnet') {
    const devnet = await startDevnet({ dir: ln.dir, ports: ln.ports, logger: logger.child({ component: 'devnet' }) });
    closers.push({ name: 'devnet', close: () => devnet.stop() });
    const site = devnet.nodes.site;
    connection = loadNodeConfig({ grpcHost: site.grpcHost, tlsCertPath: site.tlsCertPath, macaroonPath: site.macaroonPath });
  } else if (ln.kind === 'lndconnect') {
    connection = loadNodeConfig({ connectUri: ln.connectUri });
  } else {
    connection = loadNodeConfig({ grpcHost: ln.grpcHost, tlsCertPath: ln.tlsCertPath, macaroonPath: ln.macaroonPath });
  }
  const node = createLndClient({ ...connection, logger: logger.child({ component: 'lnd' }) });
  closers.push({ name: 'lightning client', close: () => node.close() });
  try {
    const info = await node.getInfo();
    logger.info('lightning node connected', { host: connection.host, alias: info.alias, pubkey: info.identityPubkey, network: info.network, version: info.version });
  } catch (err) {
    // The site still starts: pages that need no node work, and articles say payments are unavailable.
    logger.warn('lightning node not reachable yet; article pages will say payments are unavailable until it is', {
      host: connection.host,
      error: err,
    });
  }
  return { node, devnet: ln.kind === 'devnet' };
}

async function start(config: Config, logger: Logger, closers: Closer[]): Promise<Server> {
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, logger });
    closers.push({ name: 'embedded PostgreSQL', close: () => embedded.stop() });
    databaseUrl = embedded.url;
  }
  const knex = createKnex(databaseUrl);
  closers.push({ name: 'database pool', close: () => knex.destroy() });
  const ran = await migrateLatest(knex);
  logger.info('database migrated', { ran });

  const hasher = createPasswordHasher(config.bcryptCost);
  if (config.seedDemoData) {
    const seeded = await seedDemoData(knex, hasher.hash);
    logger.info('demo data ready', seeded);
  }

  const { node, devnet } = await connectLightning(config, logger, closers);

  const sessionPool = new pg.Pool({ connectionString: databaseUrl, max: 5 });
  closers.push({ name: 'session pool', close: () => sessionPool.end() });
  const users = createUsersRepo(knex);
  const events = createPaymentEvents();
  const paymentsRepo = createPaymentsRepo(knex);
  const payments = createPaymentsService({
    repo: paymentsRepo,
    node,
    logger: logger.child({ component: 'payments' }),
    siteName: config.siteName,
    invoiceExpirySeconds: config.invoiceExpirySeconds,
    events,
  });
  const watcher = createInvoiceWatcher({ node, payments, state: createWatcherStateRepo(knex), logger: logger.child({ component: 'watcher' }) });
  watcher.start();
  closers.push({ name: 'invoice watcher', close: () => watcher.stop() });
  const app = createApp({
    users,
    articles: createArticlesRepo(knex),
    payments,
    paymentsRepo,
    events,
    passport: createPassport(users, hasher),
    hasher,
    sessionStore: createSessionStore(sessionPool),
    sessionSecret: config.sessionSecret ?? developmentSessionSecret(config.dataDir),
    logger: logger.child({ component: 'http' }),
    siteName: config.siteName,
    secureCookies: config.nodeEnv === 'production',
    viewCache: config.viewCache,
  });

  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'EADDRINUSE' ? new Error(`port ${config.port} is already in use: stop the other program or set PORT`) : err),
    );
  });
  logger.info('site listening', { url: config.publicUrl, port: config.port });
  const lines = [`\n  ${config.siteName} is running at ${config.publicUrl}\n`];
  if (config.seedDemoData) lines.push(`  Demo accounts: ${DEMO_USERS.map((u) => `${u.username} / ${u.password}`).join(', ')}`);
  if (devnet) lines.push('  Pay an invoice from the devnet wallet:  npm run pay -- --from alice <payment_request>');
  process.stdout.write(lines.join('\n') + '\n\n');
  return server;
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

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
    process.exit(1);
  }
  const logger = createLogger({ level: config.logLevel });
  const closers: Closer[] = [];
  let server: Server | null = null;
  let stopping = false;

  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 15_000);
    force.unref();
    if (server) {
      const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
      server.closeIdleConnections();
      // Open event streams never finish by themselves; in-flight requests get a moment first.
      const streams = setTimeout(() => server!.closeAllConnections(), 2_000);
      await closing;
      clearTimeout(streams);
    }
    await closeAll(closers, logger);
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    server = await start(config, logger, closers);
  } catch (err) {
    logger.error('start-up failed', { error: err });
    process.stderr.write(`\nThe site could not start: ${(err as Error).message ?? err}\n`);
    await closeAll(closers, logger);
    process.exit(1);
  }
}

void main();
