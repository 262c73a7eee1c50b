/**
 * Both Lightning logins over the real devnet: alice's node signs the site's one-time message over
 * gRPC, the site's node recovers the signer (VerifyMessage over gRPC) and @noble/curves agrees; a
 * wallet with a LUD-05 linking key answers an LNURL-auth challenge and the waiting page hears of it
 * over its event stream. Bad input changes nothing, gets a clear answer and is never logged.
 */
import { createHash } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1';
import { signLnurlAuth } from '../../src/devnet/lnurl-auth-wallet';
import { decodeLnurl } from '../../src/lib/lnurl';
import { startTestSite, type TestSite } from '../helpers/site';
import { createMemoryAttemptThrottle } from '../../src/accounts/attempt-throttle';
import { DEFAULT_LIMITS } from '../../src/accounts/limits';
import { createChallengesRepo } from '../../src/accounts/lightning/challenges-repo';
import { eventually, listen, openSse } from '../helpers/http';
import { cookieClient, csrf, signWithNode, textarea, walletSeed, type CookieClient } from '../helpers/lightning-login';

let site: TestSite;
let http: Awaited<ReturnType<typeof listen>>;
/** The login throttle's clock: each test starts in a fresh window, so their failures never add up. */
let clock = Date.now();

beforeAll(async () => {
  site = await startTestSite({ attemptThrottle: createMemoryAttemptThrottle(() => clock) });
  http = await listen(site.app);
});
beforeEach(() => {
  clock += DEFAULT_LIMITS.loginWindowMs + 1000;
});
afterAll(async () => {
  await http?.close();
  await site?.close();
});

/** Independent of the site: LND's digest, z-base-32 decoded here, the key recovered with noble. */
function nobleSigner(message: string, signature: string): string {
  const Z = 'ybndrfg8ejkmcpqxot1uwisza345h769';
  const bits = [...signature].map((c) => Z.indexOf(c).toString(2).padStart(5, '0')).join('');
  const raw = Uint8Array.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const h = (b: Buffer) => createHash('sha256').update(b).digest();
  const digest = h(h(Buffer.from(`Lightning Signed Message:${message}`)));
  return secp256k1.Signature.fromCompact(raw.slice(1))
    .addRecoveryBit(raw[0] - 31)
    .recoverPublicKey(digest)
    .toHex(true);
}

async function loginPage(c: CookieClient) {
  const page = await c.get('/login/node');
  expect(page.status).toBe(200);
  const message = textarea(page.text, 'node-message');
  expect(message).toMatch(/^Log in to reads\.test with code [0-9a-f]{32}, valid until \d\d:\d\d UTC$/);
  expect(textarea(page.text, 'node-command')).toBe(`lncli signmessage "${message}"`);
  return { message, token: csrf(page.text) };
}

const keysOf = (pubkey: string) => site.knex('user_login_keys').where({ pubkey });
const signedIn = async (c: CookieClient) => /Signed in as <strong>([^<]+)<\/strong>/.exec((await c.get('/')).text)?.[1] ?? null;

