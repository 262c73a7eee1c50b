import request from 'supertest';
import { payInvoice } from '../../src/devnet/pay';
import { createPaymentsRepo } from '../../src/payments/payments-repo';
import { startTestSite, loggedInAgent, csrfFrom, paymentRequestFrom, type TestSite } from '../helpers/site';
import { eventually, listen, loginCookie, openSse } from '../helpers/http';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let articleId: number;
beforeAll(async () => {
  site = await startTestSite();
  articleId = (await adminArticles(site.knex))[0].id;
});
afterAll(() => site.close());

type Agent = Awaited<ReturnType<typeof loggedInAgent>>;
const userId = async (username: string) => (await site.knex('users').where({ username }).first()).id as number;

async function payToRead(agent: Agent, who: 'alice' | 'bob') {
  const page = await agent.get(`/articles/${articleId}`);
  expect((await payInvoice(site.devnet.nodes[who], paymentRequestFrom(page.text))).status).toBe('SUCCEEDED');
  const done = await agent.get(`/articles/${articleId}?check=true`);
  expect(done.text).toContain('Payment received');
  return done;
}

async function upvote(agent: Agent, amountSat: string) {
  const csrf = csrfFrom((await agent.get(`/articles/${articleId}`)).text);
  return agent.post(`/articles/${articleId}/upvote`).type('form').send({ _csrf: csrf, amountSat });
}

