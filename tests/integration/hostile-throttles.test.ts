/**
 * Hostile users against the throttles, with real concurrency over real HTTP: every attempt is
 * counted before the password (or the signup's bcrypt) is worked on, so the limits hold exactly
 * however many requests arrive at once. The password checks are counted beneath the site (a
 * wrapper around the real bcrypt hasher), the counts are read back from PostgreSQL.
 */
import { createApp } from '../../src/app';
import type { PasswordHasher } from '../../src/accounts/passwords';
import { startTestSite, type TestSite } from '../helpers/site';
import { listen } from '../helpers/http';

/** What reached bcrypt, and how many ran at once. */
const work = { checks: 0, hashes: 0, running: 0, maxRunning: 0 };
function counting(inner: PasswordHasher): PasswordHasher {
  const track = async <T>(kind: 'checks' | 'hashes', job: () => Promise<T>) => {
    work[kind] += 1;
    work.running += 1;
    work.maxRunning = Math.max(work.maxRunning, work.running);
    try {
      return await job();
    } finally {
      work.running -= 1;
    }
  };
  return {
    hash: (p) => track('hashes', () => inner.hash(p)),
    verify: (p, h) => track('checks', () => inner.verify(p, h)),
    verifyDummy: (p) => track('checks', () => inner.verifyDummy(p)),
  };
}

let site: TestSite;
let base: { baseUrl: string; close(): Promise<void> };
beforeAll(async () => {
  site = await startTestSite({
    wrapHasher: counting,
    limits: { bcryptConcurrency: 2, signupPerIpPerHour: 10 },
    // Counts in PostgreSQL, as in production.
    sharing: 'shared',
  });
  base = await listen(site.app);
});
afterAll(async () => {
  await base.close();
  await site.close();
});
beforeEach(async () => {
  await site.knex('login_attempts').del();
  Object.assign(work, { checks: 0, hashes: 0, running: 0, maxRunning: 0 });
});

/** A browser's anonymous form: its CSRF cookie and token. */
async function form(baseUrl: string, path: '/login' | '/signup') {
  const page = await fetch(`${baseUrl}${path}`);
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0];
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1];
  return { cookie, csrf };
}

async function post(
  baseUrl: string,
  path: string,
  f: { cookie: string; csrf: string },
  fields: Record<string, string>,
  headers: Record<string, string> = {},
) {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: f.cookie, ...headers },
    body: new URLSearchParams({ ...fields, _csrf: f.csrf }).toString(),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const statuses = (results: Array<{ status: number }>) =>
  results.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

describe('login attempts are reserved before the password is checked', () => {
  test('40 parallel wrong passwords for one user from one address: exactly 5 password checks', async () => {
    const f = await form(base.baseUrl, '/login');
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(base.baseUrl, '/login', f, { username: 'alice', password: `wrong-guess-${i}` })),
    );
    expect(statuses(results)).toEqual({ 401: 5, 429: 35 });
    expect(work.checks).toBe(5);
    const row = await site.knex('login_attempts').where({ key: 'login:user-ip:alice|127.0.0.1' }).first();
    expect(row.count).toBe(5);
    const refused = results.find((r) => r.status === 429)!;
    expect(refused.text).toContain('Too many failed attempts');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  test('120 parallel attempts with different usernames from one address: exactly 50 password checks', async () => {
    const f = await form(base.baseUrl, '/login');
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => post(base.baseUrl, '/login', f, { username: `guess-user-${i}`, password: 'some-password' })),
    );
    expect(statuses(results)).toEqual({ 401: 50, 429: 70 });
    expect(work.checks).toBe(50);
    expect((await site.knex('login_attempts').where({ key: 'login:ip:127.0.0.1' }).first()).count).toBe(50);
  });

  test('the fourth failure warns that one attempt is left; the fifth says logging in is paused', async () => {
    const f = await form(base.baseUrl, '/login');
    const texts: string[] = [];
    for (let i = 0; i < 5; i += 1) texts.push((await post(base.baseUrl, '/login', f, { username: 'bob', password: `not-it-${i}` })).text);
    expect(texts[2]).not.toContain('One more failed attempt');
    expect(texts[3]).toContain('Invalid username or password. One more failed attempt and logging in is paused for 15 minutes.');
    expect(texts[4]).toContain('Logging in is now paused for 15 minutes.');
    // The same warning for a name nobody has: it reveals nothing about which accounts exist.
    await site.knex('login_attempts').del();
    for (let i = 0; i < 3; i += 1) await post(base.baseUrl, '/login', f, { username: 'nobody-at-all', password: `x-${i}-password` });
    expect((await post(base.baseUrl, '/login', f, { username: 'nobody-at-all', password: 'x-3-password' })).text).toContain(
      'One more failed attempt',
    );
  });

  test('a failed login is logged with the username and the client address; the password is not', async () => {
    const f = await form(base.baseUrl, '/login');
    await post(base.baseUrl, '/login', f, { username: 'alice', password: 'a-secret-guess-123' });
    const line = site.logs
      .map((l) => JSON.parse(l))
      .reverse()
      .find((l) => l.msg === 'login failed');
    expect(line).toMatchObject({ username: 'alice', ip: '127.0.0.1' });
    expect(site.logs.join('\n')).not.toContain('a-secret-guess-123');
  });
});

