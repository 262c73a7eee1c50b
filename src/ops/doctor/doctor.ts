/**
 * `npm run doctor`: checks what the site needs, with the settings `npm start` reads (the same
 * environment, the devnet's files in development), one line per check, a fix for each failure.
 * Returns the exit status: 1 if any check failed, else 0 (warnings do not fail).
 */
import path from 'node:path';
import type { Knex } from 'knex';
import { loadConfig, ConfigError, type Config } from '../../config';
import { createKnex } from '../../db/knex';
import { createLogger } from '../../lib/logger';
import { createLndClient } from '../../lightning/lnd-grpc-client';
import { loadNodeConfig, type NodeSettings } from '../../lightning/load-node-config';
import { createNodeOverviewClient } from '../../lightning/node-overview-client';
import { fail, formatCheck, ok, skip, type CheckResult } from './check';
import { checkDatabase, checkMigrations, checkPayments, checkWebhooks, checkWithdrawals } from './database-checks';
import { checkInbound, checkPermissions, checkReachable, checkSynced } from './node-checks';

function nodeSettings(config: Config): { settings: NodeSettings; where: string } {
  const ln = config.lightning;
  if (ln.kind === 'lndconnect') return { settings: { connectUri: ln.connectUri }, where: 'LND_CONNECT' };
  if (ln.kind === 'lnd')
    return { settings: { grpcHost: ln.grpcHost, tlsCertPath: ln.tlsCertPath, macaroonPath: ln.macaroonPath }, where: ln.grpcHost };
  // The devnet keeps each node's files as LND does (<DEVNET_DIR>/site/tls.cert, admin.macaroon);
  // read here by that layout, since nothing but server.ts reaches into src/devnet.
  const dir = path.join(ln.dir, 'site');
  return {
    settings: {
      grpcHost: `127.0.0.1:${ln.ports.site}`,
      tlsCertPath: path.join(dir, 'tls.cert'),
      macaroonPath: path.join(dir, 'admin.macaroon'),
    },
    where: `the devnet's site node (files in ${ln.dir})`,
  };
}

async function databaseChecks(config: Config, lines: CheckResult[]): Promise<{ knex: Knex | null; dearest: number | null }> {
  const url = config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPgPort}/paywall`;
  const where = config.databaseUrl
    ? new URL(config.databaseUrl).host + new URL(config.databaseUrl).pathname
    : `the embedded PostgreSQL on port ${config.embeddedPgPort}`;
  const knex = createKnex(url, { max: 2 });
  const db = await checkDatabase(knex, where);
  lines.push(db);
  if (db.verdict !== 'ok') {
    await knex.destroy();
    for (const name of ['migrations', 'pending payments', 'withdrawals', 'webhook endpoints']) lines.push(skip(name, 'no database'));
    return { knex: null, dearest: null };
  }
  const migrations = await checkMigrations(knex);
  lines.push(migrations);
  if (migrations.verdict !== 'ok') {
    for (const name of ['pending payments', 'withdrawals', 'webhook endpoints']) lines.push(skip(name, 'the schema is not up to date'));
    return { knex, dearest: null };
  }
  lines.push(await checkPayments(knex), await checkWithdrawals(knex), await checkWebhooks(knex));
  const row = await knex('articles').where({ status: 'published' }).max('price_sat as p').first();
  return { knex, dearest: row?.p == null ? null : Number(row.p) };
}

async function nodeChecks(config: Config, dearest: number | null, lines: CheckResult[]): Promise<void> {
  const { settings, where } = nodeSettings(config);
  let connection;
  try {
    connection = loadNodeConfig(settings);
  } catch (err) {
    const devnet = config.lightning.kind === 'devnet';
    lines.push(
      fail(
        'node settings',
        (err as Error).message,
        devnet
          ? "the devnet's files appear when `npm start` first runs it: start the site once"
          : 'correct the file paths in LND_TLS_CERT_PATH / LND_MACAROON_PATH (or LND_CONNECT)',
      ),
    );
    return;
  }
  lines.push(ok('node settings', `${where}: certificate and macaroon read`));
  const logger = createLogger({ level: 'error', write: () => undefined });
  const overview = createNodeOverviewClient({ ...connection, logger });
  const node = createLndClient({ ...connection, logger });
  try {
    const reach = await checkReachable(
      overview,
      connection.host,
      config.lightning.kind === 'devnet'
        ? `the devnet runs inside \`npm start\` in development: start the site (its site node listens on DEVNET_SITE_PORT, here ${connection.host})`
        : "start LND and check LND_GRPC_HOST (LND's gRPC port is 10009 unless its rpclisten says otherwise)",
    );
    lines.push(...reach.result);
    if (!reach.info && !reach.denied) {
      for (const name of ['node permissions', 'node synced', 'inbound capacity']) lines.push(skip(name, 'the node did not answer'));
      return;
    }
    lines.push(await checkPermissions(overview, node, reach.denied));
    lines.push(checkSynced(reach.info));
    lines.push(await checkInbound(overview, dearest, config.lowInboundArticlePrices));
  } finally {
    overview.close();
    node.close();
  }
}

export async function runDoctor(options: {
  env?: Record<string, string | undefined>;
  cwd?: string;
  write: (line: string) => void;
}): Promise<number> {
  const lines: CheckResult[] = [];
  let config: Config;
  try {
    config = loadConfig(options.env ?? process.env, options.cwd ?? process.cwd());
    lines.push(
      ok(
        'configuration',
        `${config.nodeEnv}, ${config.publicUrl}, ${config.lightning.kind === 'devnet' ? 'devnet' : 'LND'}${config.databaseUrl ? '' : ', embedded PostgreSQL'}`,
      ),
    );
  } catch (err) {
    const problems = err instanceof ConfigError ? err.problems : [(err as Error).message];
    options.write(
      formatCheck(
        fail(
          'configuration',
          problems.join('; '),
          'set the variables named above (README: "Configuration"); nothing else is checked until they are right',
        ),
      ),
    );
    return 1;
  }
  const { knex, dearest } = await databaseChecks(config, lines);
  try {
    await nodeChecks(config, dearest, lines);
  } finally {
    await knex?.destroy();
  }
  for (const l of lines) options.write(formatCheck(l));
  const failed = lines.filter((l) => l.verdict === 'fail').length;
  options.write(failed ? `\n${failed} check${failed === 1 ? '' : 's'} failed.` : '\nEverything the site needs is in order.');
  return failed ? 1 : 0;
}
