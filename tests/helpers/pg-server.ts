/**
 * A PostgreSQL server of the test's own from a directory of server programs (Debian's
 * postgresql-NN package puts them in /usr/lib/postgresql/NN/bin), in a temporary data directory on
 * a free port. For tests that need a server the installed client programs can work with: pg_dump
 * refuses a server newer than itself, and the embedded server may be newer than Debian's client.
 * Started detached as the site's embedded server is (src/db/detached-postgres.ts), as the
 * `postgres` user when we are root (PostgreSQL refuses to run as root).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { runAs, startDetachedPostgres } from '../../src/db/detached-postgres';
import { createKnex } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { createPasswordHasher } from '../../src/accounts/passwords';
import { seedDemoData } from '../../seeds/demo';
import { freePort } from './free-port';
import { testBcryptCost } from './test-bcrypt-cost';
import type { TestDatabase } from './db';

/** The major version a client or server program reports (`pg_dump (PostgreSQL) 15.18 ...`), 0 if it cannot run. */
export function programMajor(program: string): number {
  const res = spawnSync(program, ['--version'], { encoding: 'utf8' });
  return Number(/\(PostgreSQL\) (\d+)/.exec(res.stdout ?? '')?.[1] ?? 0);
}

/** Where the server programs of PostgreSQL `major` are: PG_BIN_DIR if it has them, else Debian's place; null if neither. */
export function serverBinDir(major: number): string | null {
  const candidates = [process.env.PG_BIN_DIR, `/usr/lib/postgresql/${major}/bin`].filter((d): d is string => Boolean(d));
  return (
    candidates.find(
      (dir) => ['postgres', 'initdb'].every((p) => fs.existsSync(path.join(dir, p))) && programMajor(path.join(dir, 'postgres')) === major,
    ) ?? null
  );
}

export interface PgServer {
  major: number;
  /** The `postgres` database, to create others from. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

export async function startPgServer(binDir: string): Promise<PgServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-server-'));
  const user = runAs();
  if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid!);
  const init = spawnSync(path.join(binDir, 'initdb'), ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C'], {
    ...user,
    encoding: 'utf8',
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  if (init.status !== 0) throw new Error(`initdb failed: ${(init.stderr || init.error?.message || '').trim()}`);
  const port = await freePort();
  const server = await startDetachedPostgres({
    dataDir: dir,
    port,
    binary: path.join(binDir, 'postgres'),
    // Only 127.0.0.1 and a socket in the data directory: nothing of a system cluster (port 5432, /var/run/postgresql).
    args: ['-c', 'listen_addresses=127.0.0.1', '-k', dir, '-c', 'fsync=off'],
    onLog: () => undefined,
  });
  const urlFor = (database: string) => `postgres://postgres:postgres@127.0.0.1:${port}/${database}`;
  return {
    major: programMajor(path.join(binDir, 'postgres')),
    adminUrl: urlFor('postgres'),
    urlFor,
    async stop() {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A new database on `server` (admin URL), migrated and seeded as the test template is. */
export async function createSeededDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `seeded_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).finally(() => admin.end());
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const knex = createKnex(url.toString(), { max: 20 });
  await migrateLatest(knex);
  await seedDemoData(knex, createPasswordHasher(testBcryptCost()).hash);
  return {
    name,
    url: url.toString(),
    knex,
    async destroy() {
      await knex.destroy();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => c.end());
    },
  };
}
