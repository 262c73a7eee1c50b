/**
 * Writers get paid, over the devnet and a real database: the ledger credited in the transaction that
 * completes a payment, withdrawals to a pasted BOLT 11 invoice and to a Lightning Address, bad input
 * refused with nothing changed, failures restoring the balance once, 50 concurrent requests, the pause
 * switch, and the books balancing after every test.
 */
import request from 'supertest';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { clientFor } from '../helpers/devnet';
import { listen, loginCookie } from '../helpers/http';
import { HtmlValidate } from 'html-validate';
import { loggedInAgent, csrfFrom } from '../helpers/site';
import {
  startPayoutsSite,
  createArticle,
  createUser,
  payView,
  payUpvote,
  topUpSiteLiquidity,
  walletNode,
  expectBooksBalanced,
  waitForWithdrawal,
  userIdOf,
  type PayoutsSite,
} from '../helpers/payouts';

jest.setTimeout(90_000);

let ps: PayoutsSite;
let aliceId: number;
let aliceArticle: number;
beforeAll(async () => {
  ps = await startPayoutsSite();
  aliceId = await userIdOf(ps.site.knex, 'alice');
  aliceArticle = await createArticle(ps.site.knex, aliceId, 1005, 'Alice writes');
  await topUpSiteLiquidity(ps.site, 'alice', 50_000);
});
afterAll(() => ps.close());
afterEach(async () => {
  await ps.payouts.idle();
  await expectBooksBalanced(ps.site.knex);
});

const knex = () => ps.site.knex;
const balanceOf = async (userId: number) => Number((await knex()('balances').where({ user_id: userId }).first())?.balance_sat ?? 0);
const counts = async () => ({
  withdrawals: Number((await knex()('withdrawals').count('* as n').first())?.n),
  entries: Number((await knex()('ledger_entries').count('* as n').first())?.n),
  alice: await balanceOf(aliceId),
});

async function post(agent: Awaited<ReturnType<typeof loggedInAgent>>, path: string, form: Record<string, string>) {
  const csrf = csrfFrom((await agent.get('/me/payouts')).text);
  return agent
    .post(path)
    .type('form')
    .send({ ...form, _csrf: csrf });
}

const aliceInvoice = async (sats: number, expirySeconds?: number) => {
  const node = walletNode(ps.site, 'alice');
  try {
    return await node.createInvoice({ valueSat: sats, memo: 'my earnings', expirySeconds });
  } finally {
    node.close();
  }
};

describe('earning', () => {
  test('a paid view and an upvote credit the writer in the completing transaction, the site keeping ceil(10 %)', async () => {
    await payView(ps.site, 'bob', aliceArticle);
    await payUpvote(ps.site, 'bob', aliceArticle, 15);
    const entries = await knex()('ledger_entries')
      .whereIn('payment_id', knex()('payments').select('id').where({ article_id: aliceArticle }))
      .orderBy('id');
    // 1005 -> fee ceil(100.5) = 101, writer 904; 15 -> fee ceil(1.5) = 2, writer 13.
    expect(entries.map((e) => [e.kind, e.user_id === null ? null : Number(e.user_id), Number(e.amount_sat), e.purpose])).toEqual([
      ['site_fee', null, 101, 'view'],
      ['earning', aliceId, 904, 'view'],
      ['site_fee', null, 2, 'upvote'],
      ['earning', aliceId, 13, 'upvote'],
    ]);
    expect(await balanceOf(aliceId)).toBe(917);

    const alice = await loggedInAgent(ps.site.app, 'alice');
    const page = await alice.get('/me/payouts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-balance="917"');
    expect(page.text).toContain('Alice writes');
    expect(page.text).toContain('paid view');
    expect(page.text).toContain('+904 sats');
  });

  test('entries cannot be changed or deleted: the database refuses', async () => {
    await expect(knex()('ledger_entries').update({ amount_sat: 1 })).rejects.toThrow(/append-only/);
    await expect(knex()('ledger_entries').del()).rejects.toThrow(/append-only/);
  });
});

