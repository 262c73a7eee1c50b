/**
 * Paying across the devnet with payInvoice (real gRPC, TLS + macaroon, SendPaymentV2), LND's
 * refusals, and what survives a restart: invoices, indexes, balances, payments, and the
 * SubscribeInvoices replay from a client's last indexes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { status } from '@grpc/grpc-js';
import { payInvoice } from '../../src/devnet/pay';
import { clientFor, collect, nextMessages, startTestDevnet, type TestDevnet } from '../helpers/devnet';

let devnet: TestDevnet;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-pay-'));
  devnet = await startTestDevnet(dir);
});
afterAll(async () => {
  await devnet.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function addInvoice(req: Record<string, unknown>) {
  const site = clientFor(devnet.nodes.site);
  try {
    return await site.call('lightning', 'AddInvoice', req);
  } finally {
    site.close();
  }
}

async function localBalanceSat(name: 'site' | 'alice' | 'bob'): Promise<number> {
  const client = clientFor(devnet.nodes[name]);
  try {
    return Number((await client.call('lightning', 'ChannelBalance')).local_balance.sat);
  } finally {
    client.close();
  }
}

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: { code: number; details: string }) => ({ code: e.code, details: e.details }),
  );

test('alice pays a site invoice: settled with the preimage, balances moved on both ends', async () => {
  const [siteBefore, aliceBefore] = [await localBalanceSat('site'), await localBalanceSat('alice')];
  const added = await addInvoice({ value: 1500, memo: 'pay me' });
  const result = await payInvoice(devnet.nodes.alice, added.payment_request);
  expect(result).toEqual({
    status: 'SUCCEEDED',
    preimage: expect.stringMatching(/^[0-9a-f]{64}$/),
    paymentHash: added.r_hash.toString('hex'),
    feeSat: 0,
  });

  const site = clientFor(devnet.nodes.site);
  const inv = await site.call('lightning', 'LookupInvoice', { r_hash: added.r_hash });
  site.close();
  expect(inv).toMatchObject({ state: 'SETTLED', settled: true, amt_paid_sat: '1500', amt_paid_msat: '1500000', settle_index: '1' });
  expect(inv.r_preimage.toString('hex')).toBe(result.status === 'SUCCEEDED' ? result.preimage : '');
  expect(inv.htlcs).toHaveLength(1);
  expect(inv.htlcs[0]).toMatchObject({ state: 'SETTLED', amt_msat: '1500000' });
  expect(await localBalanceSat('site')).toBe(siteBefore + 1500);
  expect(await localBalanceSat('alice')).toBe(aliceBefore - 1500);
});

test('paying the same invoice again: the same node is refused, another node gets INCORRECT_PAYMENT_DETAILS', async () => {
  const added = await addInvoice({ value: 10 });
  await payInvoice(devnet.nodes.alice, added.payment_request);
  expect(await refusal(payInvoice(devnet.nodes.alice, added.payment_request))).toEqual({
    code: status.ALREADY_EXISTS,
    details: 'invoice is already paid',
  });
  const bobBefore = await localBalanceSat('bob');
  expect(await payInvoice(devnet.nodes.bob, added.payment_request)).toMatchObject({
    status: 'FAILED',
    failureReason: 'FAILURE_REASON_INCORRECT_PAYMENT_DETAILS',
  });
  expect(await localBalanceSat('bob')).toBe(bobBefore);
});

test('more than the channel holds fails with FAILURE_REASON_INSUFFICIENT_BALANCE and moves nothing', async () => {
  const added = await addInvoice({ value: 2_000_000 });
  const before = await localBalanceSat('bob');
  expect(await payInvoice(devnet.nodes.bob, added.payment_request)).toMatchObject({
    status: 'FAILED',
    failureReason: 'FAILURE_REASON_INSUFFICIENT_BALANCE',
  });
  expect(await localBalanceSat('bob')).toBe(before);
});

test('a zero-amount invoice without an amount and another network are refused', async () => {
  const any = await addInvoice({});
  expect(await refusal(payInvoice(devnet.nodes.alice, any.payment_request))).toEqual({
    code: status.UNKNOWN,
    details: 'amount must be specified when paying a zero amount invoice',
  });

  const mainnet =
    'lnbc2500u1pvjluezsp5zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zyg3zygspp5qqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqqqsyqcyq5rqwzqfqypqdq5xysxxatsyp3k7enxv4jsxqzpu9qrsgquk0rl77nj30yxdy8j9vdx85fkpmdla2087ne0xh8nhedh8w27kyke0lp53ut353s06fv3qfegext0eh0ymjpf39tuven09sam30g4vgpfna3rh';
  expect(await refusal(payInvoice(devnet.nodes.alice, mainnet))).toEqual({
    code: status.UNKNOWN,
    details: "invoice not for current active network 'regtest'",
  });
});

test("the payer judges expiry by its own clock: alice's clock an hour ahead refuses a 10-minute invoice the site just made", async () => {
  const ahead = await startTestDevnet(undefined, { alice: { clockOffsetMs: 3_600_000 } });
  const site = clientFor(ahead.nodes.site);
  try {
    const added = await site.call('lightning', 'AddInvoice', { value: 10, expiry: 600 });
    const expired = await refusal(payInvoice(ahead.nodes.alice, added.payment_request));
    expect(expired.code).toBe(status.UNKNOWN);
    expect(expired.details).toMatch(/^invoice expired\. Valid until \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // bob's clock is the machine's: the same invoice is still good for him.
    expect((await payInvoice(ahead.nodes.bob, added.payment_request)).status).toBe('SUCCEEDED');
  } finally {
    site.close();
    await ahead.stop();
  }
});

test('a payment streams IN_FLIGHT then SUCCEEDED, with a route through the channel', async () => {
  const added = await addInvoice({ value: 21 });
  const alice = clientFor(devnet.nodes.alice);
  const { messages, error } = await collect(
    alice.stream('router', 'SendPaymentV2', { payment_request: added.payment_request, timeout_seconds: 10 }),
  );
  alice.close();
  expect(error).toBeUndefined();
  expect(messages.map((m) => m.status)).toEqual(['IN_FLIGHT', 'SUCCEEDED']);
  const done = messages[1];
  expect(done).toMatchObject({ value_sat: '21', fee_sat: '0', failure_reason: 'FAILURE_REASON_NONE' });
  expect(done.htlcs[0].status).toBe('SUCCEEDED');
  expect(done.htlcs[0].route.hops[0].pub_key).toBe(devnet.nodes.site.identityPubkey);
});

test('bob can pay alice through site (two hops, zero fee)', async () => {
  const alice = clientFor(devnet.nodes.alice);
  const added = await alice.call('lightning', 'AddInvoice', { value: 100 });
  alice.close();
  expect(await payInvoice(devnet.nodes.bob, added.payment_request)).toMatchObject({ status: 'SUCCEEDED' });
});

test('after a restart in the same dir: state is remembered and SubscribeInvoices replays from given indexes', async () => {
  // Invoices so far on site; note the indexes a client would have stored.
  const site = clientFor(devnet.nodes.site);
  const listed = await site.call('lightning', 'ListInvoices', {});
  const lastAdd = Number(listed.last_index_offset);
  const lastSettle = Math.max(...listed.invoices.map((i: { settle_index: string }) => Number(i.settle_index)));
  site.close();

  // While the client is "away": one invoice added and settled, one added and left open, one canceled.
  const paid = await addInvoice({ value: 7, memo: 'paid while away' });
  await payInvoice(devnet.nodes.alice, paid.payment_request);
  const open = await addInvoice({ value: 8, memo: 'open while away' });
  const canceled = await addInvoice({ value: 9 });
  const c = clientFor(devnet.nodes.site);
  await c.call('invoices', 'CancelInvoice', { payment_hash: canceled.r_hash });
  c.close();
  const aliceBalance = await localBalanceSat('alice');

  await devnet.stop();
  devnet = await startTestDevnet(dir);

  expect(await localBalanceSat('alice')).toBe(aliceBalance);
  const client = clientFor(devnet.nodes.site);
  const stream = client.stream('lightning', 'SubscribeInvoices', { add_index: lastAdd, settle_index: lastSettle });
  const replay = await nextMessages(stream, 3);
  // Adds after lastAdd in order (current state; the canceled one dropped), then settles after lastSettle.
  expect(replay.map((m) => [m.memo, m.state])).toEqual([
    ['paid while away', 'SETTLED'],
    ['open while away', 'OPEN'],
    ['paid while away', 'SETTLED'],
  ]);
  expect(replay[1].r_hash).toEqual(open.r_hash);

  // Live: a new invoice (OPEN) and its settlement (SETTLED); cancellations are not sent.
  const live = nextMessages(stream, 2);
  const next = await addInvoice({ value: 3, memo: 'live' });
  await payInvoice(devnet.nodes.alice, next.payment_request);
  expect((await live).map((m) => [m.memo, m.state])).toEqual([
    ['live', 'OPEN'],
    ['live', 'SETTLED'],
  ]);

  const lookup = await client.call('lightning', 'LookupInvoice', { r_hash: paid.r_hash });
  expect(lookup.state).toBe('SETTLED');

  // Shutdown ends the stream with status OK, as LND does.
  const ended = collect(stream);
  await devnet.stop();
  expect((await ended).error).toBeUndefined();
  client.close();
  devnet = await startTestDevnet(dir);
});