describe('paid upvotes', () => {
  test('a reader who has not paid sees no upvote form and cannot upvote', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const page = await bob.get(`/articles/${articleId}`);
    expect(page.text).not.toContain('Upvote this article');
    const res = await bob
      .post(`/articles/${articleId}/upvote`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), amountSat: '50' });
    expect((await bob.get(res.headers.location)).text).toContain('Only readers who have paid for an article can upvote it.');
    expect(await site.knex('payments').where({ article_id: articleId, purpose: 'upvote' }).count('* as n').first()).toEqual({ n: 0 });
  });

  test('alice pays to read, zaps 50 sats inline: the same article page shows the invoice, then "Upvote received", and the counters and the ledger move', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const read = await payToRead(alice, 'alice');
    expect(read.text).toContain('Upvote this article');
    expect(read.text).toContain('name="amountSat" value="100"');
    const before = await site.knex('articles').where({ id: articleId }).first();

    // Without JavaScript: the form posts, and the reader is back on the article page with the panel where the form was.
    const res = await upvote(alice, '50');
    expect(res.status).toBe(303);
    const [payment] = await site.knex('payments').where({ article_id: articleId, purpose: 'upvote', user_id: await userId('alice') });
    expect(payment).toMatchObject({ status: 'pending_payment', amount_sat: 50 });
    expect(res.headers.location).toBe(`/articles/${articleId}?upvote=${payment.id}#upvote`);

    const panel = await alice.get(res.headers.location);
    expect(panel.status).toBe(200);
    // The article itself, still readable, with the upvote's invoice panel in it.
    expect(panel.text).toContain('class="article-body"');
    expect(panel.text).toContain('Pay your upvote');
    expect(panel.text).not.toContain('Payment received');
    expect(panel.text).toContain(`data-events-url="/articles/${articleId}/events?payment=${payment.id}"`);
    expect(panel.text).toContain(`data-page-url="/articles/${articleId}?upvote=${payment.id}"`);
    expect(panel.text).toContain(`action="/articles/${articleId}#upvote"`);
    expect(panel.text).toContain(`<input type="hidden" name="upvote" value="${payment.id}">`);
    expect(panel.text).toContain("I've paid – check");
    const pr = paymentRequestFrom(panel.text);
    expect(pr).toBe(payment.payment_request);
    const invoice = await site.node.lookupInvoice(payment.payment_hash);
    expect(invoice.valueSat).toBe(50);
    expect(invoice.memo).toContain('upvote');

    // Checking before paying says so, and changes nothing.
    const early = await alice.get(`/articles/${articleId}?upvote=${payment.id}&check=true`);
    expect(early.text).toContain('We have not received the payment yet.');
    expect((await site.knex('payments').where({ id: payment.id }).first()).status).toBe('pending_payment');

    expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
    // What the "I've paid – check" form sends.
    const done = await alice.get(`/articles/${articleId}?upvote=${payment.id}&check=true`);
    expect(done.text).toContain('Upvote received: 50 sats.');
    expect(done.text).not.toContain('Pay your upvote');
    expect(done.text).toContain('Upvote this article'); // the form again, for another zap
    expect(done.text).toContain('1 upvote (50 sats)'); // the counters this upvote moved, on the page that confirms it
    expect(await site.knex('payments').where({ id: payment.id }).first()).toMatchObject({ status: 'complete', amount_paid_sat: 50 });
    const after = await site.knex('articles').where({ id: articleId }).first();
    expect(after.upvotes_count).toBe(before.upvotes_count + 1);
    expect(after.upvote_sats).toBe(before.upvote_sats + 50);
    expect(after.revenue_sat).toBe(before.revenue_sat + 50);
    expect(after.views_count).toBe(before.views_count);
    // The ledger credits the writer and the site's fee in the same transaction: 50 sats in all.
    const entries = await site.knex('ledger_entries').where({ payment_id: payment.id }).orderBy('kind');
    expect(entries.map((e) => [e.kind, e.user_id === null ? null : Number(e.user_id), Number(e.amount_sat)])).toEqual([
      ['earning', Number(after.author_id), 45],
      ['site_fee', null, 5],
    ]);
    // The page cache hears of the change through the database's notice, a moment after the commit.
    await eventually(
      async () => ((await request(site.app).get(`/articles/${articleId}`)).text.includes('1 upvote (50 sats)') ? true : undefined),
      'the page to count the upvote',
    );
    // The old upvote page's address still leads there.
    const old = await alice.get(`/articles/${articleId}/upvotes/${payment.id}`);
    expect(old.status).toBe(301);
    expect(old.headers.location).toBe(`/articles/${articleId}?upvote=${payment.id}#upvote`);
    expect((await alice.get(old.headers.location)).text).toContain('Upvote received: 50 sats.');
  });

  test('each upvote is its own payment, settled by the invoice watcher path too (applyInvoiceUpdate), and sent live to its panel', async () => {
    const http = await listen(site.app);
    try {
      const alice = await loggedInAgent(site.app, 'alice');
      const res = await upvote(alice, '75');
      const payment = await site.knex('payments').where({ purpose: 'upvote', amount_sat: 75 }).first();
      const cookie = await loginCookie(http.baseUrl, 'alice');
      const stream = await openSse(`${http.baseUrl}/articles/${articleId}/events?payment=${payment.id}`, cookie);
      const viewStream = await openSse(`${http.baseUrl}/articles/${articleId}/events`, cookie);
      try {
        expect(stream.status).toBe(200);
        const pr = paymentRequestFrom((await alice.get(res.headers.location)).text);
        expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
        // What the invoice watcher does when the node's stream reports the settlement.
        expect(await site.payments.applyInvoiceUpdate(await site.node.lookupInvoice(payment.payment_hash))).toBe(true);
        const event = await stream.next('complete');
        expect(JSON.parse(event.data)).toEqual({ articleId, paymentId: payment.id });
        // The article's own stream (for its view payment) reports the view payment, not the upvote.
        const viewEvent = await viewStream.next('complete');
        expect(JSON.parse(viewEvent.data).paymentId).not.toBe(payment.id);
      } finally {
        stream.close();
        viewStream.close();
      }
      const rows = await site
        .knex('payments')
        .where({ article_id: articleId, user_id: await userId('alice'), purpose: 'upvote' })
        .orderBy('id');
      expect(rows.map((r) => [r.amount_sat, r.status])).toEqual([
        [50, 'complete'],
        [75, 'complete'],
      ]);
      expect((await site.knex('articles').where({ id: articleId }).first()).upvote_sats).toBe(125);
    } finally {
      await http.close();
    }
  });

  test('an upvote below the minimum or not a whole number is refused', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const count = await site.knex('payments').where({ purpose: 'upvote' }).count('* as n').first();
    for (const amount of ['9', '0', '12.5', 'lots', '']) {
      const res = await upvote(alice, amount);
      expect(res.headers.location).toBe(`/articles/${articleId}#upvote`);
      const page = await alice.get(res.headers.location);
      // Next to the amount field, not at the top of the page.
      expect(page.text).toMatch(/<p id="upvote-error" class="field-error" role="alert">An upvote is a whole number of sats from 10 to/);
      expect(page.text).toContain('aria-describedby="upvote-error"');
    }
    expect(await site.knex('payments').where({ purpose: 'upvote' }).count('* as n').first()).toEqual(count);
  });

  test("nobody else can see a reader's upvote panel: another id shows the plain article page", async () => {
    const payment = await site.knex('payments').where({ purpose: 'upvote' }).first();
    const bob = await loggedInAgent(site.app, 'bob');
    const page = await bob.get(`/articles/${articleId}?upvote=${payment.id}&check=true`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(payment.payment_request);
    expect(page.text).not.toContain('Upvote received');
    const view = await site.knex('payments').where({ purpose: 'view', status: 'complete' }).first();
    const owner = await site.knex('users').where({ id: view.user_id }).first();
    const own = await (await loggedInAgent(site.app, owner.username)).get(`/articles/${view.article_id}?upvote=${view.id}`);
    expect(own.status).toBe(200);
    expect(own.text).not.toContain('Pay your upvote');
    expect(own.text).not.toContain('Upvote received');
  });

  test('one view payment per reader and article stays a fact of the database; upvotes are many', async () => {
    const alice = await userId('alice');
    const dup = site
      .knex('payments')
      .insert({ user_id: alice, article_id: articleId, purpose: 'view', status: 'pending_invoice', amount_sat: 10 });
    await expect(dup).rejects.toThrow(/payments_one_view_per_reader_article/);
    const repo = createPaymentsRepo(site.knex);
    const [a, b] = await Promise.all([
      repo.createUpvote({ userId: alice, articleId, amountSat: 20 }),
      repo.createUpvote({ userId: alice, articleId, amountSat: 20 }),
    ]);
    expect(a.id).not.toBe(b.id);
    const views = await Promise.all(
      Array.from({ length: 5 }, () => repo.findOrCreate({ userId: alice, articleId, purpose: 'view', amountSat: 1 })),
    );
    expect(new Set(views.map((v) => v.id)).size).toBe(1);
  });
});