describe('withdrawing', () => {
  test("to alice's own invoice: paid over the site's channel, the reserve held then given back, the invoice settled", async () => {
    const before = await counts();
    const invoice = await aliceInvoice(300);
    const alice = await loggedInAgent(ps.site.app, 'alice');
    const res = await post(alice, '/me/payouts/invoice', { invoice: invoice.paymentRequest });
    expect(res.status).toBe(303);
    const id = Number(/withdrawal=(\d+)/.exec(res.headers.location)?.[1]);
    const done = await waitForWithdrawal(knex(), id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', amount_sat: 300, fee_reserve_sat: 3, fee_sat: 0, payment_hash: invoice.paymentHash });
    expect(await balanceOf(aliceId)).toBe(before.alice - 300);
    const node = walletNode(ps.site, 'alice');
    expect((await node.lookupInvoice(invoice.paymentHash)).state).toBe('SETTLED');
    node.close();
    const kinds = (await knex()('ledger_entries').where({ withdrawal_id: id }).orderBy('id')).map((e) => [e.kind, Number(e.amount_sat)]);
    expect(kinds).toEqual([
      ['withdrawal', -303],
      ['fee_reserve_refund', 3],
    ]);
    const page = await alice.get(res.headers.location);
    expect(page.text).toContain('Withdrawal requested');
    expect(page.text).toMatch(new RegExp(`data-withdrawal="${id}" data-status="succeeded"`));

    // The same invoice again: refused, nothing changed.
    const after = await counts();
    const again = await post(alice, '/me/payouts/invoice', { invoice: invoice.paymentRequest });
    expect(again.status).toBe(422);
    expect(again.text).toContain('already used');
    expect(await counts()).toEqual(after);
  });

  test("to alice's Lightning Address: LUD-16 -> LUD-06 over the devnet's LNURL server, description hash checked", async () => {
    const before = await counts();
    const address = ps.site.devnet.current()?.lightningAddresses.alice as string;
    expect(address).toMatch(/^alice@127\.0\.0\.1:\d+$/);
    const alice = await loggedInAgent(ps.site.app, 'alice');
    const res = await post(alice, '/me/payouts/address', { address, amount: '200' });
    expect(res.status).toBe(303);
    const id = Number(/withdrawal=(\d+)/.exec(res.headers.location)?.[1]);
    const done = await waitForWithdrawal(knex(), id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', via: 'lightning_address', lightning_address: address, amount_sat: 200, fee_sat: 0 });
    expect(await balanceOf(aliceId)).toBe(before.alice - 200);
    const node = walletNode(ps.site, 'alice');
    const invoice = await node.lookupInvoice(String(done.payment_hash));
    node.close();
    expect(invoice).toMatchObject({ state: 'SETTLED', amtPaidSat: 200 });
  });
});

describe('bad input is a clear message and changes nothing', () => {
  let badServer: http.Server;
  let badPort: number;
  let mismatchedPr = '';
  beforeAll(async () => {
    const alice = clientFor(ps.site.devnet.nodes.alice);
    // An invoice whose description hash is of something else than the metadata served.
    mismatchedPr = (
      await alice.call('lightning', 'AddInvoice', { value: '50', description_hash: createHash('sha256').update('other').digest() })
    ).payment_request;
    alice.close();
    badServer = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const host = `127.0.0.1:${badPort}`;
      if (url.pathname === '/.well-known/lnurlp/garbage') return res.end('<html>hello</html>');
      if (url.pathname === '/.well-known/lnurlp/refuses') return res.end(JSON.stringify({ status: 'ERROR', reason: 'account closed' }));
      if (url.pathname === '/.well-known/lnurlp/mismatch') {
        return res.end(
          JSON.stringify({
            tag: 'payRequest',
            callback: `http://${host}/cb`,
            minSendable: 1000,
            maxSendable: 1e9,
            metadata: JSON.stringify([['text/plain', 'x']]),
          }),
        );
      }
      if (url.pathname === '/.well-known/lnurlp/tiny') {
        return res.end(
          JSON.stringify({
            tag: 'payRequest',
            callback: `http://${host}/cb`,
            minSendable: 1000,
            maxSendable: 20000,
            metadata: JSON.stringify([['text/plain', 'x']]),
          }),
        );
      }
      if (url.pathname === '/cb') return res.end(JSON.stringify({ pr: mismatchedPr, routes: [] }));
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((r) => badServer.listen(0, '127.0.0.1', () => r()));
    badPort = (badServer.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => badServer.close(() => r())));

  const mainnet =
    'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh';

  test.each([
    ['a malformed invoice', async () => ({ invoice: 'lnbcrt-not-an-invoice' }), 'not a Lightning invoice'],
    ['garbage that looks like one', async () => ({ invoice: 'lnbcrt1qqqqqqqqqqqqq' }), 'could not be read'],
    ['a mainnet invoice on regtest', async () => ({ invoice: mainnet }), 'is for mainnet, but this site pays on regtest'],
    ['an invoice expiring within a minute', async () => ({ invoice: (await aliceInvoice(100, 30)).paymentRequest }), 'expired'],
    ['an invoice without an amount', async () => ({ invoice: (await aliceInvoice(0)).paymentRequest }), 'has no amount'],
    [
      'an invoice for more than the balance',
      async () => ({ invoice: (await aliceInvoice(2_000_000)).paymentRequest }),
      'A withdrawal must be from',
    ],
    [
      'an invoice for more than the balance but within limits',
      async () => ({ invoice: (await aliceInvoice(5_000)).paymentRequest }),
      'Your balance is',
    ],
    [
      'one of the site’s own invoices',
      async () => ({ invoice: (await knex()('payments').whereNotNull('payment_request').first()).payment_request }),
      'own invoices',
    ],
  ])('%s', async (_what, form, message) => {
    const before = await counts();
    const alice = await loggedInAgent(ps.site.app, 'alice');
    const res = await post(alice, '/me/payouts/invoice', await form());
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    expect(res.text).toContain('data-error="withdrawal"');
    expect(await counts()).toEqual(before);
  });

  test.each([
    ['not an address', () => 'alice-at-nowhere', 'not a Lightning Address'],
    ['an address that does not answer', () => 'nobody@127.0.0.1:1', 'did not answer'],
    ['an address answering garbage', () => `garbage@127.0.0.1:${badPort}`, 'did not answer with LNURL data'],
    ['an address answering an LNURL error', () => `refuses@127.0.0.1:${badPort}`, 'refused: account closed'],
    ['an amount outside its bounds', () => `tiny@127.0.0.1:${badPort}`, 'accepts from 1 to 20 sats'],
    ['an invoice whose description hash does not match the metadata', () => `mismatch@127.0.0.1:${badPort}`, 'description hash differs'],
  ])('Lightning Address: %s', async (_what, address, message) => {
    const before = await counts();
    const alice = await loggedInAgent(ps.site.app, 'alice');
    const res = await post(alice, '/me/payouts/address', { address: address(), amount: '50' });
    expect(res.status).toBe(422);
    expect(res.text).toContain(message);
    expect(await counts()).toEqual(before);
  });
});

describe('failures and races', () => {
  test('a payment that fails for lack of a route restores the balance exactly once', async () => {
    // bob earns; the site's channel to bob holds only what bob paid in, less than he withdraws.
    const bobId = await userIdOf(knex(), 'bob');
    const bobArticle = await createArticle(knex(), bobId, 5000, 'Bob writes');
    await payView(ps.site, 'alice', bobArticle);
    const balance = await balanceOf(bobId);
    expect(balance).toBe(4500);
    const bobNode = walletNode(ps.site, 'bob');
    const invoice = await bobNode.createInvoice({ valueSat: 4000, memo: 'too much for the channel' });
    const bob = await loggedInAgent(ps.site.app, 'bob');
    const res = await post(bob, '/me/payouts/invoice', { invoice: invoice.paymentRequest });
    const id = Number(/withdrawal=(\d+)/.exec(res.headers.location)?.[1]);
    const done = await waitForWithdrawal(knex(), id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'failed', failure_reason: 'no route to the recipient was found' });
    expect(await balanceOf(bobId)).toBe(4500);
    expect((await bobNode.lookupInvoice(invoice.paymentHash)).state).toBe('OPEN');
    bobNode.close();
    // Recording the failure again (a replayed answer, a second process) restores nothing more.
    expect(await ps.payouts.withdrawals.markFailed(id, 'again')).toBe(false);
    await ps.worker.tick();
    expect(await balanceOf(bobId)).toBe(4500);
    expect((await knex()('ledger_entries').where({ withdrawal_id: id })).map((e) => [e.kind, Number(e.amount_sat)])).toEqual([
      ['withdrawal', -4040],
      ['withdrawal_refund', 4040],
    ]);
    const page = await bob.get('/me/payouts');
    expect(page.text).toContain('failed, balance restored');
  });

  test('50 concurrent withdrawal requests from a balance covering 10: exactly 10 are paid', async () => {
    const doraId = await createUser(knex(), 'dora');
    await knex()('users')
      .where({ id: doraId })
      .update({ password_hash: (await knex()('users').where({ username: 'alice' }).first()).password_hash });
    const doraArticle = await createArticle(knex(), doraId, 1150, 'Dora writes');
    await payView(ps.site, 'bob', doraArticle);
    expect(await balanceOf(doraId)).toBe(1035); // 10 x (100 + 2 reserve) = 1020 fits, 11 do not
    const invoices = await Promise.all(Array.from({ length: 50 }, () => aliceInvoice(100)));
    // Real HTTP on 127.0.0.1: 50 requests in parallel on one session.
    const server = await listen(ps.site.app);
    const cookie = await loginCookie(server.baseUrl, 'dora', 'alice-password');
    const csrf = csrfFrom(await (await fetch(`${server.baseUrl}/me/payouts`, { headers: { cookie } })).text());
    const answers = await Promise.all(
      invoices.map(async (inv) => {
        const res = await fetch(`${server.baseUrl}/me/payouts/invoice`, {
          method: 'POST',
          redirect: 'manual',
          headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl },
          body: new URLSearchParams({ invoice: inv.paymentRequest, _csrf: csrf }).toString(),
        });
        return { status: res.status, text: await res.text() };
      }),
    );
    await server.close();
    expect(answers.filter((a) => a.status === 303)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 422 && a.text.includes('Your balance is'))).toHaveLength(40);
    await ps.payouts.idle();
    const rows = await knex()('withdrawals').where({ user_id: doraId });
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.status === 'succeeded')).toBe(true);
    expect(await balanceOf(doraId)).toBe(35);
    const node = walletNode(ps.site, 'alice');
    const settled = (await Promise.all(invoices.map((i) => node.lookupInvoice(i.paymentHash)))).filter((i) => i.state === 'SETTLED');
    node.close();
    expect(settled).toHaveLength(10);
  });

  test('a requested withdrawal whose creator died before sending: tracked, then sent only by the holder of the send lease', async () => {
    const before = await balanceOf(aliceId);
    const make = async (sendLeaseSeconds: number) => {
      const inv = await aliceInvoice(40);
      const r = await ps.payouts.withdrawals.create({
        userId: aliceId,
        via: 'bolt11',
        lightningAddress: null,
        paymentRequest: inv.paymentRequest,
        paymentHash: inv.paymentHash,
        amountSat: 40,
        feeReserveSat: 2,
        automatic: false,
        limits: { dailyMaxSat: 10_000_000, perHour: 1000 },
        sendLeaseSeconds,
      });
      if (r.kind !== 'created') throw new Error(r.kind);
      return r.withdrawal;
    };
    const orphan = await make(0); // its creator's lease has run out: the node never saw it
    const held = await make(3600); // its creator may still be sending: nobody else may
    await ps.worker.tick();
    await ps.payouts.idle();
    expect(await knex()('withdrawals').where({ id: orphan.id }).first()).toMatchObject({ status: 'succeeded' });
    expect(await knex()('withdrawals').where({ id: held.id }).first()).toMatchObject({ status: 'requested' });
    expect(await balanceOf(aliceId)).toBe(before - 40 - 42);
    // Tidy up as an operator would once the creator is known dead: the node never saw it, so it fails and restores.
    expect(await ps.payouts.withdrawals.markFailed(held.id, 'abandoned')).toBe(true);
    expect(await balanceOf(aliceId)).toBe(before - 40);
  });

  test('the node stopped mid-payment: the withdrawal stays in flight, and after the node is back it ends exactly once', async () => {
    const before = await balanceOf(aliceId);
    ps.site.devnet.current()?.holdPayments(true);
    const invoice = await aliceInvoice(150);
    const alice = await loggedInAgent(ps.site.app, 'alice');
    const res = await post(alice, '/me/payouts/invoice', { invoice: invoice.paymentRequest });
    const id = Number(/withdrawal=(\d+)/.exec(res.headers.location)?.[1]);
    await waitForWithdrawal(knex(), id, ['in_flight']);
    await ps.site.devnet.stopNodes();
    await ps.payouts.idle();
    expect((await knex()('withdrawals').where({ id }).first()).status).toBe('in_flight');
    expect(await balanceOf(aliceId)).toBe(before - 150 - 2);
    await ps.site.devnet.startNodes(); // resumes the payment it persisted in flight
    await ps.worker.tick(); // TrackPaymentV2, as after a reconnect
    const done = await waitForWithdrawal(knex(), id, ['succeeded', 'failed']);
    expect(done).toMatchObject({ status: 'succeeded', failure_reason: null });
    expect(await balanceOf(aliceId)).toBe(before - 150);
    await ps.worker.tick();
    await ps.payouts.idle();
    expect(await balanceOf(aliceId)).toBe(before - 150);
    expect(await knex()('ledger_entries').where({ withdrawal_id: id }).count('* as n').first()).toEqual({ n: 2 });
  });
});