describe('signed-message login (the tutorial way)', () => {
  const alicePubkey = () => site.devnet.nodes.alice.identityPubkey;

  test('a new node key: sign, name your node, choose a username; the next login goes straight in', async () => {
    const c = cookieClient(http.baseUrl);
    const { message, token } = await loginPage(c);
    const signature = await signWithNode(site.devnet.nodes.alice, message);
    expect(nobleSigner(message, signature)).toBe(alicePubkey());

    const posted = await c.post('/login/node', { _csrf: token, signature, next: '/' });
    expect(posted.status).toBe(302);
    expect(posted.location).toBe('/login/lightning/new');
    const form = await c.get('/login/lightning/new');
    expect(form.text).toContain('Choose a username');
    const short = await c.post('/login/lightning/new', { _csrf: csrf(form.text), pubkey: alicePubkey(), username: 'abc' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('4 to 35 characters');
    const made = await c.post('/login/lightning/new', { _csrf: csrf(form.text), pubkey: alicePubkey(), username: 'alices-node' });
    expect(made.status).toBe(302);
    expect(await signedIn(c)).toBe('alices-node');
    const user = await site.knex('users').where({ username: 'alices-node' }).first();
    expect(user.password_hash).toBeNull();
    expect(await keysOf(alicePubkey())).toEqual([expect.objectContaining({ user_id: user.id, kind: 'node' })]);

    const again = cookieClient(http.baseUrl);
    const second = await loginPage(again);
    expect(second.message).not.toBe(message);
    const res = await again.post('/login/node', {
      _csrf: second.token,
      signature: await signWithNode(site.devnet.nodes.alice, second.message),
      next: '/account',
    });
    expect(res.status).toBe(302);
    expect(res.location).toBe('/account');
    expect(await signedIn(again)).toBe('alices-node');
    expect(
      await site
        .knex('users')
        .whereRaw('username ILIKE ?', ['alices-node%'])
        .count('* as n')
        .then(([r]) => Number(r.n)),
    ).toBe(1);
  });

  test("a replayed signature (over another session's message) creates nothing and says why", async () => {
    const first = cookieClient(http.baseUrl);
    const { message } = await loginPage(first);
    const signature = await signWithNode(site.devnet.nodes.bob, message);
    const other = cookieClient(http.baseUrl);
    const { token } = await loginPage(other);
    const usersBefore = await site.knex('users').count('* as n');
    const posted = await other.post('/login/node', { _csrf: token, signature });
    // Over this session's message the signature recovers some key nobody owns; naming bob's node shows it.
    expect(posted.location).toBe('/login/lightning/new');
    const form = await other.get('/login/lightning/new');
    const refused = await other.post('/login/lightning/new', {
      _csrf: csrf(form.text),
      pubkey: site.devnet.nodes.bob.identityPubkey,
      username: 'bobs-node',
    });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('That signature was not made by this node over the message shown, so no account was created.');
    expect(await site.knex('users').count('* as n')).toEqual(usersBefore);
    expect(await keysOf(site.devnet.nodes.bob.identityPubkey)).toEqual([]);
    expect((await other.get('/login/lightning/new')).location).toBe('/login');
  });

  test('malformed and expired signatures get a clear message; the signature is never logged', async () => {
    const c = cookieClient(http.baseUrl);
    const { token } = await loginPage(c);
    const bad = await c.post('/login/node', { _csrf: token, signature: 'not-a-signature' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('That is not a signature from lncli signmessage');

    const { message } = await loginPage(c);
    const signature = await signWithNode(site.devnet.nodes.alice, message);
    await site.knex.raw(
      `UPDATE "session" SET sess = jsonb_set(sess::jsonb, '{nodeLoginMessage,expiresAt}', '0')::json WHERE (sess::jsonb -> 'nodeLoginMessage') IS NOT NULL`,
    );
    const expired = await c.post('/login/node', { _csrf: token, signature });
    expect(expired.status).toBe(400);
    expect(expired.text).toContain('That message has expired. Sign the new message below.');
    expect(await signedIn(c)).toBeNull();
    expect(site.logs.join('\n')).not.toContain(signature);
  });

  test("while the site's node is down: a clear 503, nobody logged in, the message still good afterwards", async () => {
    const c = cookieClient(http.baseUrl);
    const { message, token } = await loginPage(c);
    const signature = await signWithNode(site.devnet.nodes.alice, message);
    await site.devnet.stopNodes();
    try {
      const down = await c.post('/login/node', { _csrf: token, signature });
      expect(down.status).toBe(503);
      expect(down.text).toContain('Lightning node cannot check signatures right now. Please try again in a minute');
      expect(await signedIn(c)).toBeNull();
    } finally {
      await site.devnet.startNodes();
    }
    // The site's gRPC channel reconnects by itself; the same signature works once it has.
    const back = await eventually(async () => {
      const r = await c.post('/login/node', { _csrf: token, signature });
      return r.status === 503 ? undefined : r;
    }, 'the site to reach its node again');
    expect(back.status).toBe(302);
    expect(await signedIn(c)).toBe('alices-node');
  });

  test('one message, one login: a nonce is accepted once, even by two requests at once', async () => {
    const challenges = createChallengesRepo(site.knex);
    const nonce = 'ef'.repeat(16);
    const until = new Date(Date.now() + 60_000);
    const results = await Promise.all([
      challenges.useMessageNonce(nonce, 'login', null, until),
      challenges.useMessageNonce(nonce, 'login', null, until),
    ]);
    expect(results.sort()).toEqual([false, true]);
    expect(
      await site
        .knex('login_challenges')
        .where({ secret: `message:${nonce}` })
        .count('* as n')
        .then(([r]) => Number(r.n)),
    ).toBe(1);
  });
});

describe('LNURL-auth', () => {
  async function walletPage(c: CookieClient) {
    const page = await c.get('/login/wallet');
    expect(page.status).toBe(200);
    const lnurl = textarea(page.text, 'lnurl');
    expect(lnurl).toMatch(/^LNURL1[02-9AC-HJ-NP-Z]+$/);
    const url = new URL(decodeLnurl(lnurl));
    expect(url.origin + url.pathname).toBe('http://reads.test/lnurl-auth');
    expect(url.searchParams.get('tag')).toBe('login');
    expect(url.searchParams.get('action')).toBe('login');
    const k1 = url.searchParams.get('k1')!;
    expect(k1).toMatch(/^[0-9a-f]{64}$/);
    expect(page.text).toContain(`href="lightning:${lnurl}"`);
    expect(page.text).toContain(`href="keyauth://reads.test/lnurl-auth?tag=login&amp;k1=${k1}&amp;action=login"`);
    expect(page.text).toMatch(/<svg[^>]*>/);
    return { lnurl, k1, token: csrf(page.text) };
  }
  /** The wallet's GET, sent to where the test site listens (it calls itself reads.test). */
  async function call(callbackUrl: string) {
    const u = new URL(callbackUrl);
    const res = await fetch(`${http.baseUrl}${u.pathname}${u.search}`);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  test('the wallet signs k1 with its LUD-05 key, the waiting page hears it, the browser logs in once', async () => {
    const c = cookieClient(http.baseUrl);
    const { lnurl, k1, token } = await walletPage(c);
    const events = await openSse(`${http.baseUrl}/login/wallet/events`, c.cookie());
    expect(events.status).toBe(200);
    const signed = signLnurlAuth(walletSeed(site.devnet.dir, 'alice'), lnurl);
    expect(signed.domain).toBe('reads.test');
    const sig = new URL(signed.callbackUrl).searchParams.get('sig')!;
    expect(
      secp256k1.verify(secp256k1.Signature.fromDER(sig).toCompactRawBytes(), Buffer.from(k1, 'hex'), Buffer.from(signed.linkingKey, 'hex')),
    ).toBe(true);

    expect(await call(signed.callbackUrl)).toEqual({ status: 200, body: { status: 'OK' } });
    await events.next('verified');
    events.close();
    const challenge = await site.knex('login_challenges').where({ secret: k1 }).first();
    expect(challenge.verified_key).toBe(signed.linkingKey);
    expect(challenge.used_at).toBeNull();
    // Replayed: the wallet's call again changes nothing.
    expect((await call(signed.callbackUrl)).body).toEqual({
      status: 'ERROR',
      reason: 'This login link was already used. Open the login page again for a new one.',
    });

    const finished = await c.post('/login/wallet', { _csrf: token });
    expect(finished.location).toBe('/login/lightning/new');
    const form = await c.get('/login/lightning/new');
    expect(form.text).not.toContain('name="pubkey"');
    expect((await c.post('/login/lightning/new', { _csrf: csrf(form.text), username: 'wallet-alice' })).status).toBe(302);
    expect(await signedIn(c)).toBe('wallet-alice');
    expect(await keysOf(signed.linkingKey)).toEqual([expect.objectContaining({ kind: 'lnurl' })]);
    expect((await site.knex('login_challenges').where({ secret: k1 }).first()).used_at).not.toBeNull();
    expect(site.logs.join('\n')).not.toContain(sig);

    // Next time: the same wallet, a new k1, straight in.
    const again = cookieClient(http.baseUrl);
    const second = await walletPage(again);
    expect((await call(signLnurlAuth(walletSeed(site.devnet.dir, 'alice'), second.lnurl).callbackUrl)).body).toEqual({ status: 'OK' });
    expect((await again.post('/login/wallet', { _csrf: second.token })).location).toBe('/');
    expect(await signedIn(again)).toBe('wallet-alice');
  });

  test('the page without JavaScript: continuing before the wallet approved says so and logs nobody in', async () => {
    const c = cookieClient(http.baseUrl);
    const { token } = await walletPage(c);
    const early = await c.post('/login/wallet', { _csrf: token });
    expect(early.status).toBe(409);
    expect(early.text).toContain('Your wallet has not approved yet.');
    expect(await signedIn(c)).toBeNull();
  });

  test('foreign, forged and malformed callbacks: LUD-04 errors, nothing verified', async () => {
    const c = cookieClient(http.baseUrl);
    const { lnurl, k1 } = await walletPage(c);
    const seed = walletSeed(site.devnet.dir, 'bob');
    const signed = new URL(signLnurlAuth(seed, lnurl).callbackUrl);
    const unknown = new URL(signLnurlAuth(seed, lnurl.toLowerCase()).callbackUrl.replace(k1, 'ab'.repeat(32)));
    expect((await call(unknown.toString())).body).toEqual({
      status: 'ERROR',
      reason: 'Unknown login link. Open the login page again for a new one.',
    });
    const forged = new URL(signed);
    forged.searchParams.set('key', site.devnet.nodes.alice.identityPubkey);
    expect((await call(forged.toString())).body).toEqual({
      status: 'ERROR',
      reason: 'The signature does not verify with this key over k1.',
    });
    const noSig = new URL(signed);
    noSig.searchParams.delete('sig');
    expect((await call(noSig.toString())).body.status).toBe('ERROR');
    const garbage = new URL(signed);
    garbage.searchParams.set('sig', 'zz');
    expect((await call(garbage.toString())).body).toEqual({ status: 'ERROR', reason: 'sig must be a DER-encoded signature in hex.' });
    const row = await site.knex('login_challenges').where({ secret: k1 }).first();
    expect(row.verified_at).toBeNull();
  });

  test('an expired k1 is refused', async () => {
    const c = cookieClient(http.baseUrl);
    const { lnurl, k1 } = await walletPage(c);
    await site
      .knex('login_challenges')
      .where({ secret: k1 })
      .update({ expires_at: site.knex.raw("now() - interval '1 second'") });
    expect((await call(signLnurlAuth(walletSeed(site.devnet.dir, 'alice'), lnurl).callbackUrl)).body).toEqual({
      status: 'ERROR',
      reason: 'This login link has expired. Open the login page again for a new one.',
    });
    expect((await site.knex('login_challenges').where({ secret: k1 }).first()).verified_at).toBeNull();
  });

  test('failed callbacks are throttled like failed password logins (429, LUD-04 error)', async () => {
    let last = { status: 0, body: {} as Record<string, string> };
    for (let i = 0; i < 8 && last.status !== 429; i++)
      last = await call(`http://reads.test/lnurl-auth?tag=login&k1=${'cd'.repeat(32)}&sig=3006020101020101&key=02${'11'.repeat(32)}`);
    expect(last.status).toBe(429);
    expect(last.body.status).toBe('ERROR');
    expect(last.body.reason).toMatch(/^Too many failed attempts/);
  });
});
