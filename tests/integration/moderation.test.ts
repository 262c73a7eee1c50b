import request from 'supertest';
import { startTestSite, loggedInAgent, csrfFrom, type TestSite } from '../helpers/site';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite();
});
afterAll(() => site.close());

type Agent = Awaited<ReturnType<typeof loggedInAgent>>;
const post = async (agent: Agent, path: string, fields: Record<string, string> = {}) => {
  const csrf = csrfFrom((await agent.get('/')).text);
  return agent
    .post(path)
    .type('form')
    .send({ _csrf: csrf, ...fields });
};
const articleBy = (username: string) =>
  site
    .knex('articles as a')
    .join('users as u', 'u.id', 'a.author_id')
    .where({ 'u.username': username, 'a.status': 'published' })
    .orderBy('a.id')
    .first('a.*');
const logOf = (articleId: number) => site.knex('moderation_log').where({ article_id: articleId }).orderBy('id');

describe('hiding and restoring with a reason', () => {
  test('readers cannot hide, restore, dismiss flags or see the audit log', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const target = await articleBy('bob');
    for (const path of [
      `/admin/articles/${target.id}/hide`,
      `/admin/articles/${target.id}/restore`,
      `/admin/articles/${target.id}/dismiss-flags`,
      '/admin/users/role',
    ]) {
      expect((await post(alice, path, { username: 'alice', role: 'admin' })).status).toBe(403);
    }
    for (const path of ['/admin/audit', '/admin/dashboard', '/admin/users']) expect((await alice.get(path)).status).toBe(403);
    expect((await site.knex('articles').where({ id: target.id }).first()).status).toBe('published');
    expect(await logOf(target.id)).toEqual([]);
    expect((await site.knex('users').where({ username: 'alice' }).first()).role).toBe('reader');
  });

  test('an admin hides an article with a reason; the writer sees it was hidden and why; the audit log says who, what, when, why', async () => {
    const admin = await loggedInAgent(site.app, 'admin');
    const target = await articleBy('bob');
    const res = await post(admin, `/admin/articles/${target.id}/hide`, { reason: 'Plagiarism', note: 'copied from a blog' });
    expect(res.status).toBe(302);
    const row = await site.knex('articles').where({ id: target.id }).first();
    expect(row).toMatchObject({ status: 'deleted by admin', hidden_reason: 'Plagiarism: copied from a blog' });
    const [entry] = await logOf(target.id);
    const adminId = (await site.knex('users').where({ username: 'admin' }).first()).id;
    expect(entry).toMatchObject({ actor_id: adminId, action: 'hide', reason: 'Plagiarism: copied from a blog' });
    expect(entry.created_at).toBeInstanceOf(Date);

    expect((await request(site.app).get(`/articles/${target.id}`)).status).toBe(404);
    const bob = await loggedInAgent(site.app, 'bob');
    const own = await bob.get(`/articles/${target.id}`);
    expect(own.status).toBe(200);
    expect(own.text).toContain('This article is hidden by an admin; readers cannot see it. Reason: Plagiarism: copied from a blog');
    const mine = await bob.get('/me/articles');
    expect(mine.text).toContain('hidden by an admin: Plagiarism: copied from a blog');

    const audit = await admin.get('/admin/audit');
    const line = audit.text.split('<tr data-action="hide">')[1];
    expect(line).toContain('admin');
    expect(line).toContain(`href="/articles/${target.id}"`);
    expect(line).toContain('Plagiarism: copied from a blog');
    expect(line).toContain(entry.created_at.toISOString());
  });

  test('restoring publishes it again, clears the reason and is logged; doing it twice changes nothing', async () => {
    const admin = await loggedInAgent(site.app, 'admin');
    const target = await site.knex('articles').where({ status: 'deleted by admin' }).first();
    await post(admin, `/admin/articles/${target.id}/restore`, { note: 'the writer showed the source' });
    const again = await post(admin, `/admin/articles/${target.id}/restore`);
    expect((await admin.get(again.headers.location)).text).toContain('was already restored');
    expect(await site.knex('articles').where({ id: target.id }).first()).toMatchObject({ status: 'published', hidden_reason: null });
    expect((await logOf(target.id)).map((e) => [e.action, e.reason])).toEqual([
      ['hide', 'Plagiarism: copied from a blog'],
      ['restore', 'Reviewed and restored: the writer showed the source'],
    ]);
    expect((await request(site.app).get(`/articles/${target.id}`)).status).toBe(200);
  });
});

