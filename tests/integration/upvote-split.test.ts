/**
 * UPVOTE_SPLIT=earlier-upvoters: part of each upvote's writer share (UPVOTE_SHARE_PERCENT, 50) goes to
 * the readers who upvoted the article before, in proportion to what they gave; readers then have
 * balances and withdraw them the same way. Floors go to the writer; the books balance.
 */
import { loggedInAgent, csrfFrom } from '../helpers/site';
import {
  startPayoutsSite,
  createArticle,
  createUser,
  payView,
  payUpvote,
  walletNode,
  expectBooksBalanced,
  waitForWithdrawal,
  userIdOf,
  type PayoutsSite,
} from '../helpers/payouts';

jest.setTimeout(90_000);
let ps: PayoutsSite;
beforeAll(async () => {
  ps = await startPayoutsSite({ UPVOTE_SPLIT: 'earlier-upvoters' });
});
afterAll(() => ps.close());

test('earlier upvoters share later upvotes in proportion to what they gave, and withdraw their share', async () => {
  const knex = ps.site.knex;
  const writer = await createUser(knex, 'erin');
  const article = await createArticle(knex, writer, 100, 'Erin writes');
  const [alice, bob] = [await userIdOf(knex, 'alice'), await userIdOf(knex, 'bob')];
  await payView(ps.site, 'alice', article);
  await payView(ps.site, 'bob', article);
  await payUpvote(ps.site, 'alice', article, 100); // nobody upvoted before: writer 90, site 10
  await payUpvote(ps.site, 'bob', article, 200); //   net 180, half to alice (the only earlier upvoter): 90
  await payUpvote(ps.site, 'alice', article, 50); //  net 45, pool floor(22.5) = 22 to bob (alice's own earlier upvote does not count)
  const shares = await knex('ledger_entries').where({ kind: 'upvote_share' }).orderBy('id');
  expect(shares.map((e) => [Number(e.user_id), Number(e.amount_sat)])).toEqual([
    [alice, 90],
    [bob, 22],
  ]);
  const balance = async (id: number) => Number((await knex('balances').where({ user_id: id }).first()).balance_sat);
  // erin: 2 views (90 + 90) + 90 + 90 + 23
  expect(await balance(writer)).toBe(90 + 90 + 90 + 90 + 23);
  expect(await balance(alice)).toBe(90);
  expect(await balance(bob)).toBe(22);
  await expectBooksBalanced(knex);

  const agent = await loggedInAgent(ps.site.app, 'alice');
  const page = await agent.get('/me/payouts');
  expect(page.text).toContain('share of a later upvote');
  expect(page.text).toContain('data-balance="90"');
  const node = walletNode(ps.site, 'alice');
  const invoice = await node.createInvoice({ valueSat: 50, memo: 'my share' });
  const res = await agent
    .post('/me/payouts/invoice')
    .type('form')
    .send({ invoice: invoice.paymentRequest, _csrf: csrfFrom(page.text) });
  expect(res.status).toBe(303);
  const id = Number(/withdrawal=(\d+)/.exec(res.headers.location)?.[1]);
  expect(await waitForWithdrawal(knex, id, ['succeeded', 'failed'])).toMatchObject({ status: 'succeeded' });
  expect((await node.lookupInvoice(invoice.paymentHash)).state).toBe('SETTLED');
  node.close();
  expect(await balance(alice)).toBe(40);
  await expectBooksBalanced(knex);
});
