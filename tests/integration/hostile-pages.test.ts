/**
 * Hostile users against the pages: no session row per anonymous visit, no words put into the
 * site's notice box from a URL, no 500 from a bad number, no draft shown to admins, no paid or
 * signed-in page kept by a cache, no unbounded invoices or event streams, no double article from
 * a double submit, no unreviewed text republished by a restore, no free Markdown rendering.
 */
import request from 'supertest';
import { HtmlValidate } from 'html-validate';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, loggedInAgent, csrfFrom, paymentRequestFrom, type TestSite } from '../helpers/site';
import { eventually, listen, loginCookie, openSse } from '../helpers/http';

let site: TestSite;
let articleId: number;
beforeAll(async () => {
  site = await startTestSite({
    limits: { streamsPerUser: 2, streamsTotal: 3, upvoteOpenPerReader: 3, upvoteOpenPerArticle: 4, previewPerUserPer10Min: 3 },
  });
  articleId = (await site.knex('articles').where({ status: 'published' }).orderBy('id').first('id')).id;
});
afterAll(() => site.close());

type Agent = Awaited<ReturnType<typeof loggedInAgent>>;
const sessionRows = async () => Number((await site.knex('session').count({ n: '*' }).first())!.n);

describe('sessions and notices', () => {
  test('anonymous visits to /login and /signup, and a failed login, store no session row', async () => {
    const before = await sessionRows();
    for (let i = 0; i < 5; i += 1) {
      const agent = request.agent(site.app);
      const login = await agent.get('/login');
      expect(login.status).toBe(200);
      expect((await agent.get('/signup')).status).toBe(200);
      const failed = await agent
        .post('/login')
        .type('form')
        .send({ username: 'session-probe', password: `not-the-password-${i}`, _csrf: csrfFrom(login.text) });
      expect(failed.status).toBe(401);
    }
    expect(await sessionRows()).toBe(before);
    // Logging in is something to keep: one row.
    await loggedInAgent(site.app, 'bob');
    expect(await sessionRows()).toBe(before + 1);
  });

  test('a form posted without its signed cookie, or with a forged one, is refused', async () => {
    const page = await request(site.app).get('/login');
    const token = csrfFrom(page.text);
    const noCookie = await request(site.app).post('/login').type('form').send({ username: 'bob', password: 'bob-password', _csrf: token });
    expect(noCookie.status).toBe(403);
    const forged = await request(site.app)
      .post('/login')
      .set('Cookie', `paywall.csrf=${token}.forged-signature`)
      .type('form')
      .send({ username: 'bob', password: 'bob-password', _csrf: token });
    expect(forged.status).toBe(403);
  });

  test('?notice= puts nothing into the page; notices come from the server', async () => {
    const phishing = 'Your session expired. Send 1000 sats to';
    const anonymous = await request(site.app).get(`/articles/${articleId}?notice=${encodeURIComponent(phishing)}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).not.toContain('Your session expired');
    const alice = await loggedInAgent(site.app, 'alice');
    const signedIn = await alice.get(`/articles/${articleId}?notice=${encodeURIComponent(phishing)}`);
    expect(signedIn.text).not.toContain('Your session expired');
    const admin = await loggedInAgent(site.app, 'admin');
    expect((await admin.get(`/admin?notice=${encodeURIComponent(phishing)}`)).text).not.toContain('Your session expired');
    expect((await admin.get(`/admin/users?notice=${encodeURIComponent(phishing)}`)).text).not.toContain('Your session expired');
    // A real notice: set by the server, shown once.
    const csrf = csrfFrom(signedIn.text);
    const flagged = await alice
      .post(`/articles/${articleId}/flag`)
      .type('form')
      .send({ _csrf: csrf, reason: 'x'.repeat(201) });
    expect(flagged.headers.location).toBe(`/articles/${articleId}`);
    const notice = 'Say in a few words (at most 200 characters) what is wrong with this article.';
    expect((await alice.get(flagged.headers.location)).text).toContain(notice);
    expect((await alice.get(flagged.headers.location)).text).not.toContain(notice);
  });

  test('pages that depend on who is asking are Cache-Control: private, no-store', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const admin = await loggedInAgent(site.app, 'admin');
    for (const res of [
      await alice.get('/'),
      await alice.get(`/articles/${articleId}`),
      await alice.get('/me/articles'),
      await admin.get('/admin'),
      await admin.get('/admin/dashboard'),
    ]) {
      expect(res.headers['cache-control']).toBe('private, no-store');
    }
    // A form carries a token tied to the browser: not cached either.
    expect((await request(site.app).get('/login')).headers['cache-control']).toBe('private, no-store');
  });
});

describe('numbers in URLs', () => {
  test('/?sort=read&after=2147483648.1 is the first page, not a 500', async () => {
    const res = await request(site.app).get('/?sort=read&after=2147483648.1');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Most read');
  });

  test('fuzzing cursors, ids and numeric parameters never gives a 500 or a stack trace', async () => {
    let seed = 12;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    const numberish = () =>
      pick([
        () => String(Math.floor(random() * 10 ** Math.floor(random() * 25))),
        () => `${Math.floor(random() * 1e12)}.${Math.floor(random() * 1e9)}`,
        () => `-${Math.floor(random() * 1e6)}`,
        () => `${random() * 1e20}`,
        () =>
          pick([
            '2147483648.1',
            '9223372036854775808.1',
            '99999999999999999.1',
            '1e309.1',
            '0.0',
            '1.0',
            'NaN.1',
            '0x10.1',
            '١٢.٣',
            '%00',
            "1.1'--",
            '1.1;DROP',
            '',
          ]),
        () => `${'9'.repeat(Math.floor(random() * 40))}.${'9'.repeat(Math.floor(random() * 40))}`,
      ])();
    const alice = await loggedInAgent(site.app, 'alice');
    const admin = await loggedInAgent(site.app, 'admin');
    const seen = new Map<number, number>();
    for (let i = 0; i < 40; i += 1) {
      const n = encodeURIComponent(numberish());
      const paths: Array<[Agent | request.SuperTest<request.Test>, string]> = [
        [request(site.app) as never, `/?sort=${pick(['new', 'read', 'top', 'x'])}&after=${n}`],
        [alice, `/?sort=${pick(['new', 'read', 'top'])}&after=${n}&after=${n}`],
        [alice, `/articles/${n}`],
        [alice, `/articles/${articleId}/upvotes/${n}?check=${pick(['true', n])}`],
        [alice, `/articles/${n}/edit`],
        [admin, `/admin?before=${n}`],
        [admin, `/admin/articles/${n}/restore`],
        [request(site.app) as never, `/writers/${n}`],
      ];
      for (const [agent, path] of paths) {
        const res = await (agent as Agent).get(path);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect({ path, status: res.status }).toEqual({ path, status: expect.any(Number) });
        if (![200, 301, 302, 400, 404].includes(res.status)) throw new Error(`${path} answered ${res.status}`);
        expect(res.text).not.toMatch(/\n\s+at [\w.<>]+ \(|node_modules|SELECT /);
      }
    }
    expect(site.logs.filter((l) => l.includes('"request failed"'))).toEqual([]);
    expect(seen.get(200)).toBeGreaterThan(0);
  }, 180_000);
});

describe('drafts and revisions', () => {
  async function write(agent: Agent, fields: Record<string, string>) {
    const page = await agent.get('/write');
    const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    return agent
      .post('/write')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), submissionKey: key, teaser: 'A teaser.', body: 'The body.', priceSat: '10', ...fields });
  }

  test('a draft is private from admins: not on /admin, not on the dashboard, not in a hide or restore notice', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const saved = await write(alice, { title: 'Secret draft of alice', intent: 'draft' });
    const draftId = Number(/\/articles\/(\d+)/.exec(saved.headers.location)![1]);
    const admin = await loggedInAgent(site.app, 'admin');
    expect((await admin.get('/admin')).text).not.toContain('Secret draft of alice');
    expect((await admin.get('/admin/dashboard')).text).not.toContain('Secret draft of alice');
    const csrf = csrfFrom((await admin.get('/admin')).text);
    for (const action of ['hide', 'restore', 'dismiss-flags']) {
      const res = await admin.post(`/admin/articles/${draftId}/${action}`).type('form').send({ _csrf: csrf });
      expect(res.status).toBe(404);
      expect((await admin.get('/admin')).text).not.toContain('Secret draft of alice');
    }
    expect((await admin.get(`/admin/articles/${draftId}/restore`)).status).toBe(404);
    expect((await site.knex('articles').where({ id: draftId }).first()).status).toBe('draft');
  });

  test('the same write form posted twice at once makes one article, and both answers lead to it', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const page = await alice.get('/write');
    const key = /name="submissionKey" value="([^"]+)"/.exec(page.text)![1];
    const fields = {
      _csrf: csrfFrom(page.text),
      submissionKey: key,
      title: 'Posted twice on a slow network',
      teaser: 'Teaser.',
      body: 'Body.',
      priceSat: '10',
      intent: 'publish',
    };
    const [a, b] = await Promise.all([alice.post('/write').type('form').send(fields), alice.post('/write').type('form').send(fields)]);
    expect(a.status).toBe(302);
    expect(b.status).toBe(302);
    expect(a.headers.location).toBe(b.headers.location);
    expect(Number((await site.knex('articles').where({ title: 'Posted twice on a slow network' }).count({ n: '*' }).first())!.n)).toBe(1);
  });

  test('a restore after the writer changed the hidden article shows the moderator what changed, and restores the reviewed version', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const created = await write(alice, { title: 'Changes after the hide', body: 'First line.\nSecond line.', intent: 'publish' });
    const id = Number(/\/articles\/(\d+)/.exec(created.headers.location)![1]);
    const admin = await loggedInAgent(site.app, 'admin');
    const csrf = csrfFrom((await admin.get('/admin')).text);
    await admin.post(`/admin/articles/${id}/hide`).type('form').send({ _csrf: csrf, reason: 'Spam or advertising' });
    const edit = await alice.get(`/articles/${id}/edit`);
    await alice
      .post(`/articles/${id}/edit`)
      .type('form')
      .send({
        _csrf: csrfFrom(edit.text),
        title: 'Changes after the hide',
        teaser: 'A teaser.',
        body: 'First line.\nBuy my pills now.',
        priceSat: '10',
        intent: 'draft',
      });

    const restore = await admin.post(`/admin/articles/${id}/restore`).type('form').send({ _csrf: csrf });
    expect(restore.status).toBe(303);
    expect(restore.headers.location).toBe(`/admin/articles/${id}/restore`);
    expect((await site.knex('articles').where({ id }).first()).status).toBe('deleted by admin');
    const review = await admin.get(restore.headers.location);
    expect(review.text).toContain('saved 1 new version since it was hidden');
    expect(review.text).toContain('<del>- Second line.</del>');
    expect(review.text).toContain('<ins>+ Buy my pills now.</ins>');
    // The review page is valid HTML like every other page.
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      rules: { 'doctype-style': 'off', 'no-trailing-whitespace': 'off' },
    });
    const report = await validator.validateString(review.text, 'restore.html');
    expect(report.results.flatMap((r) => r.messages.map((m) => `${m.ruleId}: ${m.message}`))).toEqual([]);
    const reviewed = /name="reviewedRevision" value="(\d+)"/.exec(review.text)![1];
    const done = await admin
      .post(`/admin/articles/${id}/restore`)
      .type('form')
      .send({ _csrf: csrfFrom(review.text), reviewedRevision: reviewed });
    expect(done.headers.location).toBe('/admin');
    expect((await site.knex('articles').where({ id }).first()).status).toBe('published');
    expect((await site.knex('article_revisions').where({ article_id: id }).orderBy('id')).map((r) => r.body)).toEqual([
      'First line.\nSecond line.',
      'First line.\nBuy my pills now.',
    ]);
  });
});

describe('Markdown', () => {
  test('a body over the limit is refused with a clear message and nothing is saved', async () => {
    const alice = await loggedInAgent(site.app, 'alice');
    const page = await alice.get('/write');
    const res = await alice
      .post('/write')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), title: 'Too long', teaser: 'T.', body: 'x'.repeat(100_001), priceSat: '10', intent: 'publish' });
    expect(res.status).toBe(422);
    expect(res.text).toContain('The body can be at most 100,000 characters (it has 100,001)');
    expect(await site.knex('articles').where({ title: 'Too long' }).first()).toBeUndefined();
  });

  test('previews are rendered by the workers and limited per writer; the fourth keeps the text and says to wait', async () => {
    const bob = await loggedInAgent(site.app, 'bob');
    const page = await bob.get('/write');
    const fields = {
      _csrf: csrfFrom(page.text),
      title: 'Preview me',
      teaser: 'A *teaser*.',
      body: '| a | b |\n|---|---|\n| 1 | 2 |',
      priceSat: '10',
      intent: 'preview',
    };
    for (let i = 0; i < 3; i += 1) {
      const ok = await bob.post('/write').type('form').send(fields);
      expect(ok.status).toBe(200);
      expect(ok.text).toContain('<th scope="col">a</th>');
      expect(ok.text).toContain('<em>teaser</em>');
    }
    const fourth = await bob.post('/write').type('form').send(fields);
    expect(fourth.status).toBe(429);
    expect(fourth.text).toContain('You have previewed 3 times in the last 10 minutes');
    expect(fourth.text).toContain('| a | b |');
    expect(fourth.text).not.toContain('<th scope="col">a</th>');
  });
});

describe('live updates and upvote invoices', () => {
  test('event streams are capped per user and in total, and a closed one frees its place', async () => {
    const server = await listen(site.app);
    try {
      const alice = await loginCookie(server.baseUrl, 'alice');
      const bob = await loginCookie(server.baseUrl, 'bob');
      const url = `${server.baseUrl}/articles/${articleId}/events`;
      const a1 = await openSse(url, alice);
      const a2 = await openSse(url, alice);
      expect([a1.status, a2.status]).toEqual([200, 200]);
      const a3 = await openSse(url, alice);
      expect(a3.status).toBe(429);
      const b1 = await openSse(url, bob);
      expect(b1.status).toBe(200);
      const b2 = await openSse(url, bob);
      expect(b2.status).toBe(503);
      a1.close();
      const again = await eventually(async () => {
        const s = await openSse(url, alice);
        if (s.status === 200) return s;
        s.close();
        return undefined;
      }, 'a place for alice after closing a stream');
      for (const s of [a2, a3, b1, b2, again]) s.close();
    } finally {
      await server.close();
    }
  });

  test('open upvote invoices are capped per reader and per article, and the amount is bounded', async () => {
    const payToRead = async (agent: Agent, who: 'alice' | 'bob') => {
      const page = await agent.get(`/articles/${articleId}`);
      expect((await payInvoice(site.devnet.nodes[who], paymentRequestFrom(page.text))).status).toBe('SUCCEEDED');
      return eventually(async () => {
        const r = await agent.get(`/articles/${articleId}?check=true`);
        return r.text.includes('Upvote this article') ? r : undefined;
      }, `${who} to have paid`);
    };
    const alice = await loggedInAgent(site.app, 'alice');
    const bob = await loggedInAgent(site.app, 'bob');
    const csrfA = csrfFrom((await payToRead(alice, 'alice')).text);
    const csrfB = csrfFrom((await payToRead(bob, 'bob')).text);
    const upvotes = () => site.knex('payments').where({ article_id: articleId, purpose: 'upvote' });

    const tooMuch = await alice.post(`/articles/${articleId}/upvote`).type('form').send({ _csrf: csrfA, amountSat: '1000001' });
    expect((await alice.get(tooMuch.headers.location)).text).toContain('An upvote is a whole number of sats from 10 to 1,000,000.');

    const results = await Promise.all(
      Array.from({ length: 8 }, () => alice.post(`/articles/${articleId}/upvote`).type('form').send({ _csrf: csrfA, amountSat: '20' })),
    );
    expect(results.filter((r) => /[?&]upvote=\d+/.test(r.headers.location)).length).toBe(3);
    expect((await upvotes()).length).toBe(3);
    expect((await alice.get(`/articles/${articleId}`)).text).toContain('You already have 3 unpaid upvotes waiting');

    const first = await bob.post(`/articles/${articleId}/upvote`).type('form').send({ _csrf: csrfB, amountSat: '20' });
    expect(first.headers.location).toMatch(/[?&]upvote=\d+/);
    const second = await bob.post(`/articles/${articleId}/upvote`).type('form').send({ _csrf: csrfB, amountSat: '20' });
    expect((await bob.get(second.headers.location)).text).toContain('This article already has 4 unpaid upvotes waiting');
    expect((await upvotes()).length).toBe(4);
  });
});
