/**
 * PostgreSQL going away and coming back, for real: this file runs its own embedded PostgreSQL
 * (not the shared one every test file uses) and stops and starts it under a running site.
 */
import request from 'supertest';
import { createKnex } from '../../src/db/knex';
import { silentLogger } from '../../src/lib/logger';
import { migrateLatest } from '../../src/db/migrate';
import { createPasswordHasher } from '../../src/accounts/passwords';
import { createPaymentsRepo } from '../../src/payments/payments-repo';
import { seedDemoData } from '../../seeds/demo';
import { startTestSite, loggedInAgent, paymentRequestFrom, type TestSite } from '../helpers/site';
import { eventually } from '../helpers/http';
import { startPgProcess, type PgProcess } from '../helpers/pg-process';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let pg: PgProcess;
let articleId: number;

const stopPg = () => pg.stop();
const startPg = () => pg.start();

beforeAll(async () => {
  pg = await startPgProcess();
  const url = pg.url;
  const knex = createKnex(url, { max: 10, logger: silentLogger });
  await migrateLatest(knex);
  await seedDemoData(knex, createPasswordHasher(4).hash);
  const db = {
    name: 'paywall',
    url,
    knex,
    async destroy() {
      await knex.destroy();
      await pg.destroy();
    },
  };
  site = await startTestSite({
    db,
    readinessDeadlineMs: 2_000,
  });
  articleId = (await adminArticles(knex))[0].id;
}, 60_000);
afterAll(async () => {
  await startPg();
  await site.close();
});

test('while PostgreSQL is down every page is a clear 503, /healthz still answers and /readyz says the database is down; then it recovers', async () => {
  const alice = await loggedInAgent(site.app, 'alice');
  expect((await alice.get(`/articles/${articleId}`)).status).toBe(200);

  await stopPg();

  const home = await request(site.app).get('/');
  expect(home.status).toBe(503);
  expect(home.headers['retry-after']).toBe('30');
  expect(home.text).toContain('cannot reach its database');
  expect(home.text).not.toMatch(/ECONNREFUSED|at .*\.ts:\d+|Error:/);
  // A logged-in reader: loading the session itself fails, and that is a 503 page too.
  const article = await alice.get(`/articles/${articleId}`);
  expect(article.status).toBe(503);
  expect(article.text).toContain('Nothing was changed');

  expect((await request(site.app).get('/healthz')).status).toBe(200);
  const ready = await request(site.app).get('/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body.checks.database.ok).toBe(false);
  expect(ready.body.checks.lightning).toEqual({ ok: true });

  await startPg();

  // The pools reconnect by themselves and the reader's session survived (it is in PostgreSQL).
  const back = await eventually(async () => {
    const r = await alice.get(`/articles/${articleId}`);
    return r.status === 200 ? r : undefined;
  }, 'the site to reach its database again');
  expect(back.text).toContain('Signed in as');
  expect(paymentRequestFrom(back.text)).toMatch(/^lnbcrt/);
  expect((await request(site.app).get('/readyz')).status).toBe(200);
}, 60_000);

test('a transaction cut off by the database stopping leaves nothing half-written', async () => {
  const bob = await site.knex('users').where({ username: 'bob' }).first('id');
  const repo = createPaymentsRepo(site.knex);
  const payment = await repo.findOrCreate({ userId: bob.id, articleId, purpose: 'view', amountSat: 10 });
  expect(payment.status).toBe('pending_invoice');
  const invoice = await site.node.createInvoice({ valueSat: 10, memo: 'cut off' });

  // Inside the row lock: the payment row changes and the invoice row is inserted, then the
  // database goes away before COMMIT.
  const attempt = repo.withLock(payment.id, async (_locked, trx) => {
    expect(
      await trx.attachInvoice(payment.id, {
        paymentHash: invoice.paymentHash,
        paymentRequest: invoice.paymentRequest,
        expiresAt: invoice.expiresAt,
      }),
    ).toBe(true);
    await stopPg();
  });
  await expect(attempt).rejects.toBeDefined();
  await startPg();

  const after = await eventually(async () => {
    try {
      return await site.knex('payments').where({ id: payment.id }).first();
    } catch {
      return undefined;
    }
  }, 'the database to answer again');
  expect(after.status).toBe('pending_invoice');
  expect(after.payment_hash).toBeNull();
  expect(await site.knex('payment_invoices').where({ payment_id: payment.id })).toHaveLength(0);
}, 60_000);