describe('flags', () => {
  test('a reader flags an article with a short reason; it stands out on /admin; hiding resolves the flags', async () => {
    const target = await articleBy('alice');
    const bob = await loggedInAgent(site.app, 'bob');
    const res = await post(bob, `/articles/${target.id}/flag`, { reason: 'Looks like spam' });
    expect(res.status).toBe(303);
    expect((await bob.get(res.headers.location)).text).toContain('Thank you: an admin will look at this article.');
    // A second flag by the same reader replaces the first; another reader adds one.
    await post(bob, `/articles/${target.id}/flag`, { reason: 'Definitely spam' });
    await post(await loggedInAgent(site.app, 'admin'), `/articles/${target.id}/flag`, { reason: 'Checking' });
    expect(
      await site.knex('article_flags').where({ article_id: target.id }).whereNull('resolved_at').orderBy('id').pluck('reason'),
    ).toEqual(['Definitely spam', 'Checking']);

    const admin = await loggedInAgent(site.app, 'admin');
    const page = await admin.get('/admin');
    const flagged = page.text.split('<section class="flagged"')[1].split('</section>')[0];
    expect(flagged).toContain(`href="/articles/${target.id}"`);
    expect(flagged).toContain('2 flags');
    expect(flagged).toContain('“Definitely spam”');
    const row = page.text
      .split('<tbody>')[1]
      .split('<tr')
      .find((r) => r.includes(`/articles/${target.id}"`))!;
    expect(row).toContain('class="row-flagged"');

    await post(admin, `/admin/articles/${target.id}/hide`, { reason: 'Spam or advertising' });
    expect(await site.knex('article_flags').where({ article_id: target.id }).whereNull('resolved_at').count('* as n').first()).toEqual({
      n: 0,
    });
    expect((await admin.get('/admin')).text).toContain('No open flags.');
  });

  test('a flag needs a reason of at most 200 characters; anonymous visitors must log in', async () => {
    const target = await articleBy('admin');
    const alice = await loggedInAgent(site.app, 'alice');
    for (const reason of ['', '   ', 'x'.repeat(201)]) {
      const res = await post(alice, `/articles/${target.id}/flag`, { reason });
      expect((await alice.get(res.headers.location)).text).toContain('at most 200 characters');
    }
    expect(await site.knex('article_flags').where({ article_id: target.id }).count('* as n').first()).toEqual({ n: 0 });
    const anon = await request(site.app).post(`/articles/${target.id}/flag`).type('form').send({ reason: 'x' });
    expect(anon.status).toBe(403); // no session, so no CSRF token: the form is refused
  });

  test('dismissing flags resolves them and is logged', async () => {
    const target = await articleBy('admin');
    await post(await loggedInAgent(site.app, 'bob'), `/articles/${target.id}/flag`, { reason: 'Typo in the title' });
    const admin = await loggedInAgent(site.app, 'admin');
    await post(admin, `/admin/articles/${target.id}/dismiss-flags`);
    expect(await site.knex('article_flags').where({ article_id: target.id }).whereNull('resolved_at').count('* as n').first()).toEqual({
      n: 0,
    });
    expect((await logOf(target.id)).map((e) => e.action)).toEqual(['dismiss_flags']);
    expect((await site.knex('articles').where({ id: target.id }).first()).status).toBe('published');
  });
});

describe('the admin role', () => {
  test('an admin gives the admin role and takes it back; both are logged', async () => {
    const admin = await loggedInAgent(site.app, 'admin');
    await post(admin, '/admin/users/role', { username: 'Alice', role: 'admin', note: 'new moderator' });
    expect((await site.knex('users').where({ username: 'alice' }).first()).role).toBe('admin');
    const alice = await loggedInAgent(site.app, 'alice');
    expect((await alice.get('/admin')).status).toBe(200);
    const page = await admin.get('/admin/users');
    expect(page.text).toContain('Take the admin role<span class="visually-hidden"> from alice</span>');

    await post(admin, '/admin/users/role', { username: 'alice', role: 'reader' });
    expect((await site.knex('users').where({ username: 'alice' }).first()).role).toBe('reader');
    expect((await alice.get('/admin')).status).toBe(403);
    const entries = await site
      .knex('moderation_log as l')
      .join('users as t', 't.id', 'l.target_user_id')
      .where('t.username', 'alice')
      .orderBy('l.id')
      .select('l.action', 'l.reason');
    expect(entries).toEqual([
      { action: 'grant_admin', reason: 'Admin role given: new moderator' },
      { action: 'revoke_admin', reason: 'Admin role taken' },
    ]);
  });

  test('the last admin cannot take their own admin role; an unknown user is named', async () => {
    const admin = await loggedInAgent(site.app, 'admin');
    const res = await post(admin, '/admin/users/role', { username: 'admin', role: 'reader' });
    expect((await admin.get(res.headers.location)).text).toContain('admin is the last admin: give someone else the admin role first.');
    expect((await site.knex('users').where({ username: 'admin' }).first()).role).toBe('admin');
    const unknown = await post(admin, '/admin/users/role', { username: 'nobody-here', role: 'admin' });
    expect((await admin.get(unknown.headers.location)).text).toContain('There is no user called “nobody-here”.');
  });

  test('two admins taking each other’s role at the same time leave one admin', async () => {
    const admin = await loggedInAgent(site.app, 'admin');
    await post(admin, '/admin/users/role', { username: 'bob', role: 'admin' });
    const bob = await loggedInAgent(site.app, 'bob');
    const csrfA = csrfFrom((await admin.get('/')).text);
    const csrfB = csrfFrom((await bob.get('/')).text);
    await Promise.all([
      admin.post('/admin/users/role').type('form').send({ _csrf: csrfA, username: 'bob', role: 'reader' }),
      bob.post('/admin/users/role').type('form').send({ _csrf: csrfB, username: 'admin', role: 'reader' }),
    ]);
    expect(await site.knex('users').where({ role: 'admin' }).count('* as n').first()).toEqual({ n: 1 });
  });
});
