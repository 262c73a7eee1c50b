/**
 * The admin pages an admin uses on a phone (issue 14): the moderation page with flagged articles as
 * cards (hide straight from one) and a compact "Hide…" per article row; the users page listing and
 * searching every user, paged, its actions returning to the same listing; the dashboard chart with
 * units and thousands separators, and only articles that earned something in its top list.
 */
import { startTestSite, loggedInAgent, csrfFrom, type TestSite } from '../helpers/site';
import { recordPaidView } from '../helpers/db-probes';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

type Agent = Awaited<ReturnType<typeof loggedInAgent>>;
const post = async (agent: Agent, path: string, fields: Record<string, string>) =>
  agent
    .post(path)
    .type('form')
    .send({ _csrf: csrfFrom((await agent.get('/')).text), ...fields });

test('a flagged article is hidden straight from its card; every other row has one compact Hide…', async () => {
  const bob = await site.knex('users').where({ username: 'bob' }).first('id');
  const target = await site.knex('articles').where({ status: 'published' }).orderBy('id').first('id', 'title');
  await site.knex('article_flags').insert({ article_id: target.id, user_id: bob.id, reason: 'Looks like spam' });
  const admin = await loggedInAgent(site.app, 'admin');
  const page = (await admin.get('/admin')).text;
  const card = page.split('<li class="flagged-article">')[1].split('</li>\n      \n    </ul>')[0];
  expect(card).toContain('“Looks like spam”');
  expect(card).toContain(`action="/admin/articles/${target.id}/hide"`);
  expect(card).toContain(`Hide<span class="visually-hidden"> “${target.title}”</span>`);
  expect(card).toContain(`action="/admin/articles/${target.id}/dismiss-flags"`);
  // The table: each published article's hide form behind its own closed <details>.
  const table = page.split('<tbody>')[1].split('</tbody>')[0];
  const published = await site.knex('articles').where({ status: 'published' }).count('* as n').first();
  expect(table.match(/<details class="row-action">/g)).toHaveLength(Number(published!.n));
  expect(table).not.toMatch(/<details class="row-action" open/);
  expect(table).toContain('data-label="Revenue"');

  const res = await post(admin, `/admin/articles/${target.id}/hide`, { reason: 'Spam or advertising' });
  expect(res.status).toBe(302);
  expect((await admin.get('/admin')).text).toContain(`“${target.title}” was hidden.`);
  expect(await site.knex('articles').where({ id: target.id }).first()).toMatchObject({
    status: 'deleted by admin',
    hidden_reason: 'Spam or advertising',
  });
});

test('the users page lists and searches every user, not only admins, 50 to a page, and acts without losing its place', async () => {
  await site
    .knex('users')
    .insert(
      Array.from({ length: 60 }, (_, i) => ({ username: `reader_${String(i).padStart(2, '0')}`, password_hash: 'x', role: 'reader' })),
    );
  const admin = await loggedInAgent(site.app, 'admin');
  const all = (await admin.get('/admin/users')).text;
  const total = Number((await site.knex('users').count('* as n').first())!.n);
  expect(all).toContain(`1–50 of ${total.toLocaleString('en-US')} users, by name`);
  expect(all).toContain('data-user="alice"');
  expect(all).toContain('data-user="admin"');
  expect(all).toContain('Make admin<span class="visually-hidden">: alice</span>');
  expect(all).toContain('href="/admin/users?page=2" rel="next"');
  const second = (await admin.get('/admin/users?page=2')).text;
  expect(second).toContain(`51–${total} of ${total} users`);
  expect(second).not.toContain('data-user="alice"');

  const found = (await admin.get('/admin/users?q=READER_0')).text;
  expect(found).toContain('1–10 of 10 users matching “READER_0”');
  expect(found.match(/data-user="/g)).toHaveLength(10);
  // LIKE's own characters are searched as themselves.
  expect((await admin.get('/admin/users?q=%25')).text).toContain('No user has “%” in their name.');
  expect((await admin.get('/admin/users?q=_')).text).toContain('matching “_”');

  const res = await post(admin, '/admin/users/role', { username: 'reader_07', role: 'admin', q: 'reader_0', page: '1' });
  expect(res.headers.location).toBe('/admin/users?q=reader_0');
  const back = (await admin.get(res.headers.location)).text;
  expect(back).toContain('reader_07 is now an admin.');
  expect(back).toContain('Take the admin role<span class="visually-hidden"> from reader_07</span>');
  expect((await site.knex('users').where({ username: 'reader_07' }).first()).role).toBe('admin');
  // Junk in the query is an empty search on page 1, never an error.
  expect((await admin.get('/admin/users?page=-3&q=')).status).toBe(200);
  expect((await admin.get('/admin/users?page=999999')).status).toBe(200);
});

test('the dashboard chart labels its axis in sats with thousands separators; the top list has only articles that earned', async () => {
  const alice = await site.knex('users').where({ username: 'alice' }).first('id');
  const [earning, idle] = await site.knex('articles').where({ status: 'published' }).orderBy('id', 'desc').limit(2).select('id', 'title');
  await site.knex('articles').where({ id: earning.id }).update({ price_sat: 1250 });
  await recordPaidView(site.knex, alice.id, { id: earning.id, price_sat: 1250 }, 'e1');
  await site.knex('articles').where({ id: idle.id }).update({ revenue_sat: 0 });
  const admin = await loggedInAgent(site.app, 'admin');
  const page = (await admin.get('/admin/dashboard')).text;
  expect(page).toMatch(/<svg [^>]*class="chart chart-wide"/);
  expect(page).toMatch(/<svg [^>]*class="chart chart-narrow"/);
  expect(page).toMatch(/>[\d,]+ sats<\/text>/);
  expect(page).toContain('>0 sats</text>');
  const top = page.split('id="articles-heading"')[1];
  expect(top).toContain(`data-article-id="${earning.id}"`);
  expect(top).not.toContain(`data-article-id="${idle.id}"`);
});
