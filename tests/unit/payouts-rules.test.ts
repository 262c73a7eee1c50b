/**
 * The payout rules without a database or a node: fees and their rounding, the fee reserve, the
 * withdrawal state table, the BOLT 11 checks, Lightning Address parsing and the payout settings.
 */
import { randomBytes } from 'node:crypto';
import { encodeInvoice } from '../../src/devnet/bolt11-codec';
import { platformFee, feeReserve, largestWithdrawal, msatToSatCeil } from '../../src/payouts/fees';
import { allowedFrom, WITHDRAWAL_TRANSITIONS } from '../../src/payouts/withdrawal-states';
import { checkInvoice } from '../../src/payouts/invoice-check';
import { parseLightningAddress } from '../../src/payouts/lightning-address';
import { loadPayoutConfig } from '../../src/payouts/payout-config';
import { mapPayment } from '../../src/lightning/lnd-router-client';

const KEY = 'e126f68f7eafcc8b74f54d269fe206be715000f94dac067d1c04a8ca3b2db734';
const now = new Date();
const invoice = (o: { amountMsat?: bigint; expiry?: number; timestamp?: number } = {}) =>
  encodeInvoice({
    privateKeyHex: KEY,
    amountMsat: o.amountMsat ?? 150_000n,
    timestamp: o.timestamp ?? Math.floor(now.getTime() / 1000),
    paymentHash: randomBytes(32).toString('hex'),
    memo: 'withdraw',
    descriptionHash: '',
    cltvExpiry: 80,
    expiry: o.expiry ?? 3600,
    fallbackAddr: '',
    routeHints: [],
    paymentAddr: randomBytes(32).toString('hex'),
  });

describe('fees', () => {
  test.each([
    [1000, 10, 100],
    [1005, 10, 101], // 100.5 rounds up: the site's favour by less than one sat
    [15, 10, 2],
    [1, 10, 1],
    [999, 0, 0],
    [77, 100, 77],
  ])('platform fee of %i sats at %i %% is %i', (amount, pct, fee) => {
    expect(platformFee(amount, pct)).toBe(fee);
    expect(fee - (amount * pct) / 100).toBeGreaterThanOrEqual(0);
    expect(fee - (amount * pct) / 100).toBeLessThan(1);
  });
  test('the fee reserve is a percentage with a floor, and the routing fee in msat is charged rounded up', () => {
    expect(feeReserve(100, { percent: 1, minSat: 2 })).toBe(2);
    expect(feeReserve(10_000, { percent: 1, minSat: 2 })).toBe(100);
    expect(msatToSatCeil(0n)).toBe(0);
    expect(msatToSatCeil(1n)).toBe(1);
    expect(msatToSatCeil(2000n)).toBe(2);
  });
  test('the largest automatic withdrawal leaves room for its reserve', () => {
    for (const balance of [0, 5, 12, 100, 1035, 123_456]) {
      const amount = largestWithdrawal(balance, { percent: 1, minSat: 2 });
      expect(amount + feeReserve(amount, { percent: 1, minSat: 2 })).toBeLessThanOrEqual(
        Math.max(balance, feeReserve(0, { percent: 1, minSat: 2 })),
      );
      expect(amount + 1 + feeReserve(amount + 1, { percent: 1, minSat: 2 })).toBeGreaterThan(balance);
    }
  });
});

describe('the withdrawal state table', () => {
  test('final states have no way out, and each transition names where it may come from', () => {
    expect(WITHDRAWAL_TRANSITIONS.succeeded).toEqual([]);
    expect(WITHDRAWAL_TRANSITIONS.failed).toEqual([]);
    expect(allowedFrom('in_flight')).toEqual(['requested']);
    expect(allowedFrom('succeeded')).toEqual(['requested', 'in_flight']);
    expect(allowedFrom('failed')).toEqual(['requested', 'in_flight']);
    expect(allowedFrom('requested')).toEqual([]);
  });
});

