/**
 * Every page type the server renders is valid HTML under html-validate's recommended preset. The few
 * rules relaxed below say why; everything else counts.
 */
import request from 'supertest';
import { HtmlValidate, type Message } from 'html-validate';
import { payInvoice } from '../../src/devnet/pay';
import { startNodesAndWait, startTestSite, loggedInAgent, paymentRequestFrom, type TestSite } from '../helpers/site';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: {
    // Source-formatting rules, not validity: EJS control lines leave whitespace-only lines behind, and
    // `<!doctype html>` in lower case is what the HTML standard itself writes. Neither reaches a reader.
    'doctype-style': 'off',
    'no-trailing-whitespace': 'off',
  },
});

let site: TestSite;
let byAdmin: number[];
let byAlice: number;

beforeAll(async () => {
  site = await startTestSite();
  const ids = async (author: string) =>
    (
      await site.knex('articles as a').join('users as u', 'u.id', 'a.author_id').where('u.username', author).orderBy('a.id').select('a.id')
    ).map((r) => Number(r.id));
  byAdmin = await ids('admin');
  byAlice = (await ids('alice'))[0];
});
afterAll(() => site?.close());

const describe1 = (m: Message) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}${m.selector ? ` (${m.selector})` : ''}`;

/** Asserts `html` has no html-validate error; the failure lists each one with its line and rule. */
async function expectValid(name: string, html: string): Promise<void> {
  const report = await validator.validateString(html, `${name}.html`);
  const problems = report.results.flatMap((r) => r.messages).map(describe1);
  expect(`${name}: ${problems.join('\n')}`).toBe(`${name}: `);
}

test('home, login, sign-up and the not-found page, for a visitor', async () => {
  const agent = request.agent(site.app);
  await expectValid('home', (await agent.get('/').expect(200)).text);
  await expectValid('login', (await agent.get('/login').expect(200)).text);
  await expectValid('signup', (await agent.get('/signup').expect(200)).text);
  await expectValid('not-found', (await agent.get('/nowhere').expect(404)).text);
  await expectValid('article-anonymous', (await agent.get(`/articles/${byAdmin[0]}`).expect(200)).text);
});

test('forms that come back with errors, and the expired-form page', async () => {
  const agent = request.agent(site.app);
  const csrf = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)![1];
  await expectValid(
    'login-error',
    (await agent.post('/login').type('form').send({ username: 'alice', password: 'wrong-password', _csrf: csrf }).expect(401)).text,
  );
  const signup = await agent
    .post('/signup')
    .type('form')
    .send({ username: 'a!', password: 'short', passwordConfirm: 'x', _csrf: csrf })
    .expect(422);
  expect(signup.text).toContain('role="alert"');
  await expectValid('signup-errors', signup.text);
  await expectValid('csrf-error', (await agent.post('/login').type('form').send({ username: 'alice', password: 'x' }).expect(403)).text);
});

test('an article locked, unlocked, and free for its author', async () => {
  const alice = await loggedInAgent(site.app, 'alice');
  await expectValid('home-signed-in', (await alice.get('/').expect(200)).text);
  const locked = (await alice.get(`/articles/${byAdmin[0]}`).expect(200)).text;
  await expectValid('article-locked', locked);
  expect((await payInvoice(site.devnet.nodes.alice, paymentRequestFrom(locked))).status).toBe('SUCCEEDED');
  const unlocked = (await alice.get(`/articles/${byAdmin[0]}?check=true`).expect(200)).text;
  expect(unlocked).toContain('class="article-body"');
  await expectValid('article-unlocked', unlocked);
  await expectValid('article-author', (await alice.get(`/articles/${byAlice}`).expect(200)).text);
});

test('the admin page, a hidden article as the admin sees it, and a reader turned away from /admin', async () => {
  const admin = await loggedInAgent(site.app, 'admin');
  const page = (await admin.get('/admin').expect(200)).text;
  await expectValid('admin', page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
  await admin.post(`/admin/articles/${byAdmin[3]}/hide`).type('form').send({ _csrf: csrf }).expect(302);
  await expectValid('admin-notice', (await admin.get('/admin?notice=done').expect(200)).text);
  await expectValid('article-hidden-admin', (await admin.get(`/articles/${byAdmin[3]}`).expect(200)).text);
  const bob = await loggedInAgent(site.app, 'bob');
  const denied = await bob.get('/admin');
  expect(denied.status).toBeGreaterThanOrEqual(400);
  await expectValid('admin-denied', denied.text);
});

test('the writer pages and the other admin pages', async () => {
  const alice = await loggedInAgent(site.app, 'alice');
  const editor = (await alice.get('/write').expect(200)).text;
  await expectValid('write', editor);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(editor)![1];
  const draft = {
    _csrf: csrf,
    title: 'A draft',
    teaser: 'A *teaser*.',
    body: 'A body with a [link](https://example.com).\n\n- a list',
    priceSat: '50',
  };
  const preview = await alice
    .post('/write')
    .type('form')
    .send({ ...draft, intent: 'preview' })
    .expect(200);
  expect(preview.text).toContain('<em>teaser</em>');
  await expectValid('write-preview', preview.text);
  await expectValid(
    'write-errors',
    (
      await alice
        .post('/write')
        .type('form')
        .send({ ...draft, title: '', intent: 'publish' })
        .expect(422)
    ).text,
  );
  // A scheduled article (issue 14): its edit page, its own page, and Your articles listing it as scheduled.
  const later = new Date(Date.now() + 86_400_000).toISOString().slice(0, 16);
  const scheduled = await alice
    .post('/write')
    .type('form')
    .send({ ...draft, title: 'Later', intent: 'publish', publishAt: later, tzOffset: '0' })
    .expect(302);
  await expectValid('edit-scheduled', (await alice.get(`${scheduled.headers.location}/edit`).expect(200)).text);
  await expectValid('article-scheduled', (await alice.get(scheduled.headers.location).expect(200)).text);
  const mine = (await alice.get('/me/articles').expect(200)).text;
  expect(mine).toContain('Scheduled for');
  await expectValid('my-articles', mine);
  // A writer page with a profile (issue 14), and the account page's profile form refused.
  await site.knex('users').where({ username: 'alice' }).update({ display_name: 'Alice L.', bio: 'Two lines.\nOf bio.' });
  await expectValid('writer-page', (await alice.get('/writers/alice').expect(200)).text);
  await expectValid(
    'profile-errors',
    (
      await alice
        .post('/account/profile')
        .type('form')
        .send({ _csrf: csrf, displayName: 'x'.repeat(61), bio: 'ok' })
        .expect(422)
    ).text,
  );
  // Personal API tokens (src/api/): the list, and the page that shows a new token once.
  const tokens = (await alice.get('/me/tokens').expect(200)).text;
  await expectValid('api-tokens', tokens);
  await expectValid(
    'api-token-created',
    (await alice.post('/me/tokens').type('form').send({ _csrf: csrf, label: 'a script' }).expect(201)).text,
  );
  await expectValid('api-tokens-listed', (await alice.get('/me/tokens').expect(200)).text);
  const admin = await loggedInAgent(site.app, 'admin');
  for (const path of ['/admin/dashboard', '/admin/audit', '/admin/users']) {
    await expectValid(path, (await admin.get(path).expect(200)).text);
  }
});

test('search, a tag page and its results, with covers, tags and Unlocked marks (issue 14)', async () => {
  await site
    .knex('articles')
    .where({ id: byAdmin[0] })
    .update({ tags: ['essays', 'lightning'] });
  const alice = await loggedInAgent(site.app, 'alice');
  for (const path of ['/search', '/search?q=liquidity', '/search?q=zzznothing', '/search?q=the', '/tags/essays', '/tags/nothing-here']) {
    await expectValid(path, (await alice.get(path).expect(200)).text);
  }
  await expectValid('phone-menu-header-anonymous', (await request(site.app).get('/tags/essays').expect(200)).text);
});

test('the page that says payments are unavailable', async () => {
  const bob = await loggedInAgent(site.app, 'bob');
  await site.devnet.stopNodes();
  try {
    const res = await bob.get(`/articles/${byAdmin[1]}`).expect(503);
    expect(res.text).toContain('Payments are unavailable right now');
    await expectValid('article-unavailable', res.text);
  } finally {
    // The next tests need the node answering again.
    await startNodesAndWait(site);
  }
});

test('the Lightning login and account pages', async () => {
  const visitor = request.agent(site.app);
  const login = await visitor.get('/login').expect(200);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1];
  await expectValid(
    'node-login-error',
    (await visitor.post('/login/node').type('form').send({ signature: 'nope', _csrf: csrf }).expect(400)).text,
  );
  await expectValid('wallet-login', (await visitor.get('/login/wallet').expect(200)).text);
  await expectValid('wallet-login-not-yet', (await visitor.post('/login/wallet').type('form').send({ _csrf: csrf }).expect(409)).text);
  const alice = await loggedInAgent(site.app, 'alice');
  await expectValid('account', (await alice.get('/account').expect(200)).text);
  await expectValid('account-link-wallet', (await alice.get('/account/link/wallet').expect(200)).text);
  await expectValid('library', (await alice.get('/account/library').expect(200)).text);
  await expectValid('delete-account', (await alice.get('/account/delete').expect(200)).text);
});

test('the upvote paid inline: its invoice panel on the article page, a refused amount, and an article with footnotes (issue 14)', async () => {
  const alice = await loggedInAgent(site.app, 'alice');
  // alice paid for byAdmin[0] above; pay again here only if this test runs alone.
  let page = (await alice.get(`/articles/${byAdmin[0]}`).expect(200)).text;
  if (!page.includes('Upvote this article')) {
    expect((await payInvoice(site.devnet.nodes.alice, paymentRequestFrom(page))).status).toBe('SUCCEEDED');
    page = (await alice.get(`/articles/${byAdmin[0]}?check=true`).expect(200)).text;
  }
  await expectValid('article-upvote-form', page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1];
  const refused = await alice.post(`/articles/${byAdmin[0]}/upvote`).type('form').send({ _csrf: csrf, customSat: '3' }).expect(303);
  const refusedPage = (await alice.get(refused.headers.location).expect(200)).text;
  expect(refusedPage).toContain('id="upvote-error"');
  await expectValid('article-upvote-refused', refusedPage);
  const started = await alice.post(`/articles/${byAdmin[0]}/upvote`).type('form').send({ _csrf: csrf, amountSat: '100' }).expect(303);
  const panel = (await alice.get(started.headers.location).expect(200)).text;
  expect(panel).toContain('Pay your upvote');
  await expectValid('article-upvote-panel', panel);

  const editor = (await alice.get('/write').expect(200)).text;
  const saved = await alice
    .post('/write')
    .type('form')
    .send({
      _csrf: /name="_csrf" value="([^"]+)"/.exec(editor)![1],
      title: 'With notes',
      teaser: 'A teaser with a note[^1].\n\n[^1]: In the teaser.',
      body: 'A body with a note[^1] and another[^2], the first again[^1].\n\n[^1]: The first.\n[^2]: The second.',
      priceSat: '50',
      intent: 'publish',
    })
    .expect(302);
  const footnotes = (await alice.get(saved.headers.location).expect(200)).text;
  expect(footnotes.match(/class="footnotes"/g)).toHaveLength(2);
  await expectValid('article-footnotes', footnotes);
});
