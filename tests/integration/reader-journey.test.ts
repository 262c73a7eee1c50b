import request from 'supertest';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, loggedInAgent, articleBody, paymentRequestFrom, type TestSite } from '../helpers/site';
import { adminArticles } from '../helpers/db-probes';

let site: TestSite;
let articleId: number;
let articleBodyText: string;

beforeAll(async () => {
  site = await startTestSite();
  // An article by the admin, so neither alice nor bob reads it free as its author.
  const [article] = await adminArticles(site.knex);
  articleId = article.id;
  articleBodyText = String(article.body).split('\n\n')[0].slice(0, 60);
});
afterAll(() => site.close());

const paymentsOf = (username: string) =>
  site
    .knex('payments as p')
    .join('users as u', 'u.id', 'p.user_id')
    .where({ 'u.username': username, 'p.article_id': articleId })
    .select('p.*');

describe('a reader paying for an article', () => {
  test('an anonymous visitor sees the title and teaser and a prompt to log in, and no payment is made', async () => {
    const res = await request(site.app).get(`/articles/${articleId}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Log in to read');
    expect(res.text).toContain(`/login?next=${encodeURIComponent(`/articles/${articleId}`)}`);
    expect(articleBody(res.text)).toBeNull();
    expect(res.text).not.toContain(articleBodyText);
    expect(await site.knex('payments').where({ article_id: articleId }).count('* as n').first()).toEqual({ n: 0 });
  });

  test('logging in from the prompt brings the reader back to the article', async () => {
    const agent = request.agent(site.app);
    const page = await agent.get(`/login?next=/articles/${articleId}`);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    expect(page.text).toContain(`name="next" value="/articles/${articleId}"`);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ username: 'bob', password: 'bob-password', _csrf: csrf, next: `/articles/${articleId}` });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`/articles/${articleId}`);
  });

  test('alice opens the article, pays the invoice from her devnet wallet, presses Complete and reads it', async () => {
    const agent = await loggedInAgent(site.app, 'alice');

    const first = await agent.get(`/articles/${articleId}`);
    expect(first.status).toBe(200);
    expect(articleBody(first.text)).toBeNull();
    const pr = paymentRequestFrom(first.text);
    expect(first.text).toContain("I've paid – check");
    let [payment] = await paymentsOf('alice');
    expect(payment).toMatchObject({ status: 'pending_payment', purpose: 'view', payment_request: pr });
    expect(payment.payment_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(payment.invoice_expires_at.getTime()).toBeGreaterThan(Date.now());

    // The invoice on the node carries the price and a memo naming the site, the article and the reader.
    const invoice = await site.node.lookupInvoice(payment.payment_hash);
    expect(invoice.valueSat).toBe(payment.amount_sat);
    expect(invoice.memo).toContain('Test Reads');
    expect(invoice.memo).toContain(`#${articleId}`);
    expect(invoice.memo).toContain('alice');

    // Opening the page again shows the same invoice instead of making a new one.
    const again = await agent.get(`/articles/${articleId}`);
    expect(paymentRequestFrom(again.text)).toBe(pr);

    const paid = await payInvoice(site.devnet.nodes.alice, pr);
    expect(paid.status).toBe('SUCCEEDED');

    const done = await agent.get(`/articles/${articleId}?check=true`);
    expect(done.status).toBe(200);
    expect(done.text).toContain('Payment received');
    expect(articleBody(done.text)).toContain(articleBodyText);
    [payment] = await paymentsOf('alice');
    expect(payment).toMatchObject({ status: 'complete', amount_paid_sat: payment.amount_sat });
    expect(payment.settled_at).toBeInstanceOf(Date);

    // Later visits render the article without asking the node again.
    const later = await agent.get(`/articles/${articleId}`);
    expect(articleBody(later.text)).toContain(articleBodyText);

    // The home page counts one paid view.
    const home = await request(site.app).get('/');
    const card = home.text.split('<li class="article-card">').find((c) => c.includes(`/articles/${articleId}"`))!;
    expect(card).toContain('1 paid view');
  });

  test('bob is still locked out of what alice paid for', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const res = await bob.get(`/articles/${articleId}?check=true`);
    expect(res.status).toBe(200);
    expect(articleBody(res.text)).toBeNull();
    expect(res.text).not.toContain(articleBodyText);
    const [bobs] = await paymentsOf('bob');
    const [alices] = await paymentsOf('alice');
    expect(bobs.status).toBe('pending_payment');
    expect(bobs.payment_hash).not.toBe(alices.payment_hash);
    expect(paymentRequestFrom(res.text)).not.toBe(alices.payment_request);
  });

  test('pressing Complete before paying leaves the payment pending and says so', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const res = await bob.get(`/articles/${articleId}?check=true`);
    expect(res.text).toContain('We have not received the payment yet');
    expect(articleBody(res.text)).toBeNull();
    const rows = await paymentsOf('bob');
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('pending_payment');
  });

  test('an author reads their own article free, without a payment', async () => {
    const own = await site
      .knex('articles as a')
      .join('users as u', 'u.id', 'a.author_id')
      .where('u.username', 'bob')
      .select('a.id')
      .first();
    const bob = await loggedInAgent(site.app, 'bob');
    const res = await bob.get(`/articles/${own.id}`);
    expect(res.text).toContain('You wrote this article');
    expect(articleBody(res.text)).not.toBeNull();
    expect(await site.knex('payments').where({ article_id: own.id }).count('* as n').first()).toEqual({ n: 0 });
  });
});
