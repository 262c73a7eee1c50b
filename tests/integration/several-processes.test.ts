/**
 * Several site processes on one PostgreSQL (issue 11, items 10 and 11): any number of them may run
 * the migrations at once on an empty database, and a payment news lost to a gap in LISTEN (a
 * PostgreSQL restart) still reaches the open page when the listener is back. This file runs its
 * own PostgreSQL, which it restarts for real.
 */
import crypto from 'node:crypto';
import { createKnex } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrate';
import { createPaymentsRepo } from '../../src/payments/payments-repo';
import { silentLogger } from '../../src/lib/logger';
import { createPasswordHasher } from '../../src/accounts/passwords';
import { migrations } from '../../migrations';
import { seedDemoData } from '../../seeds/demo';
import { eventually, listen, loginCookie, openSse } from '../helpers/http';
import { startPgProcess, type PgProcess } from '../helpers/pg-process';
import { loggedInAgent, startTestSite, type TestSite } from '../helpers/site';
import { adminArticles } from '../helpers/db-probes';

let pg: PgProcess;
let site: TestSite;

beforeAll(async () => {
  pg = await startPgProcess();
}, 60_000);
afterAll(async () => {
  await pg.start();
  await site?.close(); // destroys pg too
});

function urlOf(db: string): string {
  const u = new URL(pg.url);
  u.pathname = `/${db}`;
  return u.toString();
}

test('six processes migrating one empty database at once all succeed, and every migration runs exactly once', async () => {
  const name = `empty_${crypto.randomBytes(4).toString('hex')}`;
  const admin = createKnex(pg.url, { max: 1, logger: silentLogger });
  await admin.raw(`CREATE DATABASE ${name}`);
  await admin.destroy();
  const processes = Array.from({ length: 6 }, () => createKnex(urlOf(name), { max: 2, logger: silentLogger }));
  try {
    const results = await Promise.allSettled(processes.map((k) => migrateLatest(k)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('fulfilled'));
    const ran = results.flatMap((r) => (r.status === 'fulfilled' ? r.value : []));
    expect(ran.sort()).toEqual(migrations.map(([n]) => n).sort());
    const rows = await processes[0]('knex_migrations').select('name');
    expect(rows.map((r) => r.name).sort()).toEqual(migrations.map(([n]) => n).sort());
    // The lock is released: a process starting later finds nothing to do and does not wait.
    expect(await migrateLatest(processes[1])).toEqual([]);
  } finally {
    await Promise.all(processes.map((k) => k.destroy()));
  }
});

test('a completion whose news was lost while LISTEN was down reaches the open page once the listener is back after a PostgreSQL restart', async () => {
  const knex = createKnex(pg.url, { max: 10, logger: silentLogger });
  await migrateLatest(knex);
  await seedDemoData(knex, createPasswordHasher(4).hash);
  site = await startTestSite({
    sharing: 'shared',
    db: {
      name: 'postgres',
      url: pg.url,
      knex,
      async destroy() {
        await knex.destroy();
        await pg.destroy();
      },
    },
  });
  const articleId = (await adminArticles(knex))[0].id;
  const agent = await loggedInAgent(site.app, 'alice');
  await agent.get(`/articles/${articleId}`);
  const payment = await knex('payments as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'u.username': 'alice', 'p.article_id': articleId })
    .first('p.*');
  expect(payment.status).toBe('pending_payment');

  const server = await listen(site.app);
  try {
    const cookie = await loginCookie(server.baseUrl, 'alice');
    const stream = await openSse(`${server.baseUrl}/articles/${articleId}/events`, cookie);
    expect(stream.status).toBe(200);
    await eventually(async () => (site.events.listenerCount() > 0 ? true : undefined), 'the page to listen');

    // Another process completed the payment and its NOTIFY was lost (sent while this process's
    // LISTEN connection was not there): the database says complete, this process heard nothing.
    expect(
      await createPaymentsRepo(knex).markComplete(payment.id, payment.payment_hash, {
        amountPaidSat: Number(payment.amount_sat),
        settledAt: new Date(),
      }),
    ).toBe(true);
    expect(stream.events.filter((e) => e.event === 'complete')).toEqual([]);

    await pg.stop();
    await eventually(async () => (site.listener.listening() ? undefined : true), 'the LISTEN connection to drop');
    await pg.start();
    await eventually(async () => (site.listener.listening() ? true : undefined), 'the LISTEN connection to come back');

    const complete = await stream.next('complete');
    expect(JSON.parse(complete.data)).toEqual({ articleId, paymentId: payment.id });
    expect((await knex('payments').where({ id: payment.id }).first()).status).toBe('complete');
    stream.close();
  } finally {
    await server.close();
  }
});
