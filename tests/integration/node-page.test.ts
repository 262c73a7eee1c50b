/**
 * /admin/node over the devnet: the node's identity and channels with balances that move as a
 * reader pays, inbound and outbound totals, invoices of the last 24 hours, and the low-inbound
 * banner reached by a real payment and shown on every admin page.
 */
import request from 'supertest';
import { payInvoice } from '../../src/devnet/pay';
import { startTestSite, loggedInAgent, csrfFrom, paymentRequestFrom, type TestSite } from '../helpers/site';
import { clientFor } from '../helpers/devnet';

let site: TestSite;
let admin: Awaited<ReturnType<typeof loggedInAgent>>;

beforeAll(async () => {
  // The banner shows when inbound < 2 x the dearest article's price.
  site = await startTestSite({ lowInboundArticlePrices: 2 });
  admin = await loggedInAgent(site.app, 'admin');
});
afterAll(() => site.close());

const field = (html: string, name: string) => new RegExp(`data-field="${name}">([^<]*)<`).exec(html)?.[1];
const remoteOf = (html: string, chanId: string) => new RegExp(`data-chan="${chanId}">[\\s\\S]*?data-remote>([^<]*)<`).exec(html)?.[1];

describe('the devnet answers ListChannels as LND does', () => {
  test('alice sees her channel to the site from her side', async () => {
    const alice = clientFor(site.devnet.nodes.alice);
    try {
      const res = await alice.call('lightning', 'ListChannels', { peer_alias_lookup: true });
      expect(res.channels).toHaveLength(1);
      expect(res.channels[0]).toMatchObject({
        active: true,
        remote_pubkey: site.devnet.nodes.site.identityPubkey,
        peer_alias: 'site',
        capacity: '1000000',
        initiator: true,
      });
      expect(res.channels[0].remote_constraints.chan_reserve_sat).toBe('10000');
    } finally {
      alice.close();
    }
  });
});

describe('/admin/node', () => {
  let chanWithAlice: string;

  test('shows the node, its two channels, inbound and outbound, and the watcher; no banner while inbound suffices', async () => {
    const res = await admin.get('/admin/node');
    expect(res.status).toBe(200);
    expect(field(res.text, 'alias')).toBe('site');
    expect(res.text).toContain(site.devnet.nodes.site.identityPubkey);
    expect(field(res.text, 'synced')).toContain('yes');
    expect(field(res.text, 'inbound')).toBe('1,980,000 sats'); // 2 x (1,000,000 - 1 % reserve)
    expect(field(res.text, 'outbound')).toBe('0 sats');
    const chans = [...res.text.matchAll(/data-chan="(\d+)"/g)].map((m) => m[1]);
    expect(chans).toHaveLength(2);
    const alice = clientFor(site.devnet.nodes.alice);
    chanWithAlice = (await alice.call('lightning', 'ListChannels')).channels[0].chan_id;
    alice.close();
    expect(remoteOf(res.text, chanWithAlice)).toBe('1,000,000 sats');
    expect(res.text).not.toContain('id="low-inbound"');
  });

  test('a reader paying a dear article moves the balances and brings up the banner on every admin page', async () => {
    const write = await admin.get('/write');
    const made = await admin
      .post('/write')
      .type('form')
      .send({
        _csrf: csrfFrom(write.text),
        title: 'Dear',
        teaser: 'Costly teaser',
        body: 'Costly body.',
        priceSat: '900000',
        intent: 'publish',
      });
    expect(made.status).toBe(302);
    const articleId = Number(/\/articles\/(\d+)/.exec(made.headers.location)![1]);
    // 2 x 900,000 = 1,800,000 < 1,980,000: still no banner.
    expect((await admin.get('/admin/node')).text).not.toContain('id="low-inbound"');

    const reader = await loggedInAgent(site.app, 'alice');
    const pr = paymentRequestFrom((await reader.get(`/articles/${articleId}`)).text);
    expect((await payInvoice(site.devnet.nodes.alice, pr)).status).toBe('SUCCEEDED');
    await reader.get(`/articles/${articleId}?check=true`);
    expect((await site.knex('payments').where({ article_id: articleId }).first()).status).toBe('complete');

    const page = await admin.get('/admin/node');
    expect(remoteOf(page.text, chanWithAlice)).toBe('100,000 sats');
    expect(field(page.text, 'inbound')).toBe('1,080,000 sats');
    expect(field(page.text, 'outbound')).toBe('890,000 sats');
    expect(Number(field(page.text, 'issued'))).toBeGreaterThanOrEqual(1);
    expect(field(page.text, 'settled')).toBe('1');
    expect(page.text).toContain("Readers' payments will start failing: open or buy inbound liquidity.");
    for (const path of ['/admin', '/admin/dashboard', '/admin/webhooks', '/admin/users']) {
      const other = await admin.get(path);
      expect(other.status).toBe(200);
      expect(other.text).toContain('id="low-inbound"');
    }
  });

  test('readers may not see it', async () => {
    const reader = await loggedInAgent(site.app, 'bob');
    expect((await reader.get('/admin/node')).status).toBe(403);
    expect((await request(site.app).get('/admin/node')).status).toBe(302);
  });

  test('a node that does not answer is said so on the page, never a 500', async () => {
    await site.devnet.stopNodes();
    try {
      const res = await admin.get('/admin/node');
      expect(res.status).toBe(200);
      expect(res.text).toContain('The node did not answer');
      expect(res.text).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await site.devnet.startNodes();
    }
  });
});