describe('the admin side', () => {
  test('the payouts page and the dashboard say the books balance; the pause switch stops new withdrawals', async () => {
    const admin = await loggedInAgent(ps.site.app, 'admin');
    const page = await admin.get('/admin/payouts');
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-books="balanced"');
    expect(page.text).toContain('no route to the recipient was found');
    expect((await admin.get('/admin/dashboard')).text).toContain('data-books="balanced"');
    expect((await request(ps.site.app).get('/admin/payouts')).status).toBe(302);
    expect((await (await loggedInAgent(ps.site.app, 'bob')).get('/admin/payouts')).status).toBe(403);

    const csrf = csrfFrom(page.text);
    expect((await admin.post('/admin/payouts/pause').type('form').send({ _csrf: csrf, paused: 'true', reason: '' })).status).toBe(422);
    expect(
      (await admin.post('/admin/payouts/pause').type('form').send({ _csrf: csrf, paused: 'true', reason: 'node maintenance' })).status,
    ).toBe(303);
    const before = await counts();
    const alice = await loggedInAgent(ps.site.app, 'alice');
    const res = await post(alice, '/me/payouts/invoice', { invoice: (await aliceInvoice(100)).paymentRequest });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Payouts are paused');
    expect(await counts()).toEqual(before);
    expect((await admin.post('/admin/payouts/pause').type('form').send({ _csrf: csrf, paused: 'false' })).status).toBe(303);
    expect((await knex()('payout_controls').first()).paused).toBe(false);
  });

  test('automatic withdrawal to a saved address once the balance reaches the threshold', async () => {
    const alice = await loggedInAgent(ps.site.app, 'alice');
    const address = ps.site.devnet.current()?.lightningAddresses.alice as string;
    const bad = await post(alice, '/me/payouts/settings', { saved_address: 'nope', threshold: '100' });
    expect(bad.status).toBe(422);
    const saved = await post(alice, '/me/payouts/settings', { saved_address: address, threshold: '100' });
    expect(saved.text).toContain('Payout settings saved');
    await ps.worker.tick();
    await ps.payouts.idle();
    const auto = await knex()('withdrawals').where({ user_id: aliceId, automatic: true }).first();
    expect(auto).toMatchObject({ status: 'succeeded', via: 'lightning_address' });
    expect(await balanceOf(aliceId)).toBeLessThan(100);
    await ps.payouts.ledger.saveSettings(aliceId, { lightningAddress: null, autoWithdrawThresholdSat: null });
  });
});

test('the payout pages are valid HTML (html-validate, the rules html-validity.test.ts uses)', async () => {
  const validator = new HtmlValidate({
    extends: ['html-validate:recommended'],
    rules: { 'doctype-style': 'off', 'no-trailing-whitespace': 'off' },
  });
  const alice = await loggedInAgent(ps.site.app, 'alice');
  const admin = await loggedInAgent(ps.site.app, 'admin');
  const failedForm = await post(alice, '/me/payouts/invoice', { invoice: 'nonsense' });
  for (const [name, html] of [
    ['me-payouts', (await alice.get('/me/payouts')).text],
    ['me-payouts-error', failedForm.text],
    ['admin-payouts', (await admin.get('/admin/payouts')).text],
    ['admin-dashboard', (await admin.get('/admin/dashboard')).text],
  ]) {
    const report = await validator.validateString(html, `${name}.html`);
    const problems = report.results.flatMap((r) => r.messages).map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
    expect(`${name}: ${problems.join('\n')}`).toBe(`${name}: `);
  }
});
