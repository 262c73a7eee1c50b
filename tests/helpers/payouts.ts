/**
 * A test site with payouts: the same parts server.ts builds (router client on the site node's real
 * gRPC connection, service, worker), settings from loadPayoutConfig with the test's overrides, and
 * helpers to earn (an article, a paid view, an upvote) and to read the books.
 */
import type { Knex } from 'knex';
import { payInvoice } from '../../src/devnet/pay';
import { loadPayoutConfig, type PayoutConfig } from '../../src/payouts/payout-config';
import type { PayoutsService } from '../../src/payouts/payouts-service';
import type { PayoutWorker } from '../../src/payouts/payout-worker';
import { createLedgerRepo } from '../../src/payouts/ledger-repo';
import { startTestSite, nodeFor, loggedInAgent, csrfFrom, paymentRequestFrom, type TestSite, type TestSiteOptions } from './site';
import { eventually } from './http';
import { silentLogger } from '../../src/lib/logger';

export interface PayoutsSite {
  site: TestSite;
  payouts: PayoutsService;
  worker: PayoutWorker;
  close(): Promise<void>;
}

/**
 * A test site composed with payouts (settings from loadPayoutConfig with `env` on top of test
 * defaults, then `override`, e.g. an address policy with a resolver of the test's own).
 */
export async function startPayoutsSite(
  env: Record<string, string> = {},
  options: TestSiteOptions = {},
  override: Partial<PayoutConfig> = {},
): Promise<PayoutsSite> {
  const config = {
    ...loadPayoutConfig({ NODE_ENV: 'test', WITHDRAWALS_PER_HOUR: '1000', PAYOUT_RECONCILE_SECONDS: '3600', ...env }),
    ...override,
  };
  const site = await startTestSite({ ...options, payouts: config });
  const payouts = site.payouts as PayoutsService;
  return {
    site,
    payouts,
    worker: site.payoutWorker as PayoutWorker,
    async close() {
      await payouts.idle();
      await site.close();
    },
  };
}

const silent = () => silentLogger;

export const userIdOf = async (knex: Knex, username: string): Promise<number> =>
  Number((await knex('users').where({ username }).first('id')).id);

export async function createUser(knex: Knex, username: string): Promise<number> {
  const [row] = await knex('users').insert({ username, password_hash: 'x', role: 'reader' }).returning('id');
  return Number(row.id);
}

export async function createArticle(
  knex: Knex,
  authorId: number,
  priceSat: number,
  title = `Article for ${priceSat} sats`,
): Promise<number> {
  const [row] = await knex('articles')
    .insert({
      author_id: authorId,
      title,
      teaser: 'teaser',
      body: 'the paid body',
      teaser_html: '<p>teaser</p>',
      body_html: '<p>the paid body</p>',
      price_sat: priceSat,
      status: 'published',
    })
    .returning('id');
  return Number(row.id);
}

/** `reader` (a demo user with a devnet wallet) pays to read `articleId` over the devnet; resolves once complete. */
export async function payView(site: TestSite, reader: 'alice' | 'bob', articleId: number): Promise<void> {
  const agent = await loggedInAgent(site.app, reader);
  const page = await agent.get(`/articles/${articleId}`);
  expect((await payInvoice(site.devnet.nodes[reader], paymentRequestFrom(page.text))).status).toBe('SUCCEEDED');
  const done = await agent.get(`/articles/${articleId}?check=true`);
  expect(done.text).toContain('Payment received');
}

export async function payUpvote(site: TestSite, reader: 'alice' | 'bob', articleId: number, amountSat: number): Promise<void> {
  const agent = await loggedInAgent(site.app, reader);
  const csrf = csrfFrom((await agent.get(`/articles/${articleId}`)).text);
  const res = await agent
    .post(`/articles/${articleId}/upvote`)
    .type('form')
    .send({ _csrf: csrf, amountSat: String(amountSat) });
  expect(res.status).toBe(303);
  const panel = await agent.get(res.headers.location);
  expect((await payInvoice(site.devnet.nodes[reader], paymentRequestFrom(panel.text))).status).toBe('SUCCEEDED');
  // What the panel's "I've paid – check" form sends (the upvote's id and check=true, on the article page).
  const upvoteId = /[?&]upvote=(\d+)/.exec(res.headers.location)?.[1];
  expect((await agent.get(`/articles/${articleId}?upvote=${upvoteId}&check=true`)).text).toContain('Upvote received');
}

/** Gives the site's node outbound balance toward `wallet`'s channel: the wallet pays a plain invoice of the site node. */
export async function topUpSiteLiquidity(site: TestSite, from: 'alice' | 'bob', sats: number): Promise<void> {
  const invoice = await site.node.createInvoice({ valueSat: sats, memo: 'liquidity for payouts' });
  expect((await payInvoice(site.devnet.nodes[from], invoice.paymentRequest)).status).toBe('SUCCEEDED');
}

export const walletNode = (site: TestSite, name: 'alice' | 'bob') => nodeFor(site.devnet, name, silent());

export async function expectBooksBalanced(knex: Knex): Promise<void> {
  const books = await createLedgerRepo(knex).books();
  expect(books).toMatchObject({ balanced: true, uncreditedPayments: 0, mismatchedBalances: 0 });
  expect(books.receivedSat).toBe(books.feesKeptSat + books.balancesOwedSat + books.inFlightSat + books.withdrawnSat + books.routingFeesSat);
}

export async function waitForWithdrawal(knex: Knex, id: number, statuses: string[]): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const row = await knex('withdrawals').where({ id }).first();
      return row && statuses.includes(row.status) ? row : undefined;
    },
    `withdrawal ${id} to be ${statuses.join(' or ')}`,
    30_000,
  );
}
