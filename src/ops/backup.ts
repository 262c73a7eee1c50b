/**
 * `npm run backup` / `npm run restore`: pg_dump and pg_restore (custom format) against the database
 * the site uses (DATABASE_URL, or the embedded PostgreSQL while the site runs). The client programs
 * come from PG_BIN_DIR or PATH (Debian: postgresql-client-NN); a client older than the server is
 * refused up front with what to install, since pg_dump cannot read a newer server.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';

export class BackupError extends Error {
  override readonly name = 'BackupError';
}

const tool = (binDir: string | undefined, name: 'pg_dump' | 'pg_restore') => (binDir ? path.join(binDir, name) : name);

function clientMajor(binary: string): number {
  const res = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (res.error || res.status !== 0)
    throw new BackupError(
      `${binary} was not found: install PostgreSQL's client programs (Debian: apt-get install postgresql-client) or set PG_BIN_DIR to where pg_dump is`,
    );
  const m = /(\d+)(?:\.\d+)?/.exec(res.stdout);
  if (!m) throw new BackupError(`cannot read the version of ${binary}: ${res.stdout.trim()}`);
  return Number(m[1]);
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query('SHOW server_version_num');
    return Math.floor(Number(rows[0].server_version_num) / 10000);
  } catch (err) {
    throw new BackupError(
      `cannot connect to the database: ${(err as Error).message} (start the site for the embedded PostgreSQL, or set DATABASE_URL)`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** host:port/database of `url`, for messages (never the password). */
export function describeDatabase(url: string): string {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
}

async function checkVersions(binary: string, url: string): Promise<void> {
  const [client, server] = [clientMajor(binary), await serverMajor(url)];
  if (client < server) {
    throw new BackupError(
      `${path.basename(binary)} ${client} is older than the PostgreSQL ${server} server at ${describeDatabase(url)} and cannot work with it. ` +
        `Install PostgreSQL ${server}'s client programs (postgresql-client-${server}, from PostgreSQL's own apt repository where the distribution has an older one) ` +
        `and set PG_BIN_DIR to their directory (Debian: /usr/lib/postgresql/${server}/bin), or keep the site's data on a PostgreSQL ${client} server (DATABASE_URL).`,
    );
  }
}

/** How many tables the database already holds outside PostgreSQL's own schemas. */
async function tableCount(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
    );
    return rows[0].n as number;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function run(binary: string, args: string[]): void {
  const res = spawnSync(binary, args, { encoding: 'utf8' });
  if (res.error) throw new BackupError(`${binary} could not run: ${res.error.message}`);
  if (res.status !== 0) throw new BackupError(`${path.basename(binary)} failed: ${res.stderr.trim().split('\n').slice(-3).join(' ')}`);
}

/** Writes a custom-format dump of `url` to `file`. */
export async function backupDatabase(options: { url: string; file: string; binDir?: string }): Promise<void> {
  const dump = tool(options.binDir, 'pg_dump');
  await checkVersions(dump, options.url);
  run(dump, ['--format=custom', '--no-owner', '--no-privileges', `--file=${options.file}`, `--dbname=${options.url}`]);
}

/**
 * Restores `file` into `url` in one transaction: all of it, or nothing. Into an empty database
 * only, unless `clean`: then what the backup holds is dropped first and replaced.
 */
export async function restoreDatabase(options: { url: string; file: string; binDir?: string; clean?: boolean }): Promise<void> {
  const restore = tool(options.binDir, 'pg_restore');
  await checkVersions(restore, options.url);
  const tables = await tableCount(options.url);
  if (tables > 0 && !options.clean) {
    throw new BackupError(
      `the database ${describeDatabase(options.url)} is not empty (${tables} tables): nothing was restored. ` +
        'To replace its contents with the backup, stop the site and run npm run restore -- FILE --clean; or restore into an empty database (DATABASE_URL).',
    );
  }
  run(restore, [
    ...(options.clean ? ['--clean', '--if-exists'] : []),
    '--no-owner',
    '--no-privileges',
    '--single-transaction',
    '--exit-on-error',
    `--dbname=${options.url}`,
    options.file,
  ]);
}
