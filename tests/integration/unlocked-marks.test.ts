/**
 * A reader sees "Unlocked" on every article she has paid for, in lists (home, a writer's page, a
 * tag, search) and on the article page, and the price on the others; other readers see prices.
 * The invoice panel says "I've paid – check" and, without JavaScript, promises no automatic unlock.
 */
import request from 'supertest';
import { startTestSite, loggedInAgent, type TestSite } from '../helpers/site';
import { adminArticles, recordPaidView } from '../helpers/db-probes';

let site: TestSite;
let paid: { id: number; price_sat: number; title: string };
let unpaid: { id: number; price_sat: number; title: string };

beforeAll(async () => {
  site = await startTestSite();
  [paid, unpaid] = await adminArticles(site.knex);
  await site
    .knex('articles')
    .where({ id: paid.id })
    .update({ tags: ['marked'] });
  await site
    .knex('articles')
    .where({ id: unpaid.id })
    .update({ tags: ['marked'] });
  const alice = await site.knex('users').where({ username: 'alice' }).first('id');
  await recordPaidView(site.knex, Number(alice.id), paid, 'ab');
});
afterAll(() => site.close());

/** The card of `title` in a list page's HTML. */
function card(html: string, title: string): string {
  const cards = html.split('<li class="article-card">').slice(1);
  const found = cards.find((c) => c.includes(`>${title}</a></h2>`));
  if (!found) throw new Error(`no card for ${title}`);
  return found;
}

test('in every list, the reader who paid sees Unlocked on that article and the price on the others', async () => {
  const alice = await loggedInAgent(site.app, 'alice');
  for (const path of ['/', '/writers/admin', '/tags/marked']) {
    const html = (await alice.get(path)).text;
    expect(card(html, paid.title)).toContain('<span class="unlocked-mark">Unlocked</span>');
    expect(card(html, unpaid.title)).not.toContain('unlocked-mark');
    expect(card(html, unpaid.title)).toContain('<span class="price">');
  }
  const search = (await alice.get(`/search?q=${encodeURIComponent(paid.title)}`)).text;
  expect(card(search, paid.title)).toContain('Unlocked');
});

test('another reader, and an anonymous visitor, see prices only', async () => {
  const bob = await loggedInAgent(site.app, 'bob');
  for (const html of [(await bob.get('/')).text, (await request(site.app).get('/')).text]) {
    expect(card(html, paid.title)).not.toContain('unlocked-mark');
  }
});

test('the article page says Unlocked to the reader who paid, and the invoice panel to the one who has not', async () => {
  const alice = await loggedInAgent(site.app, 'alice');
  const page = (await alice.get(`/articles/${paid.id}`)).text;
  expect(page).toContain('<span class="unlocked-mark">Unlocked</span>');
  expect(page).not.toContain('Payment received');
  // After a live unlock the script re-renders with ?paid=live: the confirmation shows.
  expect((await alice.get(`/articles/${paid.id}?paid=live`)).text).toContain('Payment received. Thank you, enjoy the article!');
  const panel = (await alice.get(`/articles/${unpaid.id}`)).text;
  expect(panel).not.toContain('unlocked-mark');
  expect(panel).toContain("I've paid – check");
  expect(panel).not.toContain('>Complete<');
  // Without JavaScript the visible text asks the reader to check; the live promise is hidden until the script shows it.
  expect(panel).toContain('<span data-live-only hidden>The article appears here as soon as the payment arrives.</span>');
  expect(panel).toContain("<span data-no-live>Once your wallet says the payment is sent, press “I've paid – check”.</span>");
  // "Open in wallet" comes before the QR code in the page (first on a phone).
  expect(panel.indexOf('Open in wallet')).toBeLessThan(panel.indexOf('QR code of the Lightning invoice'));
});
