/**
 * Footnotes written in the editor reach readers: rendered at save time (the stored HTML has them),
 * the preview shows them, the paid body's notes only to readers who paid (the teaser's to everyone),
 * and an edit renders them again.
 */
import request from 'supertest';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, loggedInAgent, csrfFrom, paymentRequestFrom, type TestSite } from '../helpers/site';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site?.close());

const TEASER = 'Why fees stay small[^why].\n\n[^why]: Competition between routes.';
const BODY =
  'Channels are cheap to use[^1]. A second thought[^2], and the first again[^1].\n\n[^1]: Once they are open.\n[^2]: About **liquidity**.';

async function writeForm(agent: Awaited<ReturnType<typeof loggedInAgent>>, fields: Record<string, string>, path = '/write') {
  const form = await agent.get(path);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom(form.text), title: 'Notes on fees', teaser: TEASER, body: BODY, priceSat: '25', ...fields });
}

test('a writer previews and publishes footnotes; they are stored as HTML and shown, the paid ones only after paying', async () => {
  const alice = await loggedInAgent(site.app, 'alice');
  const preview = await writeForm(alice, { intent: 'preview' });
  expect(preview.status).toBe(200);
  expect(preview.text).toMatch(
    /<sup class="footnote-ref"><a href="#fn-[a-z0-9]+-1" id="fnref-[a-z0-9]+-1" aria-label="Footnote 1">1<\/a><\/sup>/,
  );

  const saved = await writeForm(alice, { intent: 'publish' });
  expect(saved.status).toBe(302);
  const id = Number(/\/articles\/(\d+)$/.exec(saved.headers.location)![1]);
  const row = await site.knex('articles').where({ id }).first();
  expect(row.body).toBe(BODY);
  expect(row.body_html).toContain('<section class="footnotes">');
  expect(row.body_html).toContain('About <strong>liquidity</strong>.');
  expect(row.body_html.match(/class="footnote-backref"/g)).toHaveLength(3);
  expect(row.teaser_html).toContain('Competition between routes.');

  // Anyone sees the teaser's note; the body's notes are part of the paid text.
  const anonymous = (await request(site.app).get(`/articles/${id}`)).text;
  expect(anonymous).toContain('Competition between routes.');
  expect(anonymous).not.toContain('Once they are open.');
  const bob = await loggedInAgent(site.app, 'bob');
  const locked = await bob.get(`/articles/${id}`);
  expect(locked.text).not.toContain('Once they are open.');
  expect((await payInvoice(site.devnet.nodes.bob, paymentRequestFrom(locked.text))).status).toBe('SUCCEEDED');
  const paid = (await bob.get(`/articles/${id}?check=true`)).text;
  expect(paid).toContain('Payment received');
  expect(paid).toContain('Once they are open.');
  // Each in-page link has its target on the page, and the teaser's and the body's ids never clash.
  const ids = [...paid.matchAll(/<(?:a|li)[^<>]* id="(fn[^"]+)"/g)].map((m) => m[1]);
  expect(new Set(ids).size).toBe(ids.length);
  for (const [, target] of paid.matchAll(/href="#(fn[^"]+)"/g)) expect(ids).toContain(target);

  // An edit renders them again.
  const edited = await writeForm(alice, { body: 'Now one note[^a].\n\n[^a]: The only one.', intent: 'publish' }, `/articles/${id}/edit`);
  expect(edited.status).toBe(302);
  const after = await site.knex('articles').where({ id }).first();
  expect(after.body_html).toContain('The only one.');
  expect(after.body_html).not.toContain('Once they are open.');
});
