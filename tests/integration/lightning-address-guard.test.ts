/**
 * Lightning Addresses under the production address guard: a writer's address whose host is (or
 * resolves to) a loopback, private or otherwise non-public address is refused with a clear message
 * and changes nothing; the connection goes to the address that was checked (one resolution, no
 * second lookup to rebind); redirects are not followed, bodies are capped, slow hosts time out.
 * The resolver is the test's own (PayoutConfig.addressPolicy.resolve), so no real DNS is involved.
 */
import http from 'node:http';
import type { LookupAddress } from 'node:dns';
import { guardedGet } from '../../src/lib/guarded-request';
import { loggedInAgent, csrfFrom } from '../helpers/site';
import { startPayoutsSite, createArticle, payView, userIdOf, expectBooksBalanced, type PayoutsSite } from '../helpers/payouts';

jest.setTimeout(90_000);

/** Names the test resolver knows, and every name it was asked for. */
const names = new Map<string, LookupAddress[]>();
const asked: string[] = [];
const resolve = async (host: string): Promise<LookupAddress[]> => {
  asked.push(host);
  const found = names.get(host);
  if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return found;
};

let ps: PayoutsSite;
let aliceId: number;
let server: http.Server;
let port: number;
const hits: string[] = [];
beforeAll(async () => {
  ps = await startPayoutsSite({}, {}, { addressPolicy: { guard: true, allow: [], resolve } });
  aliceId = await userIdOf(ps.site.knex, 'alice');
  await payView(ps.site, 'bob', await createArticle(ps.site.knex, aliceId, 1000, 'Alice writes'));
  server = http.createServer((req, res) => {
    hits.push(`${req.headers.host} ${req.url}`);
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/elsewhere' });
      return res.end();
    }
    if (req.url === '/huge') return res.end('x'.repeat(200_000));
    if (req.url === '/silent') return; // never answers
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await ps.close();
});
beforeEach(() => {
  hits.length = 0;
  asked.length = 0;
  names.clear();
});
afterEach(() => expectBooksBalanced(ps.site.knex));

const counts = async () => ({
  withdrawals: Number((await ps.site.knex('withdrawals').count('* as n').first())?.n),
  entries: Number((await ps.site.knex('ledger_entries').count('* as n').first())?.n),
  balance: Number((await ps.site.knex('balances').where({ user_id: aliceId }).first())?.balance_sat ?? 0),
});

async function withdrawTo(address: string) {
  const alice = await loggedInAgent(ps.site.app, 'alice');
  const csrf = csrfFrom((await alice.get('/me/payouts')).text);
  return alice.post('/me/payouts/address').type('form').send({ address, amount: '50', _csrf: csrf });
}

describe('a Lightning Address on a non-public address is refused, nothing changes', () => {
  test.each([
    ['the devnet wallet on 127.0.0.1 (a literal loopback address)', () => `alice@127.0.0.1:${port}`, null],
    ['a name resolving to a private address', () => 'alice@wallet.example', [{ address: '10.1.2.3', family: 4 }]],
    ['a name resolving to an IPv4-mapped IPv6 loopback', () => 'alice@mapped.example', [{ address: '::ffff:127.0.0.1', family: 6 }]],
    ['a name resolving to link-local (cloud metadata)', () => 'alice@meta.example', [{ address: '169.254.169.254', family: 4 }]],
    ['a name resolving to IPv6 unique-local', () => 'alice@ula.example', [{ address: 'fd00::5', family: 6 }]],
    [
      'a name resolving to a public and a private address',
      () => 'alice@mixed.example',
      [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ],
    ],
  ])('%s', async (_what, address, resolvesTo) => {
    const host = address().split('@')[1];
    if (resolvesTo) names.set(host, resolvesTo);
    const before = await counts();
    const res = await withdrawTo(address());
    expect(res.status).toBe(422);
    expect(res.text).toContain('data-error="withdrawal"');
    expect(res.text).toContain(`${host} is on a private or local network; the site only pays Lightning Addresses on the public internet.`);
    expect(res.text).not.toMatch(/Error:|at .*\.ts:\d+/);
    expect(await counts()).toEqual(before);
    expect(hits).toEqual([]);
    if (resolvesTo) expect(asked).toEqual([host]);
  });

  test('a name that does not resolve: "did not answer", nothing changes', async () => {
    const before = await counts();
    const res = await withdrawTo('alice@nowhere.example');
    expect(res.status).toBe(422);
    expect(res.text).toContain('nowhere.example did not answer.');
    expect(await counts()).toEqual(before);
  });
});

describe('guardedGet', () => {
  const allowLoopback = { guard: true, allow: ['127.0.0.1'], resolve };
  const get = (path: string, host = 'lnurl.test', timeoutMs = 10_000) =>
    guardedGet(new URL(`http://${host}:${port}${path}`), { policy: allowLoopback, timeoutMs, maxBytes: 64 * 1024 });

  test('connects to the address it checked, resolving the name once (no second lookup to rebind)', async () => {
    names.set('lnurl.test', [{ address: '127.0.0.1', family: 4 }]);
    const r = await get('/ok');
    expect(r).toEqual({ ok: true, status: 200, body: '{"ok":true}' });
    expect(asked).toEqual(['lnurl.test']);
    expect(hits).toEqual([`lnurl.test:${port} /ok`]);
  });

  test('a redirect is not followed', async () => {
    names.set('lnurl.test', [{ address: '127.0.0.1', family: 4 }]);
    expect(await get('/redirect')).toMatchObject({ ok: false, kind: 'redirect' });
    expect(hits).toEqual([`lnurl.test:${port} /redirect`]);
  });

  test('a body over the cap is cut off', async () => {
    names.set('lnurl.test', [{ address: '127.0.0.1', family: 4 }]);
    expect(await get('/huge')).toMatchObject({ ok: false, kind: 'too-large' });
  });

  test('a host that never answers times out', async () => {
    names.set('lnurl.test', [{ address: '127.0.0.1', family: 4 }]);
    expect(await get('/silent', 'lnurl.test', 300)).toMatchObject({ ok: false, kind: 'timeout' });
  });

  test('without the allow-list entry the same name is refused before any connection', async () => {
    names.set('lnurl.test', [{ address: '127.0.0.1', family: 4 }]);
    const r = await guardedGet(new URL(`http://lnurl.test:${port}/ok`), {
      policy: { guard: true, allow: [], resolve },
      timeoutMs: 5000,
      maxBytes: 1024,
    });
    expect(r).toMatchObject({ ok: false, kind: 'forbidden', detail: 'lnurl.test resolves to 127.0.0.1, a private or local address' });
    expect(hits).toEqual([]);
  });
});
