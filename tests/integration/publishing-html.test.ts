/**
 * The publishing pages (writer form with preview, your articles, a writer's page, the upvote panel,
 * the admin pages with flags, chart and audit log) are valid HTML under html-validate's recommended
 * preset, with the same two source-formatting rules relaxed as the core pages' check.
 */
import request from 'supertest';
import { HtmlValidate, type Message } from 'html-validate';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, loggedInAgent, csrfFrom, paymentRequestFrom, type TestSite } from '../helpers/site';
import { adminArticles } from '../helpers/db-probes';

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: { 'doctype-style': 'off', 'no-trailing-whitespace': 'off' },
});

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site?.close());

const describe1 = (m: Message) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}${m.selector ? ` (${m.selector})` : ''}`;
async function expectValid(name: string, html: string): Promise<void> {
  const report = await validator.validateString(html, `${name}.html`);
  expect(
    `${name}: ${report.results
      .flatMap((r) => r.messages)
      .map(describe1)
      .join('\n')}`,
  ).toBe(`${name}: `);
}

test('writer pages are valid HTML', async () => {
  const bob = await loggedInAgent(site.app, 'bob');
  const form = await bob.get('/write');
  await expectValid('write', form.text);
  const fields = {
    title: 'A *title*',
    teaser: 'Teaser with [a link](https://example.com)',
    body: '# Heading\n\n- a\n- b\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |',
    priceSat: '100',
  };
  await expectValid(
    'write-preview',
    (
      await bob
        .post('/write')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), ...fields, intent: 'preview' })
    ).text,
  );
  await expectValid(
    'write-errors',
    (
      await bob
        .post('/write')
        .type('form')
        .send({ _csrf: csrfFrom(form.text), intent: 'publish' })
    ).text,
  );
  const saved = await bob
    .post('/write')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...fields, intent: 'draft' });
  await expectValid('draft', (await bob.get(saved.headers.location)).text);
  await expectValid('edit', (await bob.get(`${saved.headers.location}/edit`)).text);
  await expectValid('mine', (await bob.get('/me/articles')).text);
  await expectValid('writer-page', (await request(site.app).get('/writers/bob')).text);
  await expectValid('home-top', (await request(site.app).get('/?sort=top')).text);
});

test('the upvote panel and the admin pages are valid HTML', async () => {
  const [article] = await adminArticles(site.knex);
  const alice = await loggedInAgent(site.app, 'alice');
  const locked = await alice.get(`/articles/${article.id}`);
  await payInvoice(site.devnet.nodes.alice, paymentRequestFrom(locked.text));
  const unlocked = await alice.get(`/articles/${article.id}?check=true`);
  await expectValid('article-with-upvote-and-report', unlocked.text);
  await alice
    .post(`/articles/${article.id}/flag`)
    .type('form')
    .send({ _csrf: csrfFrom(unlocked.text), reason: 'Needs a look' });
  const started = await alice
    .post(`/articles/${article.id}/upvote`)
    .type('form')
    .send({ _csrf: csrfFrom(unlocked.text), amountSat: '20' });
  await expectValid('upvote-panel', (await alice.get(started.headers.location)).text);

  const admin = await loggedInAgent(site.app, 'admin');
  const page = await admin.get('/admin');
  await expectValid('admin-moderation', page.text);
  await admin
    .post(`/admin/articles/${article.id}/hide`)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), reason: 'Spam or advertising' });
  await expectValid('admin-dashboard', (await admin.get('/admin/dashboard')).text);
  await expectValid('admin-audit', (await admin.get('/admin/audit')).text);
  await expectValid('admin-users', (await admin.get('/admin/users')).text);
});
