/**
 * The site node paying out over the devnet, as LND's router does it: balances move from site to the
 * wallets, statuses IN_FLIGHT then SUCCEEDED with fee_msat and the preimage, ALREADY_EXISTS "payment is
 * in transition" while in flight and "invoice is already paid" after, TrackPaymentV2 NOT_FOUND "payment
 * isn't initiated" for an unknown hash, NO_ROUTE vs INSUFFICIENT_BALANCE, and a payment in flight when
 * the node stops finished after the next start. The LNURL-pay server's answers are checked too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import bolt11 from 'bolt11';
import { payInvoice } from '../../src/devnet/pay';
import { clientFor, collect, nextMessages, startTestDevnet, type TestDevnet } from '../helpers/devnet';

jest.setTimeout(60_000);
let devnet: TestDevnet;
let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devnet-site-pays-'));
  devnet = await startTestDevnet(dir);
  // alice pays the site 20,000 sats: the site's side of their channel can now pay alice back.
  const site = clientFor(devnet.nodes.site);
  const added = await site.call('lightning', 'AddInvoice', { value: 20_000 });
  site.close();
  expect((await payInvoice(devnet.nodes.alice, added.payment_request)).status).toBe('SUCCEEDED');
});
afterAll(async () => {
  await devnet.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const invoiceOf = async (name: 'alice' | 'bob', req: Record<string, unknown>) => {
  const c = clientFor(devnet.nodes[name]);
  try {
    return await c.call('lightning', 'AddInvoice', req);
  } finally {
    c.close();
  }
};
const send = (pr: string) => {
  const site = clientFor(devnet.nodes.site);
  const stream = site.stream('router', 'SendPaymentV2', { payment_request: pr, fee_limit_sat: 10, timeout_seconds: 30 });
  return { stream, close: () => site.close() };
};

test('the site pays alice: IN_FLIGHT then SUCCEEDED with fee and preimage, and a second send is ALREADY_EXISTS "invoice is already paid"', async () => {
  const inv = await invoiceOf('alice', { value: 700 });
  const { stream, close } = send(inv.payment_request);
  const { messages, error } = await collect(stream);
  close();
  expect(error).toBeUndefined();
  expect(messages.map((m) => m.status)).toEqual(['IN_FLIGHT', 'SUCCEEDED']);
  expect(messages[1]).toMatchObject({
    payment_hash: inv.r_hash.toString('hex'),
    fee_msat: '0',
    fee_sat: '0',
    value_sat: '700',
    failure_reason: 'FAILURE_REASON_NONE',
  });
  expect(createHash('sha256').update(Buffer.from(messages[1].payment_preimage, 'hex')).digest('hex')).toBe(inv.r_hash.toString('hex'));
  const again = send(inv.payment_request);
  const second = await collect(again.stream);
  again.close();
  expect(second.error).toMatchObject({ code: status.ALREADY_EXISTS, details: 'invoice is already paid' });
});

test('while a payment is in flight a second send is ALREADY_EXISTS "payment is in transition", and TrackPaymentV2 follows it to the end', async () => {
  devnet.holdPayments(true);
  const inv = await invoiceOf('alice', { value: 300 });
  const first = send(inv.payment_request);
  expect((await nextMessages(first.stream, 1))[0].status).toBe('IN_FLIGHT');
  const sentP = collect(first.stream); // nothing more arrives while payments are held
  const dup = send(inv.payment_request);
  expect((await collect(dup.stream)).error).toMatchObject({ code: status.ALREADY_EXISTS, details: 'payment is in transition' });
  dup.close();
  const site = clientFor(devnet.nodes.site);
  const tracking = site.stream('router', 'TrackPaymentV2', { payment_hash: inv.r_hash });
  expect((await nextMessages(tracking, 1))[0].status).toBe('IN_FLIGHT');
  const trackedP = collect(tracking);
  devnet.holdPayments(false);
  expect((await trackedP).messages.map((m) => m.status)).toEqual(['SUCCEEDED']);
  expect((await sentP).messages.map((m) => m.status)).toEqual(['SUCCEEDED']);
  first.close();
  site.close();
});

test('TrackPaymentV2 of a hash never paid is NOT_FOUND "payment isn\'t initiated"', async () => {
  const site = clientFor(devnet.nodes.site);
  const { error } = await collect(site.stream('router', 'TrackPaymentV2', { payment_hash: Buffer.alloc(32, 7) }));
  site.close();
  expect(error).toMatchObject({ code: status.NOT_FOUND, details: "payment isn't initiated" });
});

test("no route (bob's side holds too little) and no balance at all fail with LND's reasons", async () => {
  const tooBig = await invoiceOf('bob', { value: 30_000 }); // the site holds 20,000 outbound in all, 0 toward bob
  const r1 = send(tooBig.payment_request);
  const a = await collect(r1.stream);
  r1.close();
  expect(a.messages[a.messages.length - 1]).toMatchObject({ status: 'FAILED', failure_reason: 'FAILURE_REASON_INSUFFICIENT_BALANCE' });
  const noRoute = await invoiceOf('bob', { value: 1_000 });
  const r2 = send(noRoute.payment_request);
  const b = await collect(r2.stream);
  r2.close();
  expect(b.messages[b.messages.length - 1]).toMatchObject({ status: 'FAILED', failure_reason: 'FAILURE_REASON_NO_ROUTE' });
});

test('a payment in flight when the node stops is finished after the next start, once', async () => {
  devnet.holdPayments(true);
  const inv = await invoiceOf('alice', { value: 400 });
  const first = send(inv.payment_request);
  expect((await nextMessages(first.stream, 1))[0].status).toBe('IN_FLIGHT');
  const ended = collect(first.stream);
  await devnet.stop();
  await ended;
  first.close();
  devnet = await startTestDevnet(dir);
  const site = clientFor(devnet.nodes.site);
  const { messages } = await collect(site.stream('router', 'TrackPaymentV2', { payment_hash: inv.r_hash }));
  expect(messages[messages.length - 1].status).toBe('SUCCEEDED');
  const again = site.stream('router', 'SendPaymentV2', { payment_request: inv.payment_request, fee_limit_sat: 10, timeout_seconds: 30 });
  expect((await collect(again)).error).toMatchObject({ code: status.ALREADY_EXISTS, details: 'invoice is already paid' });
  site.close();
  const alice = clientFor(devnet.nodes.alice);
  expect(await alice.call('lightning', 'LookupInvoice', { r_hash: inv.r_hash })).toMatchObject({ state: 'SETTLED', amt_paid_sat: '400' });
  alice.close();
});

test("the LNURL-pay server: a pay request per wallet, and invoices for exactly the amount with the metadata's hash", async () => {
  const address = devnet.lightningAddresses.alice;
  const [user, host] = address.split('@');
  const first = (await (await fetch(`http://${host}/.well-known/lnurlp/${user}`)).json()) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  expect(first).toMatchObject({ tag: 'payRequest', minSendable: 1000, maxSendable: 1_000_000_000 });
  expect(JSON.parse(first.metadata)).toContainEqual(['text/identifier', address]);
  const second = (await (await fetch(`${first.callback}?amount=21000`)).json()) as { pr: string };
  const decoded = bolt11.decode(second.pr, { bech32: 'bcrt', pubKeyHash: 0x6f, scriptHash: 0xc4, validWitnessVersions: [0, 1] });
  expect(decoded.millisatoshis).toBe('21000');
  expect(decoded.tagsObject.purpose_commit_hash).toBe(createHash('sha256').update(first.metadata, 'utf8').digest('hex'));
  expect(decoded.payeeNodeKey).toBe(devnet.nodes.alice.identityPubkey);
  expect(await (await fetch(`${first.callback}?amount=5`)).json()).toMatchObject({ status: 'ERROR' });
  expect((await fetch(`http://${host}/.well-known/lnurlp/carol`)).status).toBe(404);
});
