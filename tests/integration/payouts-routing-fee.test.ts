/**
 * Withdrawals that pay a routing fee, over a devnet whose nodes forward for a fee
 * (src/devnet/routing-fee.ts: 20,000 msat + 1,000 ppm here). The site's channel to bob holds nothing,
 * so its payment to bob goes site -> alice -> bob and alice keeps her fee, reported by the site's node
 * as LND reports it. A fee within the reserve is charged exactly and the rest of the reserve comes
 * back; a fee above it (the fee limit) leaves no route, and the balance comes back once.
 */
import { clientFor, collect } from '../helpers/devnet';
import { loggedInAgent, csrfFrom } from '../helpers/site';
import {
  startPayoutsSite,
  createArticle,
  payView,
  userIdOf,
  walletNode,
  waitForWithdrawal,
  expectBooksBalanced,
  type PayoutsSite,
} from '../helpers/payouts';

jest.setTimeout(90_000);

let ps: PayoutsSite;
let bobId: number;
beforeAll(async () => {
  ps = await startPayoutsSite({ WITHDRAWAL_FEE_RESERVE_PERCENT: '1' }, { devnetRoutingFee: { baseMsat: 20_000n, ppm: 1_000n } });
  bobId = await userIdOf(ps.site.knex, 'bob');
  // A reader pays from alice's wallet: the site's channel to alice fills, its channel to bob stays empty.
  await payView(ps.site, 'alice', await createArticle(ps.site.knex, bobId, 20_000, 'Bob writes'));
});
afterAll(() => ps.close());
afterEach(async () => {
  await ps.payouts.idle();
  await expectBooksBalanced(ps.site.knex);
});

const knex = () => ps.site.knex;
const balance = async () => Number((await knex()('balances').where({ user_id: bobId }).first())?.balance_sat ?? 0);
const entries = async (id: number) =>
  (await knex()('ledger_entries').where({ withdrawal_id: id }).orderBy('id')).map((e) => [e.kind, Number(e.amount_sat)]);

async function withdrawToBob(sats: number) {
  const wallet = walletNode(ps.site, 'bob');
  const invoice = await wallet.createInvoice({ valueSat: sats, memo: 'my earnings' });
  wallet.close();
  const bob = await loggedInAgent(ps.site.app, 'bob');
  const csrf = csrfFrom((await bob.get('/me/payouts')).text);
  const res = await bob.post('/me/payouts/invoice').type('form').send({ invoice: invoice.paymentRequest, _csrf: csrf });
  expect(res.status).toBe(303);
  const id = Number(/withdrawal=(\d+)/.exec(res.headers.location)?.[1]);
  return { id, invoice, bob, done: await waitForWithdrawal(knex(), id, ['succeeded', 'failed']) };
}

/** The site node's record of the payment (TrackPaymentV2), as the site's LND reports it. */
async function sitePayment(paymentHash: string) {
  const site = clientFor(ps.site.devnet.nodes.site);
  const { messages } = await collect(
    site.stream('router', 'TrackPaymentV2', { payment_hash: Buffer.from(paymentHash, 'hex'), no_inflight_updates: true }),
  );
  site.close();
  return messages[messages.length - 1];
}

test('a fee within the reserve: the real fee is charged, the rest of the reserve comes back, routing fees in the books', async () => {
  expect(await balance()).toBe(18_000);
  // 10,000 sats: reserve 1 % = 100 sats; alice's fee 20,000 msat + 10,000,000 msat x 1,000 ppm = 30,000 msat.
  const { id, invoice, bob, done } = await withdrawToBob(10_000);
  expect(done).toMatchObject({ status: 'succeeded', amount_sat: 10_000, fee_reserve_sat: 100, fee_sat: 30 });
  expect(await entries(id)).toEqual([
    ['withdrawal', -10_100],
    ['fee_reserve_refund', 70],
  ]);
  expect(await balance()).toBe(18_000 - 10_030);

  const p = await sitePayment(invoice.paymentHash);
  const alicePubkey = ps.site.devnet.nodes.alice.identityPubkey;
  const bobPubkey = ps.site.devnet.nodes.bob.identityPubkey;
  expect(p).toMatchObject({
    status: 'SUCCEEDED',
    value_msat: '10000000',
    fee_msat: '30000',
    fee_sat: '30',
    failure_reason: 'FAILURE_REASON_NONE',
  });
  expect(p.htlcs).toHaveLength(1);
  expect(p.htlcs[0].route).toMatchObject({ total_fees_msat: '30000', total_amt_msat: '10030000' });
  expect(p.htlcs[0].route.hops.map((h: Record<string, string>) => [h.pub_key, h.amt_to_forward_msat, h.fee_msat])).toEqual([
    [alicePubkey, '10000000', '30000'],
    [bobPubkey, '10000000', '0'],
  ]);
  const wallet = walletNode(ps.site, 'bob');
  expect(await wallet.lookupInvoice(invoice.paymentHash)).toMatchObject({ state: 'SETTLED', amtPaidSat: 10_000 });
  wallet.close();

  const books = await ps.payouts.ledger.books();
  expect(books).toMatchObject({ withdrawnSat: 10_000, routingFeesSat: 30, inFlightSat: 0, balanced: true });
  const page = await bob.get('/me/payouts');
  expect(page.text).toMatch(new RegExp(`data-withdrawal="${id}" data-status="succeeded"`));
});

test('a fee above the fee limit: no route (as LND says when the limit excludes every route), the balance restored once', async () => {
  const before = await balance();
  // 1,000 sats: reserve (the fee limit) 10 sats; alice would charge 21.
  const { id, invoice, done } = await withdrawToBob(1_000);
  expect(done).toMatchObject({ status: 'failed', fee_reserve_sat: 10, failure_reason: 'no route to the recipient was found' });
  expect(await balance()).toBe(before);
  expect(await entries(id)).toEqual([
    ['withdrawal', -1_010],
    ['withdrawal_refund', 1_010],
  ]);
  expect(await sitePayment(invoice.paymentHash)).toMatchObject({
    status: 'FAILED',
    failure_reason: 'FAILURE_REASON_NO_ROUTE',
    fee_msat: '0',
    htlcs: [],
  });
  const wallet = walletNode(ps.site, 'bob');
  expect((await wallet.lookupInvoice(invoice.paymentHash)).state).toBe('OPEN');
  wallet.close();
  // Reconciling again restores nothing more.
  await ps.worker.tick();
  await ps.payouts.idle();
  expect(await balance()).toBe(before);
  expect(await entries(id)).toHaveLength(2);
});