describe('client addresses and the per-account limit', () => {
  test('without TRUST_PROXY a rotating X-Forwarded-For changes nothing: 12 tries, 5 checks', async () => {
    const f = await form(base.baseUrl, '/login');
    const results = [];
    for (let i = 0; i < 12; i += 1) {
      results.push(
        await post(
          base.baseUrl,
          '/login',
          f,
          { username: 'alice', password: `rotating-${i}` },
          { 'x-forwarded-for': `203.0.113.${i + 1}` },
        ),
      );
    }
    expect(statuses(results)).toEqual({ 401: 5, 429: 7 });
    expect(work.checks).toBe(5);
  });

  test('behind a trusted proxy every address starts afresh, but the account allows 20 checks from all of them together', async () => {
    const proxied = await listen(createApp({ ...site.appDeps, trustProxy: 1 }));
    try {
      const f = await form(proxied.baseUrl, '/login');
      const results = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          post(proxied.baseUrl, '/login', f, { username: 'Alice', password: `spread-${i}` }, { 'x-forwarded-for': `198.51.100.${i + 1}` }),
        ),
      );
      expect(statuses(results)).toEqual({ 401: 20, 429: 10 });
      expect(work.checks).toBe(20);
      expect((await site.knex('login_attempts').where({ key: 'login:account:alice' }).first()).count).toBe(20);
      const line = site.logs
        .map((l) => JSON.parse(l))
        .reverse()
        .find((l) => l.msg === 'login failed');
      expect(line.ip).toMatch(/^198\.51\.100\.\d+$/);
    } finally {
      await proxied.close();
    }
  });

  test('the owner is not locked out: a browser that logged in to the account before still gets in while strangers are refused', async () => {
    // The owner's browser logs in once (and is remembered by a signed cookie).
    const owner = await form(base.baseUrl, '/login');
    const first = await post(base.baseUrl, '/login', owner, { username: 'bob', password: 'bob-password' });
    expect(first.status).toBe(302);
    const known = /paywall\.known=[^;]+/.exec(first.headers.get('set-cookie') ?? '')![0];
    // An attacker fills the account's limit from many addresses.
    const proxied = await listen(createApp({ ...site.appDeps, trustProxy: 1 }));
    try {
      const f = await form(proxied.baseUrl, '/login');
      await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          post(proxied.baseUrl, '/login', f, { username: 'bob', password: `attack-${i}` }, { 'x-forwarded-for': `192.0.2.${i + 1}` }),
        ),
      );
      const stranger = await post(
        proxied.baseUrl,
        '/login',
        f,
        { username: 'bob', password: 'bob-password' },
        { 'x-forwarded-for': '192.0.2.200' },
      );
      expect(stranger.status).toBe(429);
      const again = await form(proxied.baseUrl, '/login');
      const ownerLogin = await post(
        proxied.baseUrl,
        '/login',
        { ...again, cookie: `${again.cookie}; ${known}` },
        { username: 'bob', password: 'bob-password' },
        { 'x-forwarded-for': '192.0.2.201' },
      );
      expect(ownerLogin.status).toBe(302);
    } finally {
      await proxied.close();
    }
  });
});

describe('signups', () => {
  test('15 parallel signups from one address with a limit of 10: 10 are worked on, 5 refused with 429', async () => {
    const f = await form(base.baseUrl, '/signup');
    const results = await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        post(base.baseUrl, '/signup', f, { username: `flood${i}`, password: 'flood-password', passwordConfirm: 'flood-password' }),
      ),
    );
    expect(statuses(results)).toEqual({ 302: 10, 429: 5 });
    expect(work.hashes).toBe(10);
    expect(Number((await site.knex('users').where('username', 'like', 'flood%').count({ n: '*' }).first())!.n)).toBe(10);
    expect(results.find((r) => r.status === 429)!.text).toContain('Too many accounts were created from your network recently');
  });

  test('a taken username costs no bcrypt work', async () => {
    const f = await form(base.baseUrl, '/signup');
    const res = await post(base.baseUrl, '/signup', f, {
      username: 'ALICE',
      password: 'another-password',
      passwordConfirm: 'another-password',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('That username is taken');
    expect(work.hashes).toBe(0);
  });

  test('bcrypt work is bounded: a flood of signups and logins never runs more than 2 at once, and logins still complete', async () => {
    // Behind a trusted proxy, each signup from its own address: the flood is not stopped by the signup limit.
    const server = await listen(createApp({ ...site.appDeps, trustProxy: 1 }));
    try {
      const s = await form(server.baseUrl, '/signup');
      const l = await form(server.baseUrl, '/login');
      const signups = Array.from({ length: 30 }, (_, i) =>
        post(
          server.baseUrl,
          '/signup',
          s,
          { username: `bulk${i}`, password: 'bulk-password', passwordConfirm: 'bulk-password' },
          { 'x-forwarded-for': `100.64.0.${i + 1}` },
        ),
      );
      const login = post(server.baseUrl, '/login', l, { username: 'alice', password: 'alice-password' });
      const [loginResult, ...signupResults] = await Promise.all([login, ...signups]);
      expect(loginResult.status).toBe(302);
      expect(statuses(signupResults)).toEqual({ 302: 30 });
      expect(work.maxRunning).toBeLessThanOrEqual(2);
      expect(work.hashes).toBe(30);
    } finally {
      await server.close();
    }
  });
});