describe('BOLT 11 checks', () => {
  test('a regtest invoice with an amount is accepted with its hash, amount and expiry', () => {
    const pr = invoice();
    const r = checkInvoice(`lightning:${pr.toUpperCase()}`, { network: 'regtest', now });
    expect(r).toMatchObject({ ok: true, invoice: { paymentRequest: pr, amountSat: 150 } });
  });
  test.each([
    ['', 'Paste a Lightning invoice'],
    ['hello', 'not a Lightning invoice'],
    ['lnbcrt1zzzz', 'could not be read'],
  ])('%j is refused', (input, message) => {
    expect(checkInvoice(input, { network: 'regtest', now })).toEqual({ ok: false, message: expect.stringContaining(message) });
  });
  test('the network, the amount in whole sats, and the expiry are checked', () => {
    expect(checkInvoice(invoice(), { network: 'mainnet', now })).toEqual({
      ok: false,
      message: expect.stringContaining('is for regtest, but this site pays on mainnet'),
    });
    expect(checkInvoice(invoice({ amountMsat: 0n }), { network: 'regtest', now })).toEqual({
      ok: false,
      message: expect.stringContaining('no amount'),
    });
    expect(checkInvoice(invoice({ amountMsat: 1500n }), { network: 'regtest', now })).toEqual({
      ok: false,
      message: expect.stringContaining('whole sats'),
    });
    expect(checkInvoice(invoice({ expiry: 30 }), { network: 'regtest', now })).toEqual({
      ok: false,
      message: expect.stringContaining('expired'),
    });
    expect(checkInvoice(invoice({ timestamp: Math.floor(now.getTime() / 1000) - 7200 }), { network: 'regtest', now })).toMatchObject({
      ok: false,
    });
  });
});

test('Lightning Addresses: LUD-16 names, a host with an optional port', () => {
  expect(parseLightningAddress('Alice@Example.com')).toEqual({ user: 'alice', host: 'example.com' });
  expect(parseLightningAddress('alice@127.0.0.1:8080')).toEqual({ user: 'alice', host: '127.0.0.1:8080' });
  for (const bad of ['alice', '@example.com', 'a b@example.com', 'alice@exa mple.com', 'alice@example.com/path'])
    expect(parseLightningAddress(bad)).toBeNull();
});

test('payout settings: defaults, bad values named at once, the fault hook refused in production', () => {
  expect(loadPayoutConfig({})).toMatchObject({
    platformFeePercent: 10,
    upvoteSplit: 'writer',
    minSat: 10,
    fault: null,
    allowLoopbackHttp: true,
  });
  const bad = () => loadPayoutConfig({ PLATFORM_FEE_PERCENT: '101', UPVOTE_SPLIT: 'everyone' });
  expect(bad).toThrow(/PLATFORM_FEE_PERCENT must be a whole number from 0 to 100/);
  expect(bad).toThrow(/UPVOTE_SPLIT must be writer or earlier-upvoters/);
  expect(() => loadPayoutConfig({ NODE_ENV: 'production', PAYOUT_FAULT: 'kill-after-send' })).toThrow(/refused with NODE_ENV=production/);
  expect(loadPayoutConfig({ NODE_ENV: 'production' }).allowLoopbackHttp).toBe(false);
});

test('the Lightning Address guard: on in production (and cannot be turned off there), off elsewhere unless asked for', () => {
  expect(loadPayoutConfig({ NODE_ENV: 'production' }).addressPolicy).toEqual({ guard: true, allow: [] });
  expect(loadPayoutConfig({}).addressPolicy.guard).toBe(false);
  expect(loadPayoutConfig({ LIGHTNING_ADDRESS_GUARD: 'on' }).addressPolicy.guard).toBe(true);
  expect(() => loadPayoutConfig({ NODE_ENV: 'production', LIGHTNING_ADDRESS_GUARD: 'off' })).toThrow(
    /LIGHTNING_ADDRESS_GUARD=off is refused with NODE_ENV=production/,
  );
  expect(() => loadPayoutConfig({ LIGHTNING_ADDRESS_GUARD: 'maybe' })).toThrow(/LIGHTNING_ADDRESS_GUARD must be on or off/);
});

test('an lnrpc.Payment is mapped once: INITIATED and UNKNOWN are in flight, fee in msat', () => {
  const raw = { payment_hash: 'ab', payment_preimage: '', fee_msat: '1500', failure_reason: 'FAILURE_REASON_NONE' };
  expect(mapPayment({ ...raw, status: 'INITIATED' }).status).toBe('IN_FLIGHT');
  expect(mapPayment({ ...raw, status: 'UNKNOWN' }).status).toBe('IN_FLIGHT');
  expect(mapPayment({ ...raw, status: 'SUCCEEDED' })).toMatchObject({ status: 'SUCCEEDED', feeMsat: 1500n });
  expect(mapPayment({ ...raw, status: 'FAILED', failure_reason: 'FAILURE_REASON_NO_ROUTE' })).toMatchObject({
    status: 'FAILED',
    failureReason: 'FAILURE_REASON_NO_ROUTE',
  });
});
