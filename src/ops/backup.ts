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

async function checkVersions(binary: string, url: string): Promise<void> {
  const [client, server] = [clientMajor(binary), await serverMajor(url)];
  if (client < server) {
    throw new BackupError(
      `${path.basename(binary)} ${client} cannot work with PostgreSQL ${server}: install postgresql-client-${server} (PostgreSQL's own apt repository) and set PG_BIN_DIR=/usr/lib/postgresql/${server}/bin`,
    );
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

/** Restores `file` into `url` in one transaction: all of it, or nothing. */
export async function restoreDatabase(options: { url: string; file: string; binDir?: string }): Promise<void> {
  const restore = tool(options.binDir, 'pg_restore');
  await checkVersions(restore, options.url);
  run(restore, [
    '--clean',
    '--if-exists',
    '--no-owner',
    '--no-privileges',
    '--single-transaction',
    '--exit-on-error',
    `--dbname=${options.url}`,
    options.file,
  ]);
}
